package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A grant of a checkpoint to a project ({@code object: "checkpoint.permission"}). */
public record CheckpointPermission(String id, String object, long createdAt, String projectId,
                                   @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "checkpoint.permission";

    public CheckpointPermission {
        extra = Extra.of(extra);
    }

    public CheckpointPermission(String id, long createdAt, String projectId) {
        this(id, OBJECT, createdAt, projectId, null);
    }
}
