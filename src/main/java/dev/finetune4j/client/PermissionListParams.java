package dev.finetune4j.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Query of {@code GET /fine_tuning/checkpoints/{checkpoint}/permissions}: {@code project_id}, {@code after},
 * {@code limit} and {@code order} ({@code ascending}|{@code descending}). Example:
 * {@code PermissionListParams.builder().projectId("proj_1").build()}.
 */
public final class PermissionListParams {
    private final Map<String, Object> query;

    private PermissionListParams(Map<String, Object> query) {
        this.query = Params.frozen(query);
    }

    /** Starts empty params: every grant of the checkpoint, newest first. */
    public static Builder builder() {
        return new Builder();
    }

    /** The query parameters, as sent. */
    public Map<String, Object> toQuery() {
        return query;
    }

    /** Builds {@link PermissionListParams}. */
    public static final class Builder {
        private final Map<String, Object> query = new LinkedHashMap<>();

        private Builder() {}

        /** {@code project_id}: only the grant to this project. */
        public Builder projectId(String projectId) {
            query.put("project_id", projectId);
            return this;
        }

        /** {@code after}: start after this permission id (the last one of the previous page). */
        public Builder after(String permissionId) {
            query.put("after", permissionId);
            return this;
        }

        /** {@code limit}: permissions per page (default 10). */
        public Builder limit(int limit) {
            query.put("limit", limit);
            return this;
        }

        /** {@code "ascending"} or {@code "descending"} (the default). */
        public Builder order(String order) {
            query.put("order", order);
            return this;
        }

        /** The params set so far. */
        public PermissionListParams build() {
            return new PermissionListParams(query);
        }
    }
}
