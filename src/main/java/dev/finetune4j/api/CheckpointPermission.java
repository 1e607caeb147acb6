package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * A grant of a checkpoint to a project ({@code object: "checkpoint.permission"}).
 *
 * @param id the permission's id ({@code cp_...}), used to revoke it
 * @param object always {@code checkpoint.permission}
 * @param createdAt when the grant was made, in Unix seconds
 * @param projectId {@code project_id}: the project that may use the checkpoint
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record CheckpointPermission(String id, String object, long createdAt, String projectId,
                                   @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The {@code object} value of a checkpoint permission. */
    public static final String OBJECT = "checkpoint.permission";

    /** Reads a null {@code extra} as an empty map. */
    public CheckpointPermission {
        extra = Extra.of(extra);
    }

    /** A permission with {@code object: "checkpoint.permission"} and no extra fields. */
    public CheckpointPermission(String id, long createdAt, String projectId) {
        this(id, OBJECT, createdAt, projectId, null);
    }
}
