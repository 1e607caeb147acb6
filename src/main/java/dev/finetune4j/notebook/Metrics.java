package dev.finetune4j.notebook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Names of the step metrics that fine-tuning jobs report, and how to rank them. The keys are those of the metric
 * events' {@code data}: {@code train_loss}, {@code valid_loss}, {@code full_valid_loss} and their
 * {@code *_mean_token_accuracy} companions, or for reinforcement jobs of the local server {@code train_reward_mean},
 * {@code valid_reward_mean}, {@code full_valid_reward_mean} and {@code train_kl} (the divergence from the starting
 * model, per token); a server may add others, which are kept after the known ones.
 */
public final class Metrics {
    public static final String STEP = "step";
    public static final String TOTAL_STEPS = "total_steps";
    /** Not reported by the service: {@code run.metrics()} works it out from the step, the total and the epochs. */
    public static final String EPOCH = "epoch";
    public static final String TRAIN_LOSS = "train_loss";
    public static final String TRAIN_ACCURACY = "train_mean_token_accuracy";
    public static final String VALID_LOSS = "valid_loss";
    public static final String VALID_ACCURACY = "valid_mean_token_accuracy";
    public static final String FULL_VALID_LOSS = "full_valid_loss";
    public static final String FULL_VALID_ACCURACY = "full_valid_mean_token_accuracy";
    public static final String TRAIN_REWARD = "train_reward_mean";
    public static final String VALID_REWARD = "valid_reward_mean";
    public static final String FULL_VALID_REWARD = "full_valid_reward_mean";
    public static final String TRAIN_KL = "train_kl";

    /** The loss curves {@code run.plot()} draws by default, in drawing order. */
    public static final List<String> LOSSES = List.of(TRAIN_LOSS, VALID_LOSS, FULL_VALID_LOSS);

    /** The reward curves {@code run.plot()} draws by default for a run without losses (reinforcement). */
    public static final List<String> REWARDS = List.of(TRAIN_REWARD, VALID_REWARD, FULL_VALID_REWARD);

    /** Known metric keys in the order columns are laid out. */
    static final List<String> KNOWN = List.of(TRAIN_LOSS, TRAIN_ACCURACY, VALID_LOSS, VALID_ACCURACY,
            FULL_VALID_LOSS, FULL_VALID_ACCURACY, TRAIN_REWARD, VALID_REWARD, FULL_VALID_REWARD, TRAIN_KL);

    private Metrics() {}

    /** True for metrics where larger is better (accuracies, rewards, scores), false for losses. Example: {@code Metrics.higherIsBetter("valid_loss")} → false. */
    public static boolean higherIsBetter(String metric) {
        String m = metric.toLowerCase(java.util.Locale.ROOT);
        return m.contains("accuracy") || m.contains("reward") || m.contains("score");
    }

    /** True when {@code a} is a better value of {@code metric} than {@code b}. */
    static boolean better(String metric, double a, double b) {
        return higherIsBetter(metric) ? a > b : a < b;
    }

    /** The given keys in column order: the known metrics first, then the others alphabetically. */
    static List<String> ordered(Collection<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : KNOWN) if (keys.contains(k)) out.add(k);
        keys.stream().filter(k -> !KNOWN.contains(k)).sorted().forEach(out::add);
        return out;
    }
}
