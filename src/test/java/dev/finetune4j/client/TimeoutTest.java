package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

class TimeoutTest {
    private static final String MODEL = "{\"id\":\"m\",\"object\":\"model\",\"created\":1,\"owned_by\":\"o\"}";

    private static MockResponse slow(long millis) {
        return new MockResponse.Builder().headersDelay(millis, TimeUnit.MILLISECONDS).body(MODEL).build();
    }

    @Test
    void aSlowResponseTimesOutAndIsRetried() {
        try (MockApi api = new MockApi(b -> b.timeout(Duration.ofMillis(200)).maxRetries(1))) {
            api.enqueue(slow(2000)).enqueue(slow(2000));
            assertThatThrownBy(() -> api.client.models().retrieve("m")).isExactlyInstanceOf(ApiTimeoutException.class)
                    .isInstanceOf(ApiConnectionException.class).hasMessageContaining("timed out");
            assertThat(api.server.getRequestCount()).isEqualTo(2);
            assertThat(api.sleeps).hasSize(1);
        }
    }

    @Test
    void anInterruptedThreadGetsAConnectionErrorAndKeepsItsInterrupt() {
        try (MockApi api = new MockApi(b -> b.maxRetries(2))) {
            api.enqueue(slow(0));
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> api.client.models().retrieve("m"))
                        .isExactlyInstanceOf(ApiConnectionException.class).hasMessageContaining("Interrupted");
            } finally {
                assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            }
            assertThat(api.sleeps).as("an interrupted call is not retried").isEmpty();
        }
    }

    @Test
    void aTimeoutFollowedBySuccessRecovers() {
        try (MockApi api = new MockApi(b -> b.timeout(Duration.ofMillis(200)))) {
            api.enqueue(slow(2000)).json(MODEL);
            assertThat(api.client.models().retrieve("m").id()).isEqualTo("m");
        }
    }

    @Test
    void thePerRequestTimeoutOverridesTheClients() {
        try (MockApi api = new MockApi(b -> b.maxRetries(0))) {
            api.enqueue(slow(1500));
            RequestOptions quick = RequestOptions.builder().timeout(Duration.ofMillis(200)).build();
            // with the client's 600 s the call would succeed after 1.5 s; the 200 ms override makes it time out
            assertThatThrownBy(() -> api.client.models().retrieve("m", quick)).isInstanceOf(ApiTimeoutException.class);

            api.enqueue(slow(300));
            RequestOptions patient = RequestOptions.builder().timeout(Duration.ofSeconds(5)).build();
            assertThat(api.client.models().retrieve("m", patient).id()).isEqualTo("m");
        }
    }

    @Test
    void defaultsMatchTheOfficialSdk() {
        try (OpenAI client = OpenAI.builder().apiKey("k").env(n -> null).build()) {
            assertThat(OpenAI.DEFAULT_TIMEOUT).isEqualTo(Duration.ofSeconds(600));
            assertThat(OpenAI.DEFAULT_MAX_RETRIES).isEqualTo(2);
            assertThat(client.baseUrl()).isEqualTo("https://api.openai.com/v1/");
        }
    }
}
