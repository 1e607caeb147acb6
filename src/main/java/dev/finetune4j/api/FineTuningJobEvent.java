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
 */
public record FineTuningJobEvent(String id, String object, long createdAt, String level, String message,
                                 @JsonInclude(Include.NON_NULL) String type,
                                 @JsonInclude(Include.NON_NULL) Map<String, Object> data,
                                 @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "fine_tuning.job.event";
    public static final String TYPE_MESSAGE = "message";
    public static final String TYPE_METRICS = "metrics";

    public FineTuningJobEvent {
        extra = Extra.of(extra);
    }

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
