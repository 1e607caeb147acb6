package dev.finetune4j.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A MockWebServer with a client pointed at its {@code /v1}, and sleeps recorded instead of slept. */
final class MockApi implements AutoCloseable {
    final MockWebServer server = new MockWebServer();
    final List<Duration> sleeps = new ArrayList<>();
    final OpenAI client;

    MockApi() {
        this(b -> b);
    }

    MockApi(java.util.function.UnaryOperator<OpenAI.Builder> configure) {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OpenAI.Builder b = OpenAI.builder().apiKey("sk-test").baseUrl(baseUrl())
                .env(name -> null).sleeper(sleeps::add).random(() -> 0.5);
        client = configure.apply(b).build();
    }

    String baseUrl() {
        return server.url("/v1").toString();
    }

    MockApi json(int status, String body) {
        server.enqueue(new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .setHeader("x-request-id", "req_" + status).body(body).build());
        return this;
    }

    MockApi json(String body) {
        return json(200, body);
    }

    MockApi enqueue(MockResponse response) {
        server.enqueue(response);
        return this;
    }

    RecordedRequest take() {
        try {
            RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
            if (r == null) throw new AssertionError("no request arrived");
            return r;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
