package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A plain HTTP client for server tests: JSON in, status and JSON tree out. */
final class Http {
    record Response(int status, String body) {
        JsonNode json() {
            return Json.tree(body);
        }

        String error() {
            return json().path("error").path("code").asText(null);
        }

        String param() {
            return json().path("error").path("param").asText(null);
        }

        String code() {
            return json().path("error").path("code").asText(null);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String key;
    private final Map<String, String> headers;

    Http(String baseUrl, String key) {
        this(baseUrl, key, Map.of());
    }

    private Http(String baseUrl, String key, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.key = key;
        this.headers = headers;
    }

    Http as(String otherKey) {
        return new Http(baseUrl, otherKey, headers);
    }

    /** The same client sending one more header with every request. */
    Http withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new Http(baseUrl, key, all);
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    Response delete(String path) {
        return send(request(path).DELETE());
    }

    Response post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    Response post(String path, Object body) {
        return post(path, Json.write(body));
    }

    /** A POST of raw bytes with the given content type, for bodies no well-behaved client sends. */
    Response post(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A multipart POST: string fields, and one file field named {@code fileField}. */
    Response multipart(String path, Map<String, String> fields, String fileField, String filename, byte[] content) {
        String boundary = "----finetune4j" + System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                        + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (fileField != null) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
                        + "\"; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.write(content);
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (key != null) b.header("Authorization", "Bearer " + key);
        headers.forEach(b::header);
        return b;
    }

    private static Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
