package dev.finetune4j.train;

/**
 * How a reinforcement run samples, stays near its starting model and evaluates: answers sampled per prompt (the
 * group whose mean reward is each answer's baseline), the weight of the penalty on the divergence (KL) from the
 * starting model, steps between two validation measurements, and validation prompts per measurement (0: a batch's
 * worth; every prompt at each epoch's end either way). Example: {@code new ReinforcementOptions(8, 0.2, 5, 0)}.
 */
public record ReinforcementOptions(int samplesPerPrompt, double klCoefficient, int evalInterval, int evalSamples) {
    /**
     * The KL penalty's default weight, against advantages of unit spread (a prompt's answers' rewards less their mean,
     * divided by their standard deviation), so it means the same for every grader's scale. Without it a small model
     * drifts from what it knew on the prompts whose answers all score the same (they carry no reward signal), and
     * loses more right answers than it gains.
     */
    public static final double DEFAULT_KL = 0.2;

    /**
     * 4 answers per prompt (what {@code compute_multiplier} 1 means), the default KL weight, validation every
     * {@value Trainer#VALID_EVERY} steps on a batch.
     */
    public static final ReinforcementOptions DEFAULT = new ReinforcementOptions(4, DEFAULT_KL, Trainer.VALID_EVERY, 0);

    /**
     * The {@code compute_multiplier} an {@code auto} value resolves to: 16 answers per prompt. A small model answers
     * most prompts wrong most of the time, so with 4 answers most prompts' answers all score the same and teach
     * nothing; with 16 the answers it gives only now and then turn up, and are reinforced.
     */
    public static final double AUTO_COMPUTE_MULTIPLIER = 4;

    public ReinforcementOptions {
        if (samplesPerPrompt < 2 || samplesPerPrompt > 32) {
            throw new IllegalArgumentException("samples per prompt must be in 2..32, got " + samplesPerPrompt);
        }
        if (!(klCoefficient >= 0 && klCoefficient <= 10)) {
            throw new IllegalArgumentException("the KL coefficient must be in 0..10, got " + klCoefficient);
        }
        if (evalInterval < 1) throw new IllegalArgumentException("eval interval must be at least 1, got " + evalInterval);
        if (evalSamples < 0) throw new IllegalArgumentException("eval samples must not be negative, got " + evalSamples);
    }

    /** With the default KL weight, e.g. {@code new ReinforcementOptions(8, 5, 0)}. */
    public ReinforcementOptions(int samplesPerPrompt, int evalInterval, int evalSamples) {
        this(samplesPerPrompt, DEFAULT_KL, evalInterval, evalSamples);
    }

    /**
     * The options of the API's hyperparameters, each null for {@code auto}: {@code compute_multiplier} scales the
     * 4 answers per prompt of {@link #DEFAULT} (at least 2, at most 32; {@code auto} is
     * {@value #AUTO_COMPUTE_MULTIPLIER}), e.g. {@code fromApi(2.0, 5, null)} gives 8 answers per prompt and validation
     * every 5 steps. The API has no KL weight: it is the default.
     */
    public static ReinforcementOptions fromApi(Double computeMultiplier, Integer evalInterval, Integer evalSamples) {
        double multiplier = computeMultiplier == null ? AUTO_COMPUTE_MULTIPLIER : computeMultiplier;
        int samples = (int) Math.max(2, Math.min(32, Math.round(DEFAULT.samplesPerPrompt() * multiplier)));
        return new ReinforcementOptions(samples, evalInterval == null ? DEFAULT.evalInterval() : evalInterval,
                evalSamples == null ? DEFAULT.evalSamples() : evalSamples);
    }
}
