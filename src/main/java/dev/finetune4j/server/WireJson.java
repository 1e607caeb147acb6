package dev.finetune4j.server;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.Json;

/**
 * The mapping of server responses: {@link Json#MAPPER} without the convenience accessors of the wire records
 * ({@code isTerminal()}, {@code isMetrics()}), which Jackson would otherwise write as extra fields.
 */
final class WireJson {
    static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .addMixIn(FineTuningJob.class, JobMixin.class)
            .addMixIn(FineTuningJobEvent.class, EventMixin.class);

    private WireJson() {}

    abstract static class JobMixin {
        @JsonIgnore
        abstract boolean isTerminal();
    }

    abstract static class EventMixin {
        @JsonIgnore
        abstract boolean isMetrics();
    }
}
