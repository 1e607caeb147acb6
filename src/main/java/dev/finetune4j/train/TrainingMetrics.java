package dev.finetune4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of one training step. Losses are mean cross-entropy per trained token (nats); accuracies are the share of
 * trained tokens whose most likely prediction was right. {@code valid*} are measured on one validation batch every
 * {@link Trainer#VALID_EVERY} steps and at each epoch end, {@code fullValid*} over the whole validation set at each
 * epoch end; they are null otherwise or without a validation set.
 *
 * @param trainedTokens tokens of all training examples processed so far (the billed count of OpenAI's jobs)
 */
public record TrainingMetrics(int step, int totalSteps, int epoch, double trainLoss, double trainMeanTokenAccuracy,
                              Double validLoss, Double validMeanTokenAccuracy,
                              Double fullValidLoss, Double fullValidMeanTokenAccuracy, long trainedTokens) {

    /** The OpenAI metric-event keys ({@code step}, {@code total_steps}, {@code train_loss}, ...), nulls left out. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("step", (double) step);
        m.put("total_steps", (double) totalSteps);
        m.put("train_loss", trainLoss);
        m.put("train_mean_token_accuracy", trainMeanTokenAccuracy);
        if (validLoss != null) m.put("valid_loss", validLoss);
        if (validMeanTokenAccuracy != null) m.put("valid_mean_token_accuracy", validMeanTokenAccuracy);
        if (fullValidLoss != null) m.put("full_valid_loss", fullValidLoss);
        if (fullValidMeanTokenAccuracy != null) m.put("full_valid_mean_token_accuracy", fullValidMeanTokenAccuracy);
        return m;
    }
}
