package dev.finetune4j.api;

import java.util.Set;

/**
 * Known job statuses. Statuses travel as strings: the real service also answers {@code paused}, which the
 * spec's enum lacks, and a client must not break on a status it does not know.
 */
public final class JobStatus {
    public static final String VALIDATING_FILES = "validating_files";
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    /** Statuses after which a job never changes again. */
    public static final Set<String> TERMINAL = Set.of(SUCCEEDED, FAILED, CANCELLED);

    private JobStatus() {}

    public static boolean isTerminal(String status) {
        return TERMINAL.contains(status);
    }
}
