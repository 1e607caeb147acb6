package dev.finetune4j.client;

import dev.finetune4j.api.CheckpointPermission;
import dev.finetune4j.api.Deleted;
import java.util.List;
import java.util.Map;

/**
 * {@code /fine_tuning/checkpoints/{checkpoint}/permissions}: share a fine-tuned checkpoint with projects. The
 * checkpoint is its model name (e.g. {@code ft:gpt-4o-mini:org:suffix:id}); its colons are sent as they are.
 * OpenAI requires an admin API key for these calls.
 */
public final class PermissionService {
    private final Transport transport;

    PermissionService(Transport transport) {
        this.transport = transport;
    }

    /** Grants projects access; answers the created permissions as one page: {@code create(ckpt, List.of("proj_1"))}. */
    public CursorPage<CheckpointPermission> create(String checkpoint, List<String> projectIds) {
        return create(checkpoint, projectIds, RequestOptions.NONE);
    }

    /** As {@link #create(String, List)}, with per-request options. */
    public CursorPage<CheckpointPermission> create(String checkpoint, List<String> projectIds,
                                                   RequestOptions options) {
        if (projectIds == null || projectIds.isEmpty()) {
            throw new IllegalArgumentException("checkpoint permission: 'project_ids' must name at least one project");
        }
        ApiRequest request = ApiRequest.post(options, "fine_tuning", "checkpoints", checkpoint, "permissions")
                .body(Map.of("project_ids", List.copyOf(projectIds)));
        return transport.page(request, CheckpointPermission.class, null);
    }

    /** Lists permissions, walking pages by {@code last_id}: {@code for (CheckpointPermission p : list(ckpt)) ...}. */
    public CursorPage<CheckpointPermission> list(String checkpoint) {
        return list(checkpoint, PermissionListParams.builder().build(), RequestOptions.NONE);
    }

    /** Lists permissions filtered and paged by {@code params} (project, page size, order), walking all pages. */
    public CursorPage<CheckpointPermission> list(String checkpoint, PermissionListParams params) {
        return list(checkpoint, params, RequestOptions.NONE);
    }

    /** As {@link #list(String, PermissionListParams)}, with per-request options. */
    public CursorPage<CheckpointPermission> list(String checkpoint, PermissionListParams params,
                                                 RequestOptions options) {
        return transport.page(request(checkpoint, params, options), CheckpointPermission.class,
                Cursors.envelopeLastId());
    }

    /**
     * One page of permissions, without auto-paging (the older SDK call; prefer {@link #list}):
     * {@code retrieve(ckpt, PermissionListParams.builder().projectId("proj_1").build()).data()}.
     */
    public CursorPage<CheckpointPermission> retrieve(String checkpoint) {
        return retrieve(checkpoint, PermissionListParams.builder().build(), RequestOptions.NONE);
    }

    /** One page of permissions, filtered and paged by {@code params}; see {@link #retrieve(String)}. */
    public CursorPage<CheckpointPermission> retrieve(String checkpoint, PermissionListParams params) {
        return retrieve(checkpoint, params, RequestOptions.NONE);
    }

    /** As {@link #retrieve(String, PermissionListParams)}, with per-request options. */
    public CursorPage<CheckpointPermission> retrieve(String checkpoint, PermissionListParams params,
                                                     RequestOptions options) {
        return transport.page(request(checkpoint, params, options), CheckpointPermission.class, null);
    }

    /**
     * Revokes a permission; the checkpoint comes first, then the permission id (Python's order is the other way
     * round): {@code delete("ft:gpt-4o-mini:org:weather:7p4lURel:ckpt-step-10", "cp_abc123").deleted()}.
     */
    public Deleted delete(String checkpoint, String permissionId) {
        return delete(checkpoint, permissionId, RequestOptions.NONE);
    }

    /** {@link #delete(String, String)} with per-request options: {@code delete(ckpt, "cp_abc123", options)}. */
    public Deleted delete(String checkpoint, String permissionId, RequestOptions options) {
        checkOrder(checkpoint, permissionId);
        return transport.json(ApiRequest.delete(options, "fine_tuning", "checkpoints", checkpoint, "permissions",
                permissionId), Deleted.class);
    }

    /**
     * Python's {@code delete(permission_id, fine_tuned_model_checkpoint=...)} puts the id first; swapped here, the
     * two strings would reach the service as an unknown checkpoint and answer a puzzling 404.
     */
    static void checkOrder(String checkpoint, String permissionId) {
        if (checkpoint != null && checkpoint.startsWith("cp_") && permissionId != null
                && !permissionId.startsWith("cp_")) {
            throw new IllegalArgumentException("checkpoint permission delete: the arguments are swapped. The order is"
                    + " delete(checkpoint, permissionId), e.g. delete(\"ft:gpt-4o-mini:org:suffix:id:ckpt-step-10\","
                    + " \"cp_abc123\"); got checkpoint \"" + checkpoint + "\" and permission id \"" + permissionId
                    + "\"");
        }
    }

    private static ApiRequest request(String checkpoint, PermissionListParams params, RequestOptions options) {
        return ApiRequest.get(options, "fine_tuning", "checkpoints", checkpoint, "permissions")
                .query(params.toQuery());
    }
}
