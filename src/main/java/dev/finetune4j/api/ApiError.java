package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** The {@code error} object of an OpenAI error body: {@code message}, {@code type}, {@code param}, {@code code}. */
public record ApiError(String message, String type, String param, String code,
                       @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public ApiError {
        extra = Extra.of(extra);
    }

    public ApiError(String message, String type, String param, String code) {
        this(message, type, param, code, null);
    }
}
