package dev.finetune4j.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Paging of job events and job checkpoints: {@code after} (the id of the last item seen) and {@code limit}.
 * Example: {@code client.fineTuning().jobs().listEvents(jobId, ListParams.builder().limit(5).build())}.
 */
public final class ListParams {
    private final Map<String, Object> query;

    private ListParams(Map<String, Object> query) {
        this.query = Params.frozen(query);
    }

    /** Starts empty params: the first page, at the service's page size. */
    public static Builder builder() {
        return new Builder();
    }

    /** The query parameters. */
    public Map<String, Object> toQuery() {
        return query;
    }

    /** Builds {@link ListParams}. */
    public static final class Builder {
        private final Map<String, Object> query = new LinkedHashMap<>();

        private Builder() {}

        /** {@code after}: start after this item's id (the last one of the previous page). */
        public Builder after(String id) {
            query.put("after", id);
            return this;
        }

        /** {@code limit}: items per page (the service's default: 20 events, 10 checkpoints). */
        public Builder limit(int limit) {
            query.put("limit", limit);
            return this;
        }

        /** The params set so far. */
        public ListParams build() {
            return new ListParams(query);
        }
    }
}
