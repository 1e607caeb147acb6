package dev.finetune4j.client;

import dev.finetune4j.api.ChatCompletion;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Response;

/** {@code POST /chat/completions}: ask a model (fine-tuned ones included), whole or streamed over SSE. */
public final class CompletionService {
    private final Transport transport;

    CompletionService(Transport transport) {
        this.transport = transport;
    }

    /** A whole completion: {@code completions().create(ChatCompletionCreateParams.builder().model(m).addUserMessage("Hi").build()).text()}. */
    public ChatCompletion create(ChatCompletionCreateParams params) {
        return create(params, RequestOptions.NONE);
    }

    /** As {@link #create(ChatCompletionCreateParams)}, with per-request options. */
    public ChatCompletion create(ChatCompletionCreateParams params, RequestOptions options) {
        return transport.json(ApiRequest.post(options, "chat", "completions").body(params.nonStreaming().toMap()),
                ChatCompletion.class);
    }

    /** A whole completion from a snake_case body: {@code create(Map.of("model", m, "messages", List.of(...)))}. */
    public ChatCompletion create(Map<String, ?> body) {
        return create(ChatCompletionCreateParams.of(body), RequestOptions.NONE);
    }

    /** As {@link #create(Map)}, with per-request options. */
    public ChatCompletion create(Map<String, ?> body, RequestOptions options) {
        return create(ChatCompletionCreateParams.of(body), options);
    }

    /**
     * A streamed completion: chunks arrive as the model writes them. Close the stream when done:
     * {@code try (ChatCompletionStream s = completions().createStreaming(params)) { s.stream().forEach(...); }}.
     */
    public ChatCompletionStream createStreaming(ChatCompletionCreateParams params) {
        return createStreaming(params, RequestOptions.NONE);
    }

    /** As {@link #createStreaming(ChatCompletionCreateParams)}, with per-request options. */
    public ChatCompletionStream createStreaming(ChatCompletionCreateParams params, RequestOptions options) {
        AtomicReference<Call> call = new AtomicReference<>();
        Response response = transport.stream(ApiRequest.post(options, "chat", "completions")
                .body(params.streaming().toMap()).accept("text/event-stream"), call::set);
        String type = response.header("Content-Type");
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            // a service that ignores stream: true answers with the whole completion: say so rather than stream nothing
            String body;
            try (response) {
                body = response.body().string();
            } catch (java.io.IOException e) {
                throw new ApiConnectionException("Connection error: " + e, e);
            }
            String error;
            try {
                error = dev.finetune4j.api.Json.tree(body).path("error").path("message").asText(null);
            } catch (java.io.UncheckedIOException e) {
                error = null; // not JSON after all: the body goes with the exception
            }
            throw new ApiException(error != null ? "POST /chat/completions answered with an error: " + error
                    : "POST /chat/completions with stream: true was answered with JSON, not a stream of events: the"
                    + " service does not stream; call create(...) instead", null, null, null, null, body, null);
        }
        return new ChatCompletionStream(response, call.get());
    }

    /** A streamed completion from a snake_case body; {@code stream: true} is added. Close the stream when done. */
    public ChatCompletionStream createStreaming(Map<String, ?> body) {
        return createStreaming(ChatCompletionCreateParams.of(body), RequestOptions.NONE);
    }

    /** As {@link #createStreaming(Map)}, with per-request options. */
    public ChatCompletionStream createStreaming(Map<String, ?> body, RequestOptions options) {
        return createStreaming(ChatCompletionCreateParams.of(body), options);
    }
}
