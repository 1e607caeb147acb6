package dev.finetune4j.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.Json;
import dev.finetune4j.api.Page;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends {@link ApiRequest}s: builds URL, headers and body, retries per {@link RetryPolicy}, maps error statuses
 * to exceptions and parses JSON with {@link Json#MAPPER}.
 */
final class Transport {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final long MAX_ERROR_BODY = 1 << 20;
    /** Azure routes these through {@code /deployments/{deployment}/...}; everything else is account-wide. */
    private static final Set<String> AZURE_DEPLOYMENT_PATHS = Set.of("/chat/completions", "/completions",
            "/embeddings", "/audio/transcriptions", "/audio/translations", "/audio/speech", "/images/generations");
    private static final ThreadLocal<Exchange[]> CAPTURE = new ThreadLocal<>();
    /** Told of each call the thread makes, so that another thread can cancel it (see {@link #watchingCalls}). */
    private static final ThreadLocal<Consumer<Call>> CALLS = new ThreadLocal<>();

    private final OkHttpClient http;
    private final HttpUrl baseUrl;
    private final Map<String, String> headers;
    private final Supplier<String> authorization;
    private final Map<String, String> defaultQuery;
    private final int maxRetries;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final boolean azureDeployments;
    private final String azureDeployment;
    private final String adminAuthorization;
    private final RequestOptions defaults;

    /** {@code authorization}, when not null, gives the Authorization header of each request (tokens that expire). */
    Transport(OkHttpClient http, HttpUrl baseUrl, Map<String, String> headers, Supplier<String> authorization,
              Map<String, String> defaultQuery, int maxRetries, RetryPolicy retry, Sleeper sleeper,
              boolean azureDeployments, String azureDeployment, String adminAuthorization, RequestOptions defaults) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
        this.authorization = authorization;
        this.defaultQuery = Map.copyOf(defaultQuery);
        this.maxRetries = maxRetries;
        this.retry = retry;
        this.sleeper = sleeper;
        this.azureDeployments = azureDeployments;
        this.azureDeployment = azureDeployment;
        this.adminAuthorization = adminAuthorization;
        this.defaults = RequestOptions.orNone(defaults);
    }

    /** The same connections and settings with other default request options (see {@link OpenAI#withOptions}). */
    Transport withDefaults(RequestOptions options) {
        return new Transport(http, baseUrl, headers, authorization, defaultQuery, maxRetries, retry, sleeper,
                azureDeployments, azureDeployment, adminAuthorization, options);
    }

    RequestOptions defaults() {
        return defaults;
    }

    HttpUrl baseUrl() {
        return baseUrl;
    }

    OkHttpClient http() {
        return http;
    }

    /** Sends the request and parses the JSON answer into {@code type}. */
    <T> T json(ApiRequest request, Class<T> type) {
        return json(request, Json.MAPPER.constructType(type));
    }

    <T> T json(ApiRequest request, JavaType type) {
        try (Response response = execute(request)) {
            String raw;
            try {
                raw = response.body().string();
            } catch (IOException e) {
                throw connectionError(e);
            }
            capture(response, raw);
            T value;
            try {
                value = Json.MAPPER.readValue(raw, type);
            } catch (JsonProcessingException e) {
                throw invalidAnswer(request, response, raw, type, e.getOriginalMessage(), e);
            }
            if (value == null) throw invalidAnswer(request, response, raw, type, "the body is null", null);
            return value;
        }
    }

    private static ApiException invalidAnswer(ApiRequest request, Response response, String raw, JavaType type,
                                              String why, Exception cause) {
        String id = response.header("x-request-id");
        String contentType = response.header("Content-Type");
        String start = raw.length() <= 200 ? raw : raw.substring(0, 200) + "...";
        return new ApiException("The response of " + request.method() + " " + request.path() + " (HTTP "
                + response.code() + (id != null ? ", request " + id : "")
                + (contentType != null ? ", " + contentType : "") + ") is not a valid "
                + type.getRawClass().getSimpleName() + ": " + why + ". It starts: " + start.strip(), null, null, null,
                null, raw, cause);
    }

    /** Sends the request and returns the open, successful response; the caller reads and closes its body. */
    Response stream(ApiRequest request) {
        return stream(request, call -> {});
    }

    /** As {@link #stream(ApiRequest)}; {@code started} gets each call made, so another thread can cancel it. */
    Response stream(ApiRequest request, Consumer<Call> started) {
        Response response = execute(request, started);
        capture(response, null);
        return response;
    }

    /** Fetches one page of a list; {@code cursor} finds the next page's {@code after}, or is null for one page. */
    <T> CursorPage<T> page(ApiRequest request, Class<T> itemType, Function<Page<T>, String> cursor) {
        JavaType type = Json.MAPPER.getTypeFactory().constructParametricType(Page.class, itemType);
        Page<T> envelope = json(request, type);
        if (cursor == null) return new CursorPage<>(envelope, null, null);
        return new CursorPage<>(envelope, cursor.apply(envelope),
                after -> page(request.queryParam("after", after), itemType, cursor));
    }

    /** Runs {@code call} and returns its value with the HTTP details of the last response it received. */
    static <T> ApiResponse<T> captureRaw(Supplier<T> call) {
        Exchange[] box = new Exchange[1];
        Exchange[] previous = CAPTURE.get();
        CAPTURE.set(box);
        try {
            T value = call.get();
            if (box[0] == null) throw new IllegalStateException("the call made no HTTP request on this thread");
            return new ApiResponse<>(box[0].status(), box[0].headers(), box[0].body(), value);
        } finally {
            if (previous == null) CAPTURE.remove();
            else CAPTURE.set(previous);
        }
    }

    private static void capture(Response response, String raw) {
        Exchange[] box = CAPTURE.get();
        if (box != null) box[0] = new Exchange(response.code(), response.headers().toMultimap(), raw);
    }

    private record Exchange(int status, Map<String, List<String>> headers, String body) {}

    /** Runs {@code work}, telling {@code calls} of each HTTP call it makes on this thread. */
    static void watchingCalls(Consumer<Call> calls, Runnable work) {
        Consumer<Call> previous = CALLS.get();
        CALLS.set(calls);
        try {
            work.run();
        } finally {
            if (previous == null) CALLS.remove();
            else CALLS.set(previous);
        }
    }

    /** Sends with retries; returns a 2xx response or throws the matching exception. */
    Response execute(ApiRequest request) {
        return execute(request, call -> {});
    }

    private Response execute(ApiRequest request, Consumer<Call> started) {
        request = request.options(defaults.overriddenBy(request.options()));
        RequestOptions options = request.options();
        int allowed = options.maxRetries() != null ? options.maxRetries() : maxRetries;
        OkHttpClient client = clientFor(options);
        for (int retriesTaken = 0; ; retriesTaken++) {
            Request httpRequest = build(request, retriesTaken);
            Response response;
            try {
                Call call = client.newCall(httpRequest);
                started.accept(call);
                Consumer<Call> watcher = CALLS.get();
                if (watcher != null) watcher.accept(call);
                response = call.execute();
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) throw interrupted(request, e);
                if (retriesTaken < allowed) {
                    pause(retry.backoff(retriesTaken));
                    continue;
                }
                throw connectionError(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                // OkHttp throws InterruptedException, a checked exception it does not declare, when the thread is
                // interrupted while it opens a connection: keep the interrupt and throw what callers catch
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                throw interrupted(request, e);
            }
            if (response.isSuccessful()) return response;
            String body;
            try (response) {
                body = response.peekBody(MAX_ERROR_BODY).string();
            } catch (IOException e) {
                body = null;
            }
            if (retriesTaken < allowed && retry.shouldRetry(response.code(), response.headers())) {
                pause(retry.delay(response.headers(), retriesTaken));
                continue;
            }
            throw ApiStatusException.of(response.code(), body, response.headers().toMultimap());
        }
    }

    private OkHttpClient clientFor(RequestOptions options) {
        Duration timeout = options.timeout();
        if (timeout == null) return http;
        OkHttpClient.Builder b = http.newBuilder().readTimeout(timeout).writeTimeout(timeout);
        if (timeout.toMillis() < http.connectTimeoutMillis()) b.connectTimeout(timeout);
        return b.build();
    }

    private void pause(Duration delay) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("Interrupted while waiting to retry", e);
        }
    }

    private static ApiConnectionException interrupted(ApiRequest request, Exception e) {
        return new ApiConnectionException("Interrupted: " + request.method() + " " + request.path(), e);
    }

    private static ApiConnectionException connectionError(IOException e) {
        // OkHttp reports an interrupted thread with the same InterruptedIOException as a timeout
        if (Thread.currentThread().isInterrupted()) return new ApiConnectionException("Interrupted: " + e.getMessage(), e);
        if (e instanceof InterruptedIOException) {
            return new ApiTimeoutException("Request timed out (" + e.getMessage() + "): no answer within the client's"
                    + " timeout; give a longer one with OpenAI.builder().timeout(...) or RequestOptions", e);
        }
        return new ApiConnectionException("Connection error: " + e, e);
    }

    private Request build(ApiRequest request, int retryCount) {
        RequestOptions options = request.options();
        HttpUrl.Builder url = baseUrl.newBuilder();
        if (azureDeployments && AZURE_DEPLOYMENT_PATHS.contains(request.path())) {
            String deployment = azureDeployment != null ? azureDeployment : modelOf(request.body());
            if (deployment != null) {
                url.addEncodedPathSegment("deployments").addEncodedPathSegment(Urls.encodeSegment(deployment));
            }
        }
        for (String segment : request.segments()) url.addEncodedPathSegment(Urls.encodeSegment(segment));
        Map<String, Object> query = new LinkedHashMap<>(defaultQuery);
        query.putAll(request.query());
        query.putAll(options.query());
        for (Map.Entry<String, String> e : Urls.flatten(query)) url.addQueryParameter(e.getKey(), e.getValue());

        Request.Builder b = new Request.Builder().url(url.build());
        b.header("Accept", request.accept());
        headers.forEach(b::header);
        if (authorization != null) b.header("Authorization", authorization.get());
        if (adminAuthorization != null && request.adminOnly()) b.header("Authorization", adminAuthorization);
        b.header("x-stainless-retry-count", Integer.toString(retryCount));
        options.headers().forEach((name, value) -> {
            if (value == null) b.removeHeader(name);
            else b.header(name, value);
        });
        b.method(request.method(), body(request));
        return b.build();
    }

    private static RequestBody body(ApiRequest request) {
        RequestOptions options = request.options();
        if (request.form() != null) {
            MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM);
            for (ApiRequest.FormPart part : request.form()) {
                if (part.content() != null) form.addFormDataPart(part.name(), part.filename(), part.content());
                else form.addFormDataPart(part.name(), part.value());
            }
            for (Map.Entry<String, String> e : Urls.flatten(options.body())) {
                form.addFormDataPart(e.getKey(), e.getValue());
            }
            return form.build();
        }
        if (request.body() != null || !options.body().isEmpty()) {
            JsonNode tree = request.body() == null ? Json.MAPPER.createObjectNode()
                    : Json.MAPPER.valueToTree(request.body());
            if (!options.body().isEmpty()) {
                if (!(tree instanceof ObjectNode object)) {
                    throw new IllegalArgumentException("extra body fields need a JSON object body");
                }
                options.body().forEach((k, v) -> object.set(k, Json.MAPPER.valueToTree(v)));
            }
            try {
                return RequestBody.create(Json.MAPPER.writeValueAsBytes(tree), JSON_TYPE);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the request body cannot be written as JSON: " + e.getMessage(), e);
            }
        }
        return switch (request.method()) {
            case "POST", "PUT", "PATCH" -> RequestBody.EMPTY;
            default -> null;
        };
    }

    private static String modelOf(Object body) {
        if (body == null) return null;
        JsonNode model = Json.MAPPER.valueToTree(body).get("model");
        return model == null || !model.isTextual() ? null : model.asText();
    }
}
