package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/**
 * A response with its HTTP details: status, headers, request id and the raw JSON, next to the parsed value.
 * Obtain one with {@link OpenAI#withRawResponse}:
 * {@code client.withRawResponse(c -> c.fineTuning().jobs().retrieve("ftjob-abc")).requestId()}.
 */
public final class ApiResponse<T> {
    private final int statusCode;
    private final Map<String, List<String>> headers;
    private final String rawJson;
    private final T value;

    ApiResponse(int statusCode, Map<String, List<String>> headers, String rawJson, T value) {
        this.statusCode = statusCode;
        this.headers = headers;
        this.rawJson = rawJson;
        this.value = value;
    }

    /** The HTTP status, e.g. 200. */
    public int statusCode() {
        return statusCode;
    }

    /** All response headers, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (name case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The {@code x-request-id} header. */
    public String requestId() {
        return header("x-request-id");
    }

    /** The body as received; null for streamed bodies (file content, SSE). */
    public String rawJson() {
        return rawJson;
    }

    /** The parsed value, as the plain call would have returned it. */
    public T parse() {
        return value;
    }

    @Override
    public String toString() {
        return "ApiResponse[status=" + statusCode + ", requestId=" + requestId() + "]";
    }
}
