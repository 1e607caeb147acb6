package dev.finetune4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of one training step. Losses are mean cross-entropy per trained token (nats), or for preference (DPO)
 * training DPO's loss per pair; accuracies are the share of trained tokens (of the preferred answers, for DPO) whose
 * most likely prediction was right. {@code valid*} are measured on one validation batch every
 * {@link Trainer#VALID_EVERY} steps and at each epoch end, {@code fullValid*} over the whole validation set at each
 * epoch end; they are null otherwise or without a validation set.
 *
 * <p>Reinforcement fine-tuning has no loss to report: its losses and accuracies are NaN (left out of
 * {@link #toMap()}), and its {@code *RewardMean} values are the mean reward of the sampled answers of the step, and
 * of the greedy answers to the validation prompts; they are null for the other methods. {@code trainKl} is the mean
 * per token, over the step's sampled answers, of the estimate {@code r - log r - 1} of the divergence (KL) from the
 * starting model, with {@code r = p_start / p}: 0 at the first step, and null without the KL penalty.
 *
 * @param trainedTokens tokens of all training examples processed so far (the billed count of OpenAI's jobs)
 */
public record TrainingMetrics(int step, int totalSteps, int epoch, double trainLoss, double trainMeanTokenAccuracy,
                              Double validLoss, Double validMeanTokenAccuracy,
                              Double fullValidLoss, Double fullValidMeanTokenAccuracy, long trainedTokens,
                              Double trainRewardMean, Double validRewardMean, Double fullValidRewardMean,
                              Double trainKl) {

    /** Metrics of a supervised or preference step. */
    public TrainingMetrics(int step, int totalSteps, int epoch, double trainLoss, double trainMeanTokenAccuracy,
                           Double validLoss, Double validMeanTokenAccuracy, Double fullValidLoss,
                           Double fullValidMeanTokenAccuracy, long trainedTokens) {
        this(step, totalSteps, epoch, trainLoss, trainMeanTokenAccuracy, validLoss, validMeanTokenAccuracy,
                fullValidLoss, fullValidMeanTokenAccuracy, trainedTokens, null, null, null, null);
    }

    /** Metrics of a reinforcement step, e.g. {@code TrainingMetrics.reinforcement(3, 10, 1, 0.5, null, null, 0.01, 900)}. */
    public static TrainingMetrics reinforcement(int step, int totalSteps, int epoch, double trainRewardMean,
                                                Double validRewardMean, Double fullValidRewardMean, Double trainKl,
                                                long trainedTokens) {
        return new TrainingMetrics(step, totalSteps, epoch, Double.NaN, Double.NaN, null, null, null, null,
                trainedTokens, trainRewardMean, validRewardMean, fullValidRewardMean, trainKl);
    }

    /** The OpenAI metric-event keys ({@code step}, {@code total_steps}, {@code train_loss}, ...), nulls and NaNs left out. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("step", (double) step);
        m.put("total_steps", (double) totalSteps);
        if (!Double.isNaN(trainLoss)) m.put("train_loss", trainLoss);
        if (!Double.isNaN(trainMeanTokenAccuracy)) m.put("train_mean_token_accuracy", trainMeanTokenAccuracy);
        if (validLoss != null) m.put("valid_loss", validLoss);
        if (validMeanTokenAccuracy != null) m.put("valid_mean_token_accuracy", validMeanTokenAccuracy);
        if (fullValidLoss != null) m.put("full_valid_loss", fullValidLoss);
        if (fullValidMeanTokenAccuracy != null) m.put("full_valid_mean_token_accuracy", fullValidMeanTokenAccuracy);
        if (trainRewardMean != null) m.put("train_reward_mean", trainRewardMean);
        if (validRewardMean != null) m.put("valid_reward_mean", validRewardMean);
        if (fullValidRewardMean != null) m.put("full_valid_reward_mean", fullValidRewardMean);
        if (trainKl != null) m.put("train_kl", trainKl);
        return m;
    }
}
