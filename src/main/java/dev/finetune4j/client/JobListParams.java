package dev.finetune4j.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Query of {@code GET /fine_tuning/jobs}: {@code after}, {@code limit} (default 20) and a metadata filter sent as
 * {@code metadata[k]=v}, or {@code metadata=null} for jobs without metadata.
 * Example: {@code JobListParams.builder().limit(10).metadata(Map.of("team", "ml")).build()}.
 */
public final class JobListParams {
    private final Map<String, Object> query;

    private JobListParams(Map<String, Object> query) {
        this.query = Params.frozen(query);
    }

    /** Starts empty params: every job, newest first, 20 a page. */
    public static Builder builder() {
        return new Builder();
    }

    /** The query parameters, as sent. */
    public Map<String, Object> toQuery() {
        return query;
    }

    /** Builds {@link JobListParams}. */
    public static final class Builder {
        private final Map<String, Object> query = new LinkedHashMap<>();

        private Builder() {}

        /** {@code after}: start after this job id (the last one of the previous page). */
        public Builder after(String jobId) {
            query.put("after", jobId);
            return this;
        }

        /** {@code limit}: jobs per page (default 20). */
        public Builder limit(int limit) {
            query.put("limit", limit);
            return this;
        }

        /** Only jobs whose metadata holds all these pairs. */
        public Builder metadata(Map<String, String> metadata) {
            query.put("metadata", Map.copyOf(metadata));
            return this;
        }

        /** Only jobs created without metadata (sent as {@code metadata=null}). Example: {@code .withoutMetadata()}. */
        public Builder withoutMetadata() {
            query.put("metadata", "null");
            return this;
        }

        /** The params set so far. */
        public JobListParams build() {
            return new JobListParams(query);
        }
    }
}
