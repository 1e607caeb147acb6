package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.FineTuningJob;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void createsAJob() {
        try (MockApi api = new MockApi()) {
            api.json("{\"id\":\"ftjob-1\",\"object\":\"fine_tuning.job\",\"status\":\"paused\",\"x\":1}");
            FineTuningJob job = api.client.fineTuning().jobs().create(Map.of("model", "m", "training_file", "file-1"));
            assertThat(job.status()).isEqualTo("paused");
            RecordedRequest r = api.take();
            assertThat(r.getMethod()).isEqualTo("POST");
            assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/fine_tuning/jobs");
            assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
            assertThat(r.getBody().utf8()).contains("\"training_file\":\"file-1\"");
        }
    }
}
