package dev.finetune4j.data;

/**
 * Epochs, trained tokens and cost of a fine-tuning job, estimated as OpenAI's cookbook does: the default number of
 * epochs targets 3 passes but keeps the total between 100 and 25,000 example visits (1 to 25 epochs); each
 * example bills its tokens capped at the per-example limit; trained tokens are the billed tokens times the epochs.
 * Example: {@code TrainingEstimate.of(report.stats()).cost(3.00)} for a price of $3.00 per 1M training tokens.
 *
 * @param examples              examples in the training file
 * @param epochs                epochs (the default, or the one given)
 * @param billingTokensPerEpoch tokens billed per pass over the file
 * @param trainedTokens         billed tokens times epochs
 * @param tokenizer             the tokenizer the tokens were counted with, e.g. {@code o200k_base}
 */
public record TrainingEstimate(long examples, int epochs, long billingTokensPerEpoch, long trainedTokens, String tokenizer) {
    public static final int TARGET_EPOCHS = 3;
    public static final int MIN_TARGET_EXAMPLES = 100;
    public static final int MAX_TARGET_EXAMPLES = 25_000;
    public static final int MIN_DEFAULT_EPOCHS = 1;
    public static final int MAX_DEFAULT_EPOCHS = 25;

    /** The cookbook's default epochs for a dataset of {@code n} examples, e.g. 10 for 10 examples, 3 for 1,000. */
    public static int defaultEpochs(long n) {
        if (n <= 0) {
            return TARGET_EPOCHS;
        }
        if (n * TARGET_EPOCHS < MIN_TARGET_EXAMPLES) {
            return (int) Math.min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES / n);
        }
        if (n * TARGET_EPOCHS > MAX_TARGET_EXAMPLES) {
            return (int) Math.max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES / n);
        }
        return TARGET_EPOCHS;
    }

    /** Estimate with the default epochs. Requires stats with token counts. */
    public static TrainingEstimate of(DatasetStats stats) {
        return of(stats, defaultEpochs(stats.examples()));
    }

    /** Estimate with a chosen number of epochs (a job's {@code n_epochs}). */
    public static TrainingEstimate of(DatasetStats stats, int epochs) {
        if (!stats.tokensCounted()) {
            throw new IllegalStateException("the stats have no token counts; validate with token counting on");
        }
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        long perEpoch = stats.billingTokensPerEpoch();
        return new TrainingEstimate(stats.examples(), epochs, perEpoch, perEpoch * epochs, stats.tokenizer());
    }

    /** Cost in the currency of the price: {@code trainedTokens / 1e6 * pricePerMillionTokens}. */
    public double cost(double pricePerMillionTokens) {
        return trainedTokens / 1_000_000.0 * pricePerMillionTokens;
    }

    @Override
    public String toString() {
        return String.format("%,d %s x %d %s: ~%,d billed tokens per epoch, ~%,d trained tokens (counted with %s)", examples,
                examples == 1 ? "example" : "examples", epochs, epochs == 1 ? "epoch" : "epochs", billingTokensPerEpoch, trainedTokens,
                tokenizer);
    }
}
