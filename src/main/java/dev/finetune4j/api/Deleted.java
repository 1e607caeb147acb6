package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * The answer to a delete: files ({@code file}), models ({@code model}), permissions ({@code checkpoint.permission}).
 *
 * @param id the id (or model name) of the deleted object
 * @param object the kind of object deleted, e.g. {@code file}
 * @param deleted true when the object is gone
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record Deleted(String id, String object, boolean deleted,
                      @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} as an empty map. */
    public Deleted {
        extra = Extra.of(extra);
    }

    /** A delete answer without extra fields. */
    public Deleted(String id, String object, boolean deleted) {
        this(id, object, deleted, null);
    }
}
