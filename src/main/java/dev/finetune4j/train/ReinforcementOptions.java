package dev.finetune4j.train;

/**
 * How a reinforcement run samples and evaluates: answers sampled per prompt (the group whose mean reward is each
 * answer's baseline), steps between two validation measurements, and validation prompts per measurement (0: a
 * batch's worth; every prompt at each epoch's end either way). Example: {@code new ReinforcementOptions(8, 5, 0)}.
 */
public record ReinforcementOptions(int samplesPerPrompt, int evalInterval, int evalSamples) {
    /** 4 answers per prompt, validation every {@value Trainer#VALID_EVERY} steps on a batch of prompts. */
    public static final ReinforcementOptions DEFAULT = new ReinforcementOptions(4, Trainer.VALID_EVERY, 0);

    public ReinforcementOptions {
        if (samplesPerPrompt < 2 || samplesPerPrompt > 32) {
            throw new IllegalArgumentException("samples per prompt must be in 2..32, got " + samplesPerPrompt);
        }
        if (evalInterval < 1) throw new IllegalArgumentException("eval interval must be at least 1, got " + evalInterval);
        if (evalSamples < 0) throw new IllegalArgumentException("eval samples must not be negative, got " + evalSamples);
    }

    /**
     * The options of the API's hyperparameters, each null for {@code auto}: {@code compute_multiplier} scales the
     * 4 default answers per prompt (at least 2, at most 32), e.g. {@code fromApi(2.0, 5, null)} gives 8 answers per
     * prompt and validation every 5 steps.
     */
    public static ReinforcementOptions fromApi(Double computeMultiplier, Integer evalInterval, Integer evalSamples) {
        int samples = computeMultiplier == null ? DEFAULT.samplesPerPrompt()
                : (int) Math.max(2, Math.min(32, Math.round(DEFAULT.samplesPerPrompt() * computeMultiplier)));
        return new ReinforcementOptions(samples, evalInterval == null ? DEFAULT.evalInterval() : evalInterval,
                evalSamples == null ? DEFAULT.evalSamples() : evalSamples);
    }
}
