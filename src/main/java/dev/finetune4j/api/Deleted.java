package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** The answer to a delete: files ({@code file}), models ({@code model}), permissions ({@code checkpoint.permission}). */
public record Deleted(String id, String object, boolean deleted,
                      @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public Deleted {
        extra = Extra.of(extra);
    }

    public Deleted(String id, String object, boolean deleted) {
        this(id, object, deleted, null);
    }
}
