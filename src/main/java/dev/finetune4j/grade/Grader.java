package dev.finetune4j.grade;

/**
 * A parsed, validated grader of the fine-tuning API. Read one from JSON with {@link Graders#parse}, run it with
 * {@link GraderRunner#run}.
 */
public sealed interface Grader
        permits StringCheckGrader, TextSimilarityGrader, PythonGrader, ScoreModelGrader, LabelModelGrader,
        MultiGrader {
    /** The grader's name. */
    String name();

    /** The wire {@code type}: {@code string_check}, {@code text_similarity}, {@code python}, ... */
    String type();
}
