package dev.finetune4j.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiContractTest {
    private static final String JOB = """
            {"object":"fine_tuning.job","id":"ftjob-abc123","model":"gpt-4o-mini-2024-07-18","created_at":1721764800,
             "finished_at":null,"fine_tuned_model":null,"organization_id":"org-123","result_files":[],
             "status":"%s","validation_file":null,"training_file":"file-abc123",
             "hyperparameters":{"batch_size":"auto","learning_rate_multiplier":"auto","n_epochs":"auto"},
             "trained_tokens":null,"error":null,"seed":42}""";
    private static final Map<String, List<String>> AUTH = Map.of("Authorization", List.of("Bearer sk-test"),
            "Content-Type", List.of("application/json"));

    @Test
    void acceptsAValidJobAndToleratesOnlyThePausedDefect() {
        OpenApiContract spec = OpenApiContract.get();
        long t0 = System.nanoTime();
        assertThat(spec.violationsForResponse("GET", "/v1/fine_tuning/jobs/ftjob-abc123", 200, "application/json",
                JOB.formatted("running"))).isEmpty();
        assertThat(spec.violationsForResponse("POST", "/v1/fine_tuning/jobs/ftjob-abc123/pause", 200,
                "application/json", JOB.formatted("paused"))).isEmpty();
        assertThat(spec.violationsForResponse("GET", "/v1/fine_tuning/jobs/ftjob-abc123", 200, "application/json",
                JOB.formatted("sleeping"))).anySatisfy(v -> assertThat(v).contains("sleeping"));
        System.out.println("validated in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    void reportsAMissingRequiredField() {
        OpenApiContract spec = OpenApiContract.get();
        assertThat(spec.violationsForRequest("POST", "/v1/fine_tuning/jobs", null, AUTH,
                "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-1\"}")).isEmpty();
        assertThat(spec.violationsForRequest("POST", "/v1/fine_tuning/jobs", null, AUTH,
                "{\"model\":\"gpt-4o-mini\"}")).anySatisfy(v -> assertThat(v).contains("training_file"));
    }

    @Test
    void readsTheExamplesOfAnOperation() {
        OpenApiContract spec = OpenApiContract.get();
        assertThat(spec.exampleResponses("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/pause"))
                .singleElement().asString().contains("\"paused\"");
    }
}
