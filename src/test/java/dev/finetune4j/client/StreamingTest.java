package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.ChatCompletionChunk;
import dev.finetune4j.api.Json;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingTest {
    private final MockApi api = new MockApi();

    @AfterEach
    void close() {
        api.close();
    }

    private MockApi sse(String body) {
        return api.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                .setHeader("x-request-id", "req_stream").chunkedBody(body, 7).build());
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("ft:gpt-4o-mini:org::abc").addUserMessage("Hi")
                .includeUsage(true).build();
    }

    @Test
    void readsChunksUntilDoneSkippingComments() {
        sse(Fixtures.read("chat_stream.txt"));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (ChatCompletionStream stream = api.client.chat().completions().createStreaming(params())) {
            assertThat(stream.requestId()).isEqualTo("req_stream");
            for (ChatCompletionChunk chunk : stream) chunks.add(chunk);
        }
        assertThat(chunks).hasSize(5);
        assertThat(chunks.get(0).choices().get(0).delta().role()).isEqualTo("assistant");
        assertThat(chunks.get(1).choices().get(0).delta().content()).isEqualTo("Hello");
        assertThat(chunks.get(3).choices().get(0).finishReason()).isEqualTo("stop");
        assertThat(chunks.get(4).choices()).isEmpty();
        assertThat(chunks.get(4).usage().totalTokens()).isEqualTo(11);

        RecordedRequest r = api.take();
        assertThat(r.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        var body = Json.tree(r.getBody().utf8());
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.get("stream_options").get("include_usage").asBoolean()).isTrue();
        ContractCheck.request(r);
        if (dev.finetune4j.contract.OpenApiContract.available()) {
            for (ChatCompletionChunk chunk : chunks) {
                assertThat(dev.finetune4j.contract.OpenApiContract.get().violationsForSchema(
                        "CreateChatCompletionStreamResponse", Json.write(chunk))).isEmpty();
            }
        }
    }

    @Test
    void textJoinsTheDeltas() {
        sse(Fixtures.read("chat_stream.txt"));
        try (ChatCompletionStream stream = api.client.chat().completions().createStreaming(params())) {
            assertThat(stream.text()).isEqualTo("Hello world");
        }
    }

    @Test
    void joinsMultiLineDataAndIgnoresOtherFields() {
        sse("""
                event: completion
                id: 1
                retry: 100
                data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",
                data:  "choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}

                data: [DONE]

                """);
        try (ChatCompletionStream stream = api.client.chat().completions().createStreaming(params())) {
            assertThat(stream.stream().map(c -> c.choices().get(0).delta().content())).containsExactly("x");
        }
    }

    @Test
    void anErrorPayloadRaisesApiException() {
        sse("""
                data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}

                data: {"error":{"message":"The server had an error","type":"server_error","param":null,"code":"overloaded"}}

                """);
        try (ChatCompletionStream stream = api.client.chat().completions().createStreaming(params())) {
            var it = stream.iterator();
            assertThat(it.next().choices().get(0).delta().content()).isEqualTo("a");
            assertThatThrownBy(it::hasNext).isInstanceOf(ApiException.class)
                    .hasMessageContaining("The server had an error")
                    .satisfies(e -> {
                        ApiException a = (ApiException) e;
                        assertThat(a.code()).isEqualTo("overloaded");
                        assertThat(a.type()).isEqualTo("server_error");
                    });
        }
    }

    @Test
    void aStreamWithoutDoneEndsAtEof() {
        sse("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[]}\n");
        try (ChatCompletionStream stream = api.client.chat().completions().createStreaming(params())) {
            assertThat(stream.stream().count()).isEqualTo(1);
        }
    }

    @Test
    void anHttpErrorBeforeTheStreamIsATypedException() {
        api.json(401, "{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
        assertThatThrownBy(() -> api.client.chat().completions().createStreaming(params()))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("Incorrect API key");
    }

    @Test
    void aServiceThatAnswersAStreamRequestWithJsonIsAClearError() {
        api.json(Fixtures.read("chat_completion.json"));
        assertThatThrownBy(() -> api.client.chat().completions().createStreaming(params()))
                .isInstanceOf(ApiException.class).hasMessageContaining("the service does not stream")
                .satisfies(e -> assertThat(((ApiException) e).body()).contains("chat.completion"));
        api.json("{\"error\": {\"message\": \"The model is overloaded\", \"type\": \"server_error\"}}");
        assertThatThrownBy(() -> api.client.chat().completions().createStreaming(params())).isInstanceOf(ApiException.class)
                .hasMessage("POST /chat/completions answered with an error: The model is overloaded");
    }

    @Test
    void aStreamCanBeIteratedOnceAndClosedEarly() {
        sse(Fixtures.read("chat_stream.txt"));
        ChatCompletionStream stream = api.client.chat().completions().createStreaming(params());
        assertThat(stream.iterator().next()).isNotNull();
        assertThatThrownBy(stream::iterator).isInstanceOf(IllegalStateException.class);
        stream.close();
        // the connection is released: the next call works on the same client
        api.json(Fixtures.read("model.json"));
        assertThat(api.client.models().retrieve("m").object()).isEqualTo("model");
    }

    @Test
    void closingFromAnotherThreadEndsTheReaderQuietly() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            body.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",")
                    .append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n");
        }
        body.append("data: [DONE]\n\n");
        // about one event every 100 ms: the reader waits for the next one when the stream is closed
        api.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/event-stream")
                .throttleBody(160, 100, java.util.concurrent.TimeUnit.MILLISECONDS).body(body.toString()).build());
        ChatCompletionStream stream = api.client.chat().completions().createStreaming(params());
        var firstRead = new java.util.concurrent.CountDownLatch(1);
        var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            int n = 0;
            for (ChatCompletionChunk ignored : stream) {
                n++;
                firstRead.countDown();
            }
            return n;
        });
        assertThat(firstRead.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        stream.close(); // "stop generating", from another thread than the reader's
        int read = reader.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(read).isBetween(1, 49);
        api.json(Fixtures.read("model.json"));
        assertThat(api.client.models().retrieve("m").object()).isEqualTo("model");
    }

    @Test
    void nonStreamingCreateDropsAStreamFlag() {
        api.json(Fixtures.read("chat_completion.json"));
        api.client.chat().completions().create(ChatCompletionCreateParams.builder().model("m").addUserMessage("x")
                .put("stream", true).build());
        assertThat(Json.tree(api.take().getBody().utf8()).has("stream")).isFalse();
    }
}
