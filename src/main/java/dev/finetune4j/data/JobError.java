package dev.finetune4j.data;

/**
 * A failed file validation in the shape of a fine-tuning job's {@code error} object.
 * Example: {@code report.jobError("training_file")} gives
 * {@code {code: "invalid_training_file", message: "Line 7: ...", param: "training_file"}}.
 */
public record JobError(String code, String message, String param) {
}
