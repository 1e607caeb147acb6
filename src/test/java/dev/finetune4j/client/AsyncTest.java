package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.FineTuningJob;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncTest {
    private final MockApi api = new MockApi(b -> b.maxRetries(0));

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void createAndRetrieveCompleteOnAnotherThread() throws Exception {
        api.json(Fixtures.read("job.json"));
        String caller = Thread.currentThread().getName();
        CompletableFuture<String> thread = new CompletableFuture<>();
        FineTuningJob job = api.client.async().fineTuning().jobs()
                .create(JobCreateParams.builder().model("gpt-3.5-turbo").trainingFile("file-abc123").build())
                .whenComplete((j, e) -> thread.complete(Thread.currentThread().getName()))
                .get(5, TimeUnit.SECONDS);
        assertThat(job.id()).isEqualTo("ftjob-abc123");
        assertThat(thread.get(5, TimeUnit.SECONDS)).isNotEqualTo(caller).startsWith("finetune4j-async-");
        assertThat(api.take().getUrl().encodedPath()).isEqualTo("/v1/fine_tuning/jobs");
    }

    @Test
    void failuresCompleteTheFutureWithTheTypedException() {
        api.json(404, "{\"error\":{\"message\":\"No such job\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
        CompletableFuture<FineTuningJob> f = api.client.async().fineTuning().jobs().retrieve("ftjob-missing");
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NotFoundException.class);
    }

    @Test
    void manyConcurrentCallsShareOneClient() throws Exception {
        api.server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest r) {
                String id = r.getUrl().pathSegments().get(3);
                return new mockwebserver3.MockResponse.Builder().body(Fixtures.read("job.json")
                        .replace("ftjob-abc123", id)).build();
            }
        });
        java.util.List<CompletableFuture<FineTuningJob>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) futures.add(api.client.async().fineTuning().jobs().retrieve("ftjob-" + i));
        for (int i = 0; i < 64; i++) {
            assertThat(futures.get(i).get(10, TimeUnit.SECONDS).id()).isEqualTo("ftjob-" + i);
        }
    }

    @Test
    void everyServiceHasAnAsyncForm() throws Exception {
        api.json(Fixtures.read("model_list.json")).json(Fixtures.read("permissions.json"))
                .json(Fixtures.read("grader_validate.json")).json(Fixtures.read("job_checkpoints.json"))
                .json(Fixtures.read("chat_completion.json")).json(Fixtures.read("file_deleted.json"))
                .json(Fixtures.read("upload_cancelled.json")).json(Fixtures.read("upload_part.json"));
        AsyncOpenAI async = api.client.async();
        assertThat(async.models().list().get(5, TimeUnit.SECONDS).data()).hasSize(2);
        assertThat(async.fineTuning().checkpoints().permissions().list("ft:m:o::x").get(5, TimeUnit.SECONDS).data()).hasSize(2);
        assertThat(async.fineTuning().alpha().graders().validate(java.util.Map.of("type", "string_check"))
                .get(5, TimeUnit.SECONDS).grader()).isNotNull();
        assertThat(async.fineTuning().jobs().checkpoints().list("ftjob-1").get(5, TimeUnit.SECONDS).data()).hasSize(2);
        assertThat(async.chat().completions().create(ChatCompletionCreateParams.builder().model("m")
                .addUserMessage("x").build()).get(5, TimeUnit.SECONDS).text()).isEqualTo("Paris");
        assertThat(async.files().delete("file-abc123").get(5, TimeUnit.SECONDS).deleted()).isTrue();
        assertThat(async.uploads().cancel("upload_abc123").get(5, TimeUnit.SECONDS).status()).isEqualTo("cancelled");
        assertThat(async.uploads().parts().create("upload_abc123", new byte[] {1}).get(5, TimeUnit.SECONDS).id())
                .isEqualTo("part_def456");
        assertThat(api.client.async()).isSameAs(async);
    }
}
