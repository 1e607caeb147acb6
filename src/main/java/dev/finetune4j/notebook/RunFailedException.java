package dev.finetune4j.notebook;

import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.JobError;
import dev.finetune4j.api.JobStatus;

/**
 * A job ended without a model: it failed (the exception carries the job's {@code error}: code, message and the
 * parameter at fault, e.g. the training file and its line) or was cancelled. Thrown by {@code run.await()}.
 */
public final class RunFailedException extends RuntimeException {
    private final transient FineTuningJob job;

    RunFailedException(FineTuningJob job) {
        super(message(job));
        this.job = job;
    }

    /** The job as it ended. Example: {@code e.job().finishedAt()}. */
    public FineTuningJob job() {
        return job;
    }

    /** {@code failed} or {@code cancelled}. Example: {@code e.status()}. */
    public String status() {
        return job.status();
    }

    /** The job's error code; null when it was cancelled or the service gave none. Example: {@code e.code()} → {@code "invalid_training_file"}. */
    public String code() {
        return job.error() == null ? null : job.error().code();
    }

    /** The job's error message; null when it was cancelled or the service gave none. Example: {@code e.errorMessage()}. */
    public String errorMessage() {
        return job.error() == null ? null : job.error().message();
    }

    /** The parameter at fault; null when none. Example: {@code e.param()} → {@code "training_file"}. */
    public String param() {
        return job.error() == null ? null : job.error().param();
    }

    private static String message(FineTuningJob job) {
        if (JobStatus.CANCELLED.equals(job.status())) return job.id() + " was cancelled";
        JobError e = job.error();
        if (e == null || (e.message() == null && e.code() == null)) {
            return job.id() + " " + job.status() + " (the service gave no reason)";
        }
        StringBuilder sb = new StringBuilder(job.id()).append(' ').append(job.status()).append(": ");
        if (e.code() != null) sb.append(e.code()).append(": ");
        sb.append(e.message() == null ? "" : e.message());
        if (e.param() != null) sb.append(" (param: ").append(e.param()).append(')');
        return sb.toString();
    }
}
