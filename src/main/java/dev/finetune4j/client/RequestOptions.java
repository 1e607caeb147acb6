package dev.finetune4j.client;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-request settings, the Java form of the SDKs' {@code extra_headers}, {@code extra_query}, {@code extra_body},
 * {@code timeout} and {@code max_retries}. Example:
 * {@code RequestOptions.builder().header("X-Trace", "1").timeout(Duration.ofSeconds(20)).maxRetries(0).build()}.
 */
public final class RequestOptions {
    /** No extra settings: the client's defaults apply. */
    public static final RequestOptions NONE = builder().build();

    private final Map<String, String> headers;
    private final Map<String, Object> query;
    private final Map<String, Object> body;
    private final Duration timeout;
    private final Integer maxRetries;

    private RequestOptions(Builder b) {
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.query = Collections.unmodifiableMap(new LinkedHashMap<>(b.query));
        this.body = Collections.unmodifiableMap(new LinkedHashMap<>(b.body));
        this.timeout = b.timeout;
        this.maxRetries = b.maxRetries;
    }

    /** Starts an empty set of options: {@code RequestOptions.builder().maxRetries(5).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Extra headers; they override the client's headers of the same name. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Extra query parameters; nested maps and lists are encoded with brackets ({@code a[b]=c}). */
    public Map<String, Object> query() {
        return query;
    }

    /** Extra top-level fields merged into the JSON (or multipart) body. */
    public Map<String, Object> body() {
        return body;
    }

    /** The read/write timeout for this request, or null for the client's. */
    public Duration timeout() {
        return timeout;
    }

    /** Retries for this request, or null for the client's. */
    public Integer maxRetries() {
        return maxRetries;
    }

    static RequestOptions orNone(RequestOptions options) {
        return options == null ? NONE : options;
    }

    /** A builder holding these options, to change some of them. */
    Builder toBuilder() {
        Builder b = new Builder().headers(headers).query(query).body(body).timeout(timeout);
        b.maxRetries = maxRetries;
        return b;
    }

    /** These options as defaults, with {@code over}'s values winning where both have one. */
    RequestOptions overriddenBy(RequestOptions over) {
        if (over == NONE) return this;
        if (this == NONE) return over;
        Builder b = toBuilder().headers(over.headers).query(over.query).body(over.body);
        if (over.timeout != null) b.timeout = over.timeout;
        if (over.maxRetries != null) b.maxRetries = over.maxRetries;
        return b.build();
    }

    /** Builds {@link RequestOptions}. */
    public static final class Builder {
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, Object> query = new LinkedHashMap<>();
        private final Map<String, Object> body = new LinkedHashMap<>();
        private Duration timeout;
        private Integer maxRetries;

        private Builder() {}

        /** A header for this request, replacing the client's of the same name. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Adds these headers, as {@link #header} does each. */
        public Builder headers(Map<String, String> values) {
            headers.putAll(values);
            return this;
        }

        /** A query parameter for this request (the SDKs' {@code extra_query}). */
        public Builder queryParam(String name, Object value) {
            query.put(name, value);
            return this;
        }

        /** Adds these query parameters, as {@link #queryParam} does each. */
        public Builder query(Map<String, ?> values) {
            query.putAll(values);
            return this;
        }

        /** A top-level field merged into the body (the SDKs' {@code extra_body}), replacing one of the same name. */
        public Builder bodyField(String name, Object value) {
            body.put(name, value);
            return this;
        }

        /** Adds these body fields, as {@link #bodyField} does each. */
        public Builder body(Map<String, ?> values) {
            body.putAll(values);
            return this;
        }

        /** Read/write timeout of this request, positive; null keeps the client's. */
        public Builder timeout(Duration value) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, got " + value);
            }
            timeout = value;
            return this;
        }

        /** Retries of this request after the first attempt, 0 or more. */
        public Builder maxRetries(int value) {
            if (value < 0) throw new IllegalArgumentException("maxRetries must be >= 0, got " + value);
            maxRetries = value;
            return this;
        }

        /** The options set so far. */
        public RequestOptions build() {
            return new RequestOptions(this);
        }
    }
}
