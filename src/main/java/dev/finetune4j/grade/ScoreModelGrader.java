package dev.finetune4j.grade;

import java.util.List;

/**
 * Asks a grader model for {@code {"result": number, "steps": [...]}} about the rendered {@code input}; the result,
 * clamped to {@code [rangeMin, rangeMax]} (default [0, 1]), is the score.
 */
public record ScoreModelGrader(String name, String model, List<EvalMessage> input, double rangeMin, double rangeMax,
                               SamplingParams samplingParams) implements Grader {
    public static final String TYPE = "score_model";

    public ScoreModelGrader {
        input = List.copyOf(input);
        samplingParams = samplingParams == null ? SamplingParams.DEFAULT : samplingParams;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
