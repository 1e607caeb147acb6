/**
 * Graders of the fine-tuning API ({@code string_check}, {@code text_similarity}, {@code python},
 * {@code score_model}, {@code label_model}, {@code multi}): {@link dev.finetune4j.grade.Graders} reads and checks
 * grader JSON, {@link dev.finetune4j.grade.GraderRunner} runs a grader on a sample and answers with the
 * {@code run} endpoint's wire shape. Model graders sample through a {@link dev.finetune4j.grade.ModelSampler}
 * supplied by the caller; python graders run in {@code python3} processes that grade one sample after another
 * ({@link dev.finetune4j.grade.PythonExecutor}).
 */
package dev.finetune4j.grade;
