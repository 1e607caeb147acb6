package dev.finetune4j.train;

/**
 * Resolved supervised fine-tuning hyperparameters, with OpenAI's meanings: passes over the training set, examples
 * per optimizer step, and a multiplier of the base learning rate {@link #BASE_LEARNING_RATE}.
 *
 * <p>{@code Hyperparameters.resolve(null, null, null, 120)} resolves {@code "auto"} values (passed as null) by
 * these rules, for {@code n} training examples:
 * <ul>
 *   <li>n_epochs: 3, unless that gives fewer than 100 example passes ({@code min(25, 100 / n)}) or more than
 *   25,000 ({@code max(1, 25000 / n)}), integer division, as OpenAI's cookbook describes;</li>
 *   <li>batch_size: about 4% of the examples rounded down to a power of two, between 1 and 32 (small batches learn
 *   fast on small data, and at least a few rows keep the cores busy);</li>
 *   <li>learning_rate_multiplier: {@code sqrt(batch_size / 4)} clamped to [0.5, 2] (the usual square-root scaling
 *   of Adam's rate with the batch size, 1.0 at batch 4).</li>
 * </ul>
 * Reinforcement jobs resolve their batch size and learning rate alike, and their epochs by
 * {@link #autoReinforcementEpochs}: {@code Hyperparameters.resolveReinforcement(null, null, null, 104)}.
 */
public record Hyperparameters(int nEpochs, int batchSize, double learningRateMultiplier) {
    /** Peak learning rate at multiplier 1 (AdamW, as in {@code torch_tiny_gpt.py}). */
    public static final double BASE_LEARNING_RATE = 1e-3;
    /** Reinforcement's most epochs when {@code n_epochs} is {@code auto}. */
    public static final int REINFORCEMENT_EPOCHS = 40;
    /** Reinforcement's most prompt passes (epochs times prompts) when {@code n_epochs} is {@code auto}. */
    public static final int REINFORCEMENT_PROMPT_PASSES = 5_000;

    public Hyperparameters {
        if (nEpochs < 1 || nEpochs > 50) throw new IllegalArgumentException("n_epochs must be in 1..50, got " + nEpochs);
        if (batchSize < 1 || batchSize > 256) throw new IllegalArgumentException("batch_size must be in 1..256, got " + batchSize);
        if (!(learningRateMultiplier > 0) || Double.isInfinite(learningRateMultiplier)) {
            throw new IllegalArgumentException("learning_rate_multiplier must be > 0, got " + learningRateMultiplier);
        }
    }

    /** Resolves each null ("auto") value from the number of training examples, e.g. {@code resolve(null, 8, null, 500)}. */
    public static Hyperparameters resolve(Integer nEpochs, Integer batchSize, Double learningRateMultiplier, int trainExamples) {
        if (trainExamples < 1) throw new IllegalArgumentException("the training set is empty");
        int epochs = nEpochs != null ? nEpochs : autoEpochs(trainExamples);
        int batch = batchSize != null ? batchSize : autoBatchSize(trainExamples);
        double lr = learningRateMultiplier != null ? learningRateMultiplier : autoLearningRateMultiplier(batch);
        return new Hyperparameters(epochs, batch, lr);
    }

    /**
     * Resolves each null ("auto") value of a reinforcement run from its number of prompts: epochs by
     * {@link #autoReinforcementEpochs}, batch size and learning rate as {@link #resolve} does. Example:
     * {@code resolveReinforcement(null, null, null, 104)} gives 40 epochs of batches of 4 at multiplier 1.
     */
    public static Hyperparameters resolveReinforcement(Integer nEpochs, Integer batchSize, Double learningRateMultiplier,
                                                       int prompts) {
        if (prompts < 1) throw new IllegalArgumentException("the training set is empty");
        return resolve(nEpochs != null ? nEpochs : autoReinforcementEpochs(prompts), batchSize, learningRateMultiplier,
                prompts);
    }

    /**
     * The reinforcement n_epochs rule: {@value #REINFORCEMENT_EPOCHS} epochs, fewer when that would be more than
     * {@value #REINFORCEMENT_PROMPT_PASSES} prompt passes ({@code max(1, 5000 / n)}). A reinforcement step only
     * learns from the prompts whose sampled answers score differently, which for a small model are few: on the 104
     * sample prompts, 3 epochs (the supervised rule) moved two supervised models' right answers by -7 to +3, and 40
     * raised them by 9 to 24 (16 answers per prompt, two to three seeds each). The cap keeps the cost of a run (16
     * answers sampled and graded per prompt pass, with an {@code auto} compute_multiplier) from growing with larger
     * files.
     */
    public static int autoReinforcementEpochs(int n) {
        return Math.max(1, Math.min(REINFORCEMENT_EPOCHS, REINFORCEMENT_PROMPT_PASSES / n));
    }

    /** The n_epochs rule: target 3 epochs, 100..25,000 example passes, clamped to 1..25. */
    public static int autoEpochs(int n) {
        if (n * 3L < 100) return Math.min(25, 100 / n);
        if (n * 3L > 25_000) return Math.max(1, 25_000 / n);
        return 3;
    }

    /** The batch_size rule: ~4% of the examples, rounded down to a power of two, in 1..32. */
    public static int autoBatchSize(int n) {
        int target = Math.max(1, Math.min(32, n / 25));
        return Integer.highestOneBit(target);
    }

    /** The learning_rate_multiplier rule: {@code sqrt(batchSize / 4)} clamped to [0.5, 2]. */
    public static double autoLearningRateMultiplier(int batchSize) {
        return Math.max(0.5, Math.min(2.0, Math.sqrt(batchSize / 4.0)));
    }

    /** Optimizer steps per epoch: {@code ceil(examples / batchSize)}. */
    public int stepsPerEpoch(int trainExamples) {
        return (trainExamples + batchSize - 1) / batchSize;
    }

    /** Peak learning rate: {@code BASE_LEARNING_RATE * learningRateMultiplier}. */
    public double peakLearningRate() {
        return BASE_LEARNING_RATE * learningRateMultiplier;
    }
}
