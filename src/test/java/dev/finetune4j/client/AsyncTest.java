package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.GraderRunResponse;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
    void cancellingTheFutureCancelsItsHttpCall() throws Exception {
        api.enqueue(new mockwebserver3.MockResponse.Builder().headersDelay(20, TimeUnit.SECONDS)
                .body(Fixtures.read("model.json")).build());
        CompletableFuture<?> f = api.client.async().models().retrieve("m");
        api.take(); // the request is out, its answer 20 s away
        f.cancel(true);
        // the client thread is free again long before the answer would have come
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (api.client.async() != null && activeAsyncThreadsBusy() && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(activeAsyncThreadsBusy()).as("the HTTP call of a cancelled future is cancelled").isFalse();
    }

    /** Whether a client thread is still inside an HTTP call. */
    private static boolean activeAsyncThreadsBusy() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("finetune4j-async-"))
                .anyMatch(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("okhttp3.")));
    }

    @Test
    void aClosedClientFailsTheFutureInsteadOfThrowing() {
        api.client.async();
        api.client.close();
        CompletableFuture<?> f = api.client.async().models().list();
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(OpenAIException.class).hasMessageContaining("closed");
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

    @Test
    void everySyncOverloadHasTheSameAsyncOverload() {
        Map<Class<?>, Class<?>> pairs = Map.of(FileService.class, AsyncOpenAI.Files.class,
                UploadService.class, AsyncOpenAI.Uploads.class, UploadPartService.class, AsyncOpenAI.UploadParts.class,
                JobService.class, AsyncOpenAI.Jobs.class, JobCheckpointService.class, AsyncOpenAI.JobCheckpoints.class,
                PermissionService.class, AsyncOpenAI.Permissions.class, GraderService.class, AsyncOpenAI.Graders.class,
                ModelService.class, AsyncOpenAI.Models.class, CompletionService.class, AsyncOpenAI.Completions.class);
        List<String> missing = new ArrayList<>();
        pairs.forEach((sync, async) -> {
            for (Method m : sync.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())) continue;
                try {
                    Method a = async.getMethod(m.getName(), m.getParameterTypes());
                    boolean service = m.getReturnType().getSimpleName().endsWith("Service");
                    if (!service && a.getReturnType() != CompletableFuture.class) missing.add(a + " returns " + a.getReturnType());
                } catch (NoSuchMethodException e) {
                    missing.add(async.getSimpleName() + "." + m.getName() + Arrays.toString(m.getParameterTypes()));
                }
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void theOverloadsOnlyTheSyncClientHadRunAsync() throws Exception {
        api.json(Fixtures.read("file_list_page2.json")).json(Fixtures.read("permissions.json"))
                .json(Fixtures.read("grader_run.json")).json(Fixtures.read("permissions.json"));
        AsyncOpenAI async = api.client.async();
        CursorPage<FileObject> files = async.files().list(FileListParams.builder().purpose("fine-tune").limit(2).build())
                .get(5, TimeUnit.SECONDS);
        assertThat(files.data()).isNotEmpty();
        assertThat(api.take().getUrl().query()).contains("purpose=fine-tune").contains("limit=2");
        assertThat(async.fineTuning().checkpoints().permissions().list("ft:m:o::x",
                PermissionListParams.builder().projectId("proj_1").build()).get(5, TimeUnit.SECONDS).data()).hasSize(2);
        assertThat(api.take().getUrl().query()).isEqualTo("project_id=proj_1");
        Map<String, Object> grader = Map.of("type", "string_check", "name", "s", "input", "{{sample.output_text}}",
                "reference", "Paris", "operation", "eq");
        GraderRunResponse run = async.fineTuning().alpha().graders().run(grader, "Paris").get(5, TimeUnit.SECONDS);
        assertThat(run).isNotNull();
        assertThat(api.take().getBody().utf8()).doesNotContain("\"item\"");
        assertThat(async.fineTuning().checkpoints().permissions().retrieve("ft:m:o::x").get(5, TimeUnit.SECONDS).data())
                .hasSize(2);
        api.take();
        // the others compile against the same signatures as the blocking calls
        Runnable[] typed = {
            () -> async.files().create(FileCreateParams.builder().file(Path.of("t.jsonl")).purpose("fine-tune").build()),
            () -> async.files().create(Path.of("t.jsonl"), "fine-tune", RequestOptions.NONE),
            () -> async.files().download("file-1", Path.of("out")),
            () -> async.files().download("file-1", Path.of("out"), RequestOptions.NONE),
            () -> async.files().contentAsString("file-1"),
            () -> async.uploads().addPart("upload_1", new byte[1], RequestOptions.NONE),
            () -> async.uploads().addPart("upload_1", Path.of("t"), 0, 1, RequestOptions.NONE),
            () -> async.uploads().uploadFile(Path.of("t"), "fine-tune", "text/jsonl", 1024),
            () -> async.uploads().parts().create("upload_1", Path.of("t"), 0, 1, RequestOptions.NONE),
            () -> async.fineTuning().jobs().create(Map.of("model", "m"), RequestOptions.NONE),
            () -> async.chat().completions().create(Map.of("model", "m"), RequestOptions.NONE),
            () -> async.chat().completions().createStreaming(Map.of("model", "m")),
            () -> async.chat().completions().createStreaming(Map.of("model", "m"), RequestOptions.NONE),
        };
        assertThat(typed).hasSize(13);
    }
}
