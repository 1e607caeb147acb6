package dev.finetune4j.grade;

/** Sampling parameters of a model grader; every field may be null (the sampler's default). */
public record SamplingParams(Long seed, Double topP, Double temperature, Integer maxCompletionsTokens,
                             String reasoningEffort) {
    /** No parameters set. */
    public static final SamplingParams DEFAULT = new SamplingParams(null, null, null, null, null);
}
