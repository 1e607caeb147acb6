package dev.finetune4j.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /uploads}: {@code filename}, {@code purpose}, {@code bytes} (the total size) and
 * {@code mime_type} are required. Example:
 * {@code UploadCreateParams.builder().filename("train.jsonl").purpose("fine-tune").bytes(size).mimeType("text/jsonl").build()}.
 */
public final class UploadCreateParams {
    private final Map<String, Object> values;

    private UploadCreateParams(Map<String, Object> values) {
        Params.require(values, "upload", "filename", "purpose", "bytes", "mime_type");
        this.values = Params.frozen(values);
    }

    /** Starts an empty body; {@code filename}, {@code purpose}, {@code bytes} and {@code mime_type} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The JSON body, snake_case, as sent. */
    public Map<String, Object> toMap() {
        return values;
    }

    /** Builds {@link UploadCreateParams}. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {}

        /** {@code filename}: the name the resulting file gets. */
        public Builder filename(String filename) {
            values.put("filename", filename);
            return this;
        }

        /** {@code assistants}, {@code batch}, {@code fine-tune} or {@code vision}. */
        public Builder purpose(String purpose) {
            values.put("purpose", purpose);
            return this;
        }

        /** {@code bytes}: the file's total size, which the parts must add up to (at most 8 GB). */
        public Builder bytes(long bytes) {
            values.put("bytes", bytes);
            return this;
        }

        /** {@code mime_type}, e.g. {@code text/jsonl} for training data; it must suit the purpose. */
        public Builder mimeType(String mimeType) {
            values.put("mime_type", mimeType);
            return this;
        }

        /** Expire the resulting file this many seconds (3600..2592000) after its creation. */
        public Builder expiresAfterSeconds(long seconds) {
            values.put("expires_after", Map.of("anchor", "created_at", "seconds", seconds));
            return this;
        }

        /** The body; throws {@link IllegalArgumentException} when a required field is missing. */
        public UploadCreateParams build() {
            return new UploadCreateParams(values);
        }
    }
}
