package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * Why a job failed: {@code code}, {@code message} and the {@code param} at fault (null when none).
 *
 * @param code a machine-readable code, e.g. {@code invalid_training_file}
 * @param message what went wrong, for people
 * @param param the job parameter at fault, e.g. {@code training_file}, or null
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record JobError(String code, String message, String param,
                       @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} as an empty map. */
    public JobError {
        extra = Extra.of(extra);
    }

    /** A job error without extra fields. */
    public JobError(String code, String message, String param) {
        this(code, message, param, null);
    }
}
