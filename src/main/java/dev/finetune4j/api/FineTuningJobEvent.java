package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * A job event ({@code object: "fine_tuning.job.event"}). {@code type} is {@code message} or {@code metrics};
 * a metrics event carries the step metrics in {@code data} ({@code step}, {@code train_loss}, ...).
 *
 * @param id the event's id ({@code ftevent-...})
 * @param object always {@code fine_tuning.job.event}
 * @param createdAt {@code created_at}: when the event happened, in Unix seconds
 * @param level {@code info}, {@code warn} or {@code error}
 * @param message what happened, for people
 * @param type {@code message} or {@code metrics}; null when the server sent none
 * @param data a metrics event's step metrics; empty or null for other events
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record FineTuningJobEvent(String id, String object, long createdAt, String level, String message,
                                 @JsonInclude(Include.NON_NULL) String type,
                                 @JsonInclude(Include.NON_NULL) Map<String, Object> data,
                                 @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The {@code object} value of a job event. */
    public static final String OBJECT = "fine_tuning.job.event";
    /** The {@code type} of an event that only carries its message. */
    public static final String TYPE_MESSAGE = "message";
    /** The {@code type} of an event whose {@code data} holds a training step's metrics. */
    public static final String TYPE_METRICS = "metrics";

    /** Reads a null {@code extra} as an empty map. */
    public FineTuningJobEvent {
        extra = Extra.of(extra);
    }

    /** Whether this is a metrics event, its {@code data} holding the step metrics. */
    @JsonIgnore // a convenience, not a wire field
    public boolean isMetrics() {
        return TYPE_METRICS.equals(type);
    }

    /**
     * Whether {@code data} holds anything: message events carry {@code "data": {}}, so this is Python's
     * {@code if event.data:}. Example: {@code if (event.hasData()) System.out.println(event.data())}.
     */
    @JsonIgnore
    public boolean hasData() {
        return data != null && !data.isEmpty();
    }
}
