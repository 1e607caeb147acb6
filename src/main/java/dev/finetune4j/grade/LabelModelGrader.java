package dev.finetune4j.grade;

import java.util.List;

/**
 * Asks a grader model to pick one of {@code labels} for the rendered {@code input}; scores 1 when the label is
 * one of {@code passingLabels}, else 0. For fine-tuning it is allowed only inside a {@link MultiGrader}.
 */
public record LabelModelGrader(String name, String model, List<EvalMessage> input, List<String> labels,
                               List<String> passingLabels) implements Grader {
    public static final String TYPE = "label_model";

    public LabelModelGrader {
        input = List.copyOf(input);
        labels = List.copyOf(labels);
        passingLabels = List.copyOf(passingLabels);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
