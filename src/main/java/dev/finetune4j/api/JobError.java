package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** Why a job failed: {@code code}, {@code message} and the {@code param} at fault (null when none). */
public record JobError(String code, String message, String param,
                       @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public JobError {
        extra = Extra.of(extra);
    }

    public JobError(String code, String message, String param) {
        this(code, message, param, null);
    }
}
