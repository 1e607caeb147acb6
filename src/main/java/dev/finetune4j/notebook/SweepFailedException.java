package dev.finetune4j.notebook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep could not start one of its runs after it had started others: those were cancelled (a half sweep would
 * train on and compare nothing), and the message names them and the combination refused; the service's refusal
 * is the cause. Thrown by {@code ft.sweep(job, grid)}. Example:
 * {@code catch (SweepFailedException e) { e.cancelled(); e.getCause().getMessage(); }}.
 */
public final class SweepFailedException extends RuntimeException {
    private final transient Map<String, Object> combination;
    private final List<String> cancelled;
    private final List<String> notCancelled;

    SweepFailedException(Map<String, Object> combination, RuntimeException cause, List<String> cancelled,
            List<String> notCancelled) {
        super(message(combination, cause, cancelled, notCancelled), cause);
        // in the grid's order; a null value (the service's default) is a value like any other
        this.combination = Collections.unmodifiableMap(new LinkedHashMap<>(combination));
        this.cancelled = List.copyOf(cancelled);
        this.notCancelled = List.copyOf(notCancelled);
    }

    private static String message(Map<String, Object> combination, RuntimeException cause, List<String> cancelled,
            List<String> notCancelled) {
        StringBuilder sb = new StringBuilder("the sweep's run for ").append(combination).append(" could not start: ")
                .append(cause.getMessage());
        if (!cancelled.isEmpty()) {
            sb.append("; the ").append(cancelled.size()).append(cancelled.size() == 1 ? " run" : " runs")
                    .append(" it had started ").append(cancelled.size() == 1 ? "was" : "were").append(" cancelled: ")
                    .append(String.join(", ", cancelled));
        }
        if (!notCancelled.isEmpty()) sb.append("; could not cancel ").append(String.join("; ", notCancelled));
        return sb.toString();
    }

    /** The grid values of the run that could not start. Example: {@code e.combination()} → {@code {model=gpt-4o-mini-2024-07-18}}. */
    public Map<String, Object> combination() {
        return combination;
    }

    /** The ids of the jobs the sweep had started and cancelled. Example: {@code e.cancelled()} → {@code [ftjob-abc]}. */
    public List<String> cancelled() {
        return cancelled;
    }

    /** Jobs the sweep had started but could not cancel, each with the reason. Example: {@code e.notCancelled()}. */
    public List<String> notCancelled() {
        return notCancelled;
    }
}
