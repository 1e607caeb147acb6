/**
 * Dataset tools for training JSONL: {@link dev.finetune4j.data.DatasetValidator} checks supervised, DPO and
 * reinforcement files (and legacy prompt/completion ones) streaming, with every problem's line, field, category and
 * fix, token counts in the model's encoding, statistics and a training estimate; the local server runs the same
 * validator before a job trains. {@link dev.finetune4j.data.DatasetCleaner} writes the lines that can train,
 * {@link dev.finetune4j.data.DatasetSplit} splits a file without leakage, and
 * {@link dev.finetune4j.data.ChatConverter} builds chats from a table, a CSV or flat records. Example:
 * {@code DatasetValidator.forMethod(Method.SUPERVISED).model("gpt-4o-mini").validate(Path.of("train.jsonl"))}.
 */
package dev.finetune4j.data;
