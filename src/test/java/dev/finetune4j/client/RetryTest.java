package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {
    private static final String MODEL = "{\"id\":\"m\",\"object\":\"model\",\"created\":1,\"owned_by\":\"o\"}";
    private final MockApi api = new MockApi();

    @AfterEach
    void close() {
        api.close();
    }

    private MockResponse status(int code, String... headers) {
        MockResponse.Builder b = new MockResponse.Builder().code(code)
                .body("{\"error\":{\"message\":\"status " + code + "\",\"type\":\"t\",\"param\":null,\"code\":null}}");
        for (int i = 0; i < headers.length; i += 2) b.setHeader(headers[i], headers[i + 1]);
        return b.build();
    }

    private String retryCount() {
        return api.take().getHeaders().get("x-stainless-retry-count");
    }

    @Test
    void retries429HonouringRetryAfterSeconds() {
        api.enqueue(status(429, "retry-after", "3")).json(MODEL);
        assertThat(api.client.models().retrieve("m").id()).isEqualTo("m");
        assertThat(api.sleeps).containsExactly(Duration.ofSeconds(3));
        assertThat(retryCount()).isEqualTo("0");
        assertThat(retryCount()).isEqualTo("1");
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() {
        api.enqueue(status(429, "retry-after-ms", "250", "retry-after", "9")).json(MODEL);
        api.client.models().retrieve("m");
        assertThat(api.sleeps).containsExactly(Duration.ofMillis(250));
    }

    @Test
    void retryAfterAsAnHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        try (MockApi dated = new MockApi(b -> b.clock(Clock.fixed(now, ZoneOffset.UTC)))) {
            dated.enqueue(status(503, "retry-after", "Thu, 01 Jan 2026 00:00:05 GMT")).json(MODEL);
            dated.client.models().retrieve("m");
            assertThat(dated.sleeps).containsExactly(Duration.ofSeconds(5));
        }
    }

    @Test
    void retries500WithExponentialBackoffThenGivesUp() {
        api.enqueue(status(500)).enqueue(status(502)).enqueue(status(503));
        assertThatThrownBy(() -> api.client.models().retrieve("m")).isInstanceOf(InternalServerException.class)
                .extracting(e -> ((ApiStatusException) e).statusCode()).isEqualTo(503);
        // random() is fixed at 0.5, so each delay is 0.875 of min(0.5 * 2^k, 8)
        assertThat(api.sleeps).containsExactly(Duration.ofNanos(437_500_000), Duration.ofNanos(875_000_000));
        assertThat(api.server.getRequestCount()).isEqualTo(3);
        assertThat(retryCount()).isEqualTo("0");
        assertThat(retryCount()).isEqualTo("1");
        assertThat(retryCount()).isEqualTo("2");
    }

    @Test
    void retries408And409ButNot400() {
        api.enqueue(status(408)).enqueue(status(409)).json(MODEL);
        api.client.models().retrieve("m");
        assertThat(api.server.getRequestCount()).isEqualTo(3);
        api.enqueue(status(400));
        assertThatThrownBy(() -> api.client.models().retrieve("m")).isInstanceOf(BadRequestException.class);
        assertThat(api.server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void xShouldRetryOverridesTheStatusRule() {
        api.enqueue(status(500, "x-should-retry", "false"));
        assertThatThrownBy(() -> api.client.models().retrieve("m")).isInstanceOf(InternalServerException.class);
        assertThat(api.server.getRequestCount()).isEqualTo(1);
        assertThat(api.sleeps).isEmpty();

        api.enqueue(status(400, "x-should-retry", "true")).json(MODEL);
        assertThat(api.client.models().retrieve("m").id()).isEqualTo("m");
        assertThat(api.server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aRetryAfterBeyond120SecondsIsNotRetriedEvenIfTheServerSaysRetry() {
        api.enqueue(status(429, "retry-after", "121", "x-should-retry", "true"));
        assertThatThrownBy(() -> api.client.models().retrieve("m")).isInstanceOf(RateLimitException.class);
        assertThat(api.server.getRequestCount()).isEqualTo(1);
        assertThat(api.sleeps).isEmpty();
    }

    @Test
    void aRetryAfterOfZeroFallsBackToBackoff() {
        api.enqueue(status(429, "retry-after", "0")).json(MODEL);
        api.client.models().retrieve("m");
        assertThat(api.sleeps).containsExactly(Duration.ofNanos(437_500_000));
    }

    @Test
    void retriesADroppedConnection() {
        api.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build()).json(MODEL);
        assertThat(api.client.models().retrieve("m").id()).isEqualTo("m");
        assertThat(api.sleeps).hasSize(1);
    }

    @Test
    void aConnectionThatKeepsDroppingEndsInApiConnectionException() {
        for (int i = 0; i < 3; i++) {
            api.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        }
        assertThatThrownBy(() -> api.client.models().retrieve("m")).isExactlyInstanceOf(ApiConnectionException.class);
        assertThat(api.sleeps).hasSize(2);
    }

    @Test
    void perRequestMaxRetriesOverridesTheClient() {
        api.enqueue(status(500));
        assertThatThrownBy(() -> api.client.models().retrieve("m", RequestOptions.builder().maxRetries(0).build()))
                .isInstanceOf(InternalServerException.class);
        assertThat(api.server.getRequestCount()).isEqualTo(1);

        try (MockApi many = new MockApi(b -> b.maxRetries(0))) {
            many.enqueue(status(500)).enqueue(status(500)).json(MODEL);
            many.client.models().retrieve("m", RequestOptions.builder().maxRetries(5).build());
            assertThat(many.server.getRequestCount()).isEqualTo(3);
        }
    }

    @Test
    void aPostIsRetriedWithTheSameBody() {
        api.enqueue(status(500)).json(Fixtures.read("job.json"));
        api.client.fineTuning().jobs().create(JobCreateParams.builder().model("m").trainingFile("file-1").build());
        String first = api.take().getBody().utf8();
        String second = api.take().getBody().utf8();
        assertThat(second).isEqualTo(first).contains("file-1");
    }

    @Test
    void backoffFollowsTheFormulaAndCaps() {
        RetryPolicy zero = new RetryPolicy(() -> 0.0, Clock.systemUTC());
        RetryPolicy almostOne = new RetryPolicy(() -> 0.999999, Clock.systemUTC());
        assertThat(zero.backoff(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(zero.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(zero.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(zero.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(zero.backoff(10)).isEqualTo(Duration.ofSeconds(8));
        assertThat(almostOne.backoff(0).toMillis()).isEqualTo(375);
        assertThat(almostOne.backoff(10).toMillis()).isEqualTo(6000);
    }

    @Test
    void retryAfterParsing() {
        RetryPolicy p = new RetryPolicy(() -> 0.0, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        assertThat(p.retryAfterSeconds(Headers.of("retry-after", "1.5"))).isEqualTo(1.5);
        assertThat(p.retryAfterSeconds(Headers.of("retry-after-ms", "1500"))).isEqualTo(1.5);
        assertThat(p.retryAfterSeconds(Headers.of("retry-after", "soon"))).isNull();
        assertThat(p.retryAfterSeconds(Headers.of())).isNull();
        assertThat(p.delay(Headers.of("retry-after", "120"), 0)).isEqualTo(Duration.ofSeconds(120));
        assertThat(p.shouldRetry(429, Headers.of("retry-after", "120"))).isTrue();
        assertThat(p.shouldRetry(429, Headers.of("retry-after", "120.5"))).isFalse();
        assertThat(p.shouldRetry(404, Headers.of())).isFalse();
    }
}
