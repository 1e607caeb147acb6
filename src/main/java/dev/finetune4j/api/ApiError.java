package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * The {@code error} object of an OpenAI error body: {@code message}, {@code type}, {@code param}, {@code code}.
 *
 * @param message what went wrong, for people
 * @param type the error's class, e.g. {@code invalid_request_error}
 * @param param the request parameter at fault, or null
 * @param code a machine-readable code, e.g. {@code invalid_api_key}, or null
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record ApiError(String message, String type, String param, String code,
                       @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} as an empty map. */
    public ApiError {
        extra = Extra.of(extra);
    }

    /** An error object without extra fields. */
    public ApiError(String message, String type, String param, String code) {
        this(message, type, param, code, null);
    }
}
