package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class OpenAIShutdownTest {
    private static final String OPENAI = "https://api.openai.com/v1";

    @Test
    void openAIUsersHearOfTheDateBeforeAndAfter() {
        assertThat(OpenAIShutdown.notice(OPENAI, LocalDate.of(2026, 11, 26)))
                .startsWith("note: OpenAI stops taking new fine-tuning jobs on 2027-01-06 (in 41 days). ")
                .contains("FineTune.local()");
        assertThat(OpenAIShutdown.notice(OPENAI, LocalDate.of(2027, 1, 5))).contains("(in 1 day)");
        assertThat(OpenAIShutdown.notice(OPENAI, LocalDate.of(2027, 1, 6)))
                .startsWith("note: OpenAI no longer takes new fine-tuning jobs (since 2027-01-06). ");
        assertThat(OpenAIShutdown.closed(OPENAI, LocalDate.of(2027, 1, 5))).isFalse();
        assertThat(OpenAIShutdown.closed(OPENAI, LocalDate.of(2027, 1, 6))).isTrue();
    }

    @Test
    void otherServicesHearNothing() {
        LocalDate after = LocalDate.of(2027, 2, 1);
        for (String url : new String[] {"https://my-resource.openai.azure.com/openai", "http://127.0.0.1:8080/v1",
                "https://api.openai.com.example.org/v1", "not a url"}) {
            assertThat(OpenAIShutdown.notice(url, after)).as(url).isNull();
            assertThat(OpenAIShutdown.closed(url, after)).as(url).isFalse();
        }
    }

    @Test
    void theAdminKeyOfTheEnvironmentGoesToOpenAIOnly() {
        try (FineTune elsewhere = FineTune.connect("http://127.0.0.1:9/v1", "sk-other")) {
            assertThatThrownBy(elsewhere::adminClient).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("adminClient() sends OPENAI_ADMIN_KEY to api.openai.com only");
        }
    }
}
