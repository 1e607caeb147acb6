package dev.finetune4j.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Query of {@code GET /files}: {@code after}, {@code limit} (1..10000), {@code order} ({@code asc}|{@code desc}) and
 * {@code purpose}. Example: {@code FileListParams.builder().purpose("fine-tune").limit(100).build()}.
 */
public final class FileListParams {
    private final Map<String, Object> query;

    private FileListParams(Map<String, Object> query) {
        this.query = Params.frozen(query);
    }

    /** Starts empty params: every file, newest first, 10000 a page. */
    public static Builder builder() {
        return new Builder();
    }

    /** The query parameters, as sent. */
    public Map<String, Object> toQuery() {
        return query;
    }

    /** Builds {@link FileListParams}. */
    public static final class Builder {
        private final Map<String, Object> query = new LinkedHashMap<>();

        private Builder() {}

        /** {@code after}: start after this file id (the last one of the previous page). */
        public Builder after(String fileId) {
            query.put("after", fileId);
            return this;
        }

        /** {@code limit}: files per page, 1..10000 (default 10000). */
        public Builder limit(int limit) {
            query.put("limit", limit);
            return this;
        }

        /** {@code "asc"} or {@code "desc"} (by creation time; the default is {@code desc}). */
        public Builder order(String order) {
            query.put("order", order);
            return this;
        }

        /** {@code purpose}: only files with this purpose, e.g. {@code fine-tune}. */
        public Builder purpose(String purpose) {
            query.put("purpose", purpose);
            return this;
        }

        /** The params set so far. */
        public FileListParams build() {
            return new FileListParams(query);
        }
    }
}
