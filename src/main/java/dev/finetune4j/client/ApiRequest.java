package dev.finetune4j.client;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.RequestBody;

/**
 * One API call before it goes on the wire: method, raw path segments (encoded later), query, a JSON body or
 * multipart form, the expected content type and the caller's options.
 */
record ApiRequest(String method, List<String> segments, Map<String, Object> query, Object body,
                  List<FormPart> form, String accept, RequestOptions options) {

    static final String JSON = "application/json";

    ApiRequest {
        options = RequestOptions.orNone(options);
        query = query == null ? Map.of() : query;
    }

    static ApiRequest get(RequestOptions options, String... segments) {
        return new ApiRequest("GET", Arrays.asList(segments), null, null, null, JSON, options);
    }

    static ApiRequest post(RequestOptions options, String... segments) {
        return new ApiRequest("POST", Arrays.asList(segments), null, null, null, JSON, options);
    }

    static ApiRequest delete(RequestOptions options, String... segments) {
        return new ApiRequest("DELETE", Arrays.asList(segments), null, null, null, JSON, options);
    }

    ApiRequest query(Map<String, ?> values) {
        Map<String, Object> merged = new LinkedHashMap<>(query);
        if (values != null) merged.putAll(values);
        return new ApiRequest(method, segments, merged, body, form, accept, options);
    }

    ApiRequest queryParam(String name, Object value) {
        return query(java.util.Collections.singletonMap(name, value));
    }

    ApiRequest body(Object json) {
        return new ApiRequest(method, segments, query, json, form, accept, options);
    }

    ApiRequest form(List<FormPart> parts) {
        return new ApiRequest(method, segments, query, body, parts, accept, options);
    }

    ApiRequest accept(String contentType) {
        return new ApiRequest(method, segments, query, body, form, contentType, options);
    }

    ApiRequest options(RequestOptions value) {
        return new ApiRequest(method, segments, query, body, form, accept, value);
    }

    /** Calls OpenAI reserves to admin keys: checkpoint permissions and the organisation endpoints. */
    boolean adminOnly() {
        return segments.contains("permissions") && segments.get(0).equals("fine_tuning")
                || segments.get(0).equals("organization");
    }

    String path() {
        return "/" + String.join("/", segments);
    }

    /** A multipart field: a plain value, or a file (name plus a body that can be written again on retry). */
    record FormPart(String name, String value, String filename, RequestBody content) {
        static FormPart field(String name, String value) {
            return new FormPart(name, value, null, null);
        }

        static FormPart file(String name, String filename, RequestBody content) {
            return new FormPart(name, null, filename, content);
        }
    }
}
