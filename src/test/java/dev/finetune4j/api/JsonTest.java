package dev.finetune4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final String JOB = """
            {"object":"fine_tuning.job","id":"ftjob-abc123","model":"gpt-4o-mini-2024-07-18",
             "created_at":1721764800,"finished_at":null,"fine_tuned_model":null,"organization_id":"org-123",
             "result_files":[],"status":"paused","validation_file":null,"training_file":"file-abc123",
             "hyperparameters":{"batch_size":"auto","learning_rate_multiplier":0.1,"n_epochs":3},
             "trained_tokens":null,"error":{},"seed":42,"user_provided_suffix":"weather",
             "method":{"type":"supervised","supervised":{"hyperparameters":{"batch_size":"auto","learning_rate_multiplier":0.1,"n_epochs":3}}},
             "metadata":{"team":"ml"},"usage_metrics":{"x":1}}""";

    @Test
    void readsAJobWithUnknownStatusAndFieldsAndKeepsThem() {
        FineTuningJob job = Json.read(JOB, FineTuningJob.class);
        assertThat(job.status()).isEqualTo(JobStatus.PAUSED);
        assertThat(job.isTerminal()).isFalse();
        assertThat(job.createdAt()).isEqualTo(1721764800L);
        assertThat(job.hyperparameters().batchSize()).isEqualTo("auto");
        assertThat(job.hyperparameters().nEpochs()).isEqualTo(3);
        assertThat(job.method().hyperparameters().learningRateMultiplier()).isEqualTo(0.1);
        assertThat(job.metadata()).containsEntry("team", "ml");
        assertThat(job.extra()).containsEntry("user_provided_suffix", "weather").containsKey("usage_metrics");
        assertThat(job.userProvidedSuffix()).isEqualTo("weather");

        JsonNode back = Json.tree(Json.write(job));
        assertThat(back.get("user_provided_suffix").asText()).isEqualTo("weather");
        assertThat(back.get("fine_tuned_model").isNull()).isTrue();
        assertThat(back.has("extra")).isFalse();
        assertThat(back.has("terminal")).as("convenience accessors are not wire fields").isFalse();
        assertThat(back.has("estimated_finish")).isFalse();
        assertThat(back.get("hyperparameters").has("beta")).isFalse();
        assertThat(back.has("userProvidedSuffix")).as("the accessor adds no field").isFalse();
        assertThat(Json.read(Json.write(job), FineTuningJob.class).userProvidedSuffix()).isEqualTo("weather");
        assertThat(Json.read("{\"id\":\"ftjob-1\",\"user_provided_suffix\":null}", FineTuningJob.class)
                .userProvidedSuffix()).isNull();
    }

    @Test
    void methodsBuiltByNameWriteTheWireShape() {
        assertThat(Json.write(FineTuneMethod.dpo(Hyperparameters.builder().beta(0.1).nEpochs(2).build())))
                .isEqualTo("{\"type\":\"dpo\",\"dpo\":{\"hyperparameters\":{\"n_epochs\":2,\"beta\":0.1}}}");
        assertThat(Json.write(FineTuneMethod.supervised(Hyperparameters.builder().batchSize(4)
                .learningRateMultiplier(2).build())))
                .isEqualTo("{\"type\":\"supervised\",\"supervised\":{\"hyperparameters\":"
                        + "{\"batch_size\":4,\"learning_rate_multiplier\":2.0}}}");
        FineTuneMethod rft = FineTuneMethod.reinforcement(java.util.Map.of("type", "string_check"),
                Hyperparameters.builder().reasoningEffort("low").evalInterval(2).build());
        assertThat(Json.tree(Json.write(rft)).at("/reinforcement/hyperparameters/reasoning_effort").asText())
                .isEqualTo("low");
        assertThat(rft.hyperparameters().evalInterval()).isEqualTo(2);
    }

    @Test
    void readsAMetricsEvent() {
        FineTuningJobEvent e = Json.read("""
                {"object":"fine_tuning.job.event","id":"ftevent-1","created_at":1,"level":"info",
                 "message":"Step 1/10: training loss=1.20","type":"metrics","data":{"step":1,"train_loss":1.2}}""",
                FineTuningJobEvent.class);
        assertThat(e.isMetrics()).isTrue();
        assertThat(((Number) e.data().get("train_loss")).doubleValue()).isEqualTo(1.2);
        assertThat(Json.tree(Json.write(e)).has("metrics")).isFalse();
        assertThat(Json.tree(Json.write(e)).has("has_data")).isFalse();
        assertThat(e.hasData()).isTrue();
        FineTuningJobEvent message = Json.read("""
                {"object":"fine_tuning.job.event","id":"ftevent-2","created_at":1,"level":"info",
                 "message":"Fine-tuning job started","type":"message","data":{}}""",
                FineTuningJobEvent.class);
        assertThat(message.hasData()).as("Python's `if event.data:` is false for {}").isFalse();
    }

    @Test
    void chatMessageTextJoinsParts() {
        ChatMessage m = Json.read("""
                {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}""",
                ChatMessage.class);
        assertThat(m.text()).isEqualTo("ab");
        assertThat(Json.write(ChatMessage.user("hi"))).isEqualTo("{\"role\":\"user\",\"content\":\"hi\"}");
    }

    @Test
    void aChatCompletionWithoutTextSaysWhy() throws Exception {
        ChatCompletion filtered = Json.read("{\"choices\":[{\"index\":0,\"finish_reason\":\"content_filter\"}]}",
                ChatCompletion.class);
        assertThat(filtered.text()).isNull();
        assertThat(filtered.noTextReason()).isEqualTo("no text (finish_reason content_filter)");
        ChatCompletion refused = Json.read("{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":"
                + "{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help with that\"}}]}", ChatCompletion.class);
        assertThat(refused.text()).isNull();
        assertThat(refused.noTextReason()).isEqualTo("refused: I can't help with that");
        ChatCompletion answered = Json.read("{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"Paris\"}}]}", ChatCompletion.class);
        assertThat(answered.noTextReason()).isNull();
    }
}
