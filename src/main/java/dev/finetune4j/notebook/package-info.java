/**
 * The facade for notebooks and JShell: {@link dev.finetune4j.notebook.FineTune} ({@code ft}) validates and uploads
 * data, creates jobs with a {@link dev.finetune4j.notebook.JobBuilder} and chats with models;
 * {@link dev.finetune4j.notebook.Run} follows one job (progress, metrics, events and checkpoints as Tablesaw tables,
 * loss curves as XChart charts, evaluation); {@link dev.finetune4j.notebook.Comparison} and
 * {@link dev.finetune4j.notebook.Sweep} line up several runs. Example:
 * {@code ft.job("nano").train("data/sample_train.jsonl").epochs(50).create().await().metrics()}.
 */
package dev.finetune4j.notebook;
