package dev.finetune4j.api;

import java.util.Set;

/**
 * Known job statuses. Statuses travel as strings: the real service also answers {@code paused}, which the
 * spec's enum lacks, and a client must not break on a status it does not know.
 */
public final class JobStatus {
    /** The training and validation files are being checked. */
    public static final String VALIDATING_FILES = "validating_files";
    /** Waiting for training capacity. */
    public static final String QUEUED = "queued";
    /** Training. */
    public static final String RUNNING = "running";
    /** Paused with {@code jobs().pause(id)}; {@code jobs().resume(id)} continues it. */
    public static final String PAUSED = "paused";
    /** Done: {@code fine_tuned_model} names the new model. */
    public static final String SUCCEEDED = "succeeded";
    /** Stopped by an error, which {@code error} explains. */
    public static final String FAILED = "failed";
    /** Cancelled with {@code jobs().cancel(id)}. */
    public static final String CANCELLED = "cancelled";

    /** Statuses after which a job never changes again. */
    public static final Set<String> TERMINAL = Set.of(SUCCEEDED, FAILED, CANCELLED);

    private JobStatus() {}

    /** Whether a job with this status will never change again (see {@link #TERMINAL}); false for unknown statuses. */
    public static boolean isTerminal(String status) {
        return TERMINAL.contains(status);
    }
}
