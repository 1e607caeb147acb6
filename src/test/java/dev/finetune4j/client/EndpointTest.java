package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.ChatCompletion;
import dev.finetune4j.api.ChatCompletionTokenLogprob;
import dev.finetune4j.api.CheckpointPermission;
import dev.finetune4j.api.Deleted;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.GraderValidateResponse;
import dev.finetune4j.api.Integration;
import dev.finetune4j.api.Json;
import dev.finetune4j.api.JobStatus;
import dev.finetune4j.api.Model;
import dev.finetune4j.api.Upload;
import dev.finetune4j.api.UploadPart;
import dev.finetune4j.contract.OpenApiContract;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per endpoint: what goes on the wire, what comes back, and both checked against the spec. */
class EndpointTest {
    private static final String CHECKPOINT = "ft:gpt-4o-mini-2024-07-18:org-123:weather:7p4lURel";

    private final MockApi api = new MockApi();
    private final OpenAI client = api.client;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void specIsAvailable() {
        assertThat(OpenApiContract.get()).isNotNull();
    }

    private RecordedRequest take(String method, String path) {
        RecordedRequest r = api.take();
        assertThat(r.getMethod()).isEqualTo(method);
        assertThat(r.getUrl().encodedPath()).isEqualTo(path);
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(r.getHeaders().get("User-Agent")).isEqualTo("finetune4j/" + OpenAI.VERSION);
        assertThat(r.getHeaders().get("x-stainless-retry-count")).isEqualTo("0");
        return r;
    }

    private static JsonNode jsonBody(RecordedRequest r) {
        assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
        return Json.tree(r.getBody().utf8());
    }

    // ---- files

    @Test
    void filesCreateStreamsAMultipartUpload() throws Exception {
        Path train = Files.writeString(dir.resolve("train.jsonl"), "{\"messages\":[]}\n");
        api.json(Fixtures.read("file.json"));
        FileObject file = client.files().create(train, "fine-tune");

        RecordedRequest r = take("POST", "/v1/files");
        String body = r.getBody().utf8();
        assertThat(r.getHeaders().get("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(body).contains("name=\"purpose\"").contains("fine-tune")
                .contains("name=\"file\"; filename=\"train.jsonl\"").contains("{\"messages\":[]}");
        assertThat(body).doesNotContain("expires_after");
        ContractCheck.exchange(r, Fixtures.read("file.json"));
        assertThat(file.id()).isEqualTo("file-abc123");
        assertThat(file.bytes()).isEqualTo(120000);
        assertThat(file.status()).isEqualTo("processed");
        assertThat(file.extra()).containsKey("future_field");
    }

    @Test
    void filesCreateSendsExpiresAfterAsBracketedFields() {
        api.json(Fixtures.read("file.json"));
        client.files().create(FileCreateParams.builder().file("batch.jsonl", "{}\n".getBytes(StandardCharsets.UTF_8))
                .purpose("batch").expiresAfterSeconds(3600).build());
        RecordedRequest r = take("POST", "/v1/files");
        assertThat(r.getBody().utf8()).contains("name=\"expires_after[anchor]\"").contains("created_at")
                .contains("name=\"expires_after[seconds]\"").contains("3600");
        ContractCheck.request(r);
    }

    @Test
    void filesListRetrieveDeleteAndContent() throws Exception {
        api.json(Fixtures.read("file_list_page2.json"));
        CursorPage<FileObject> page = client.files().list(FileListParams.builder().purpose("fine-tune").limit(2)
                .order("asc").after("file-2").build());
        RecordedRequest r = take("GET", "/v1/files");
        assertThat(r.getUrl().query()).isEqualTo("purpose=fine-tune&limit=2&order=asc&after=file-2");
        ContractCheck.exchange(r, Fixtures.read("file_list_page2.json"));
        assertThat(page.data()).extracting(FileObject::id).containsExactly("file-1");
        assertThat(page.lastId()).isEqualTo("file-1");

        api.json(Fixtures.read("file.json"));
        assertThat(client.files().retrieve("file-abc123").filename()).isEqualTo("train.jsonl");
        ContractCheck.exchange(take("GET", "/v1/files/file-abc123"), Fixtures.read("file.json"));

        api.json(Fixtures.read("file_deleted.json"));
        Deleted deleted = client.files().delete("file-abc123");
        ContractCheck.exchange(take("DELETE", "/v1/files/file-abc123"), Fixtures.read("file_deleted.json"));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.object()).isEqualTo("file");

        api.enqueue(new MockResponse.Builder().setHeader("Content-Type", "application/octet-stream")
                .body("step,train_loss\n1,0.5\n").build());
        try (InputStream in = client.files().content("file-result1")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("step,train_loss\n1,0.5\n");
        }
        RecordedRequest content = take("GET", "/v1/files/file-result1/content");
        assertThat(content.getHeaders().get("Accept")).isEqualTo("application/binary");
        ContractCheck.request(content);

        // a service that holds to the spec's declared type refuses application/binary: asked again for any type
        api.enqueue(new MockResponse.Builder().code(406).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"not acceptable\",\"type\":\"invalid_request_error\"}}").build());
        api.enqueue(new MockResponse.Builder().body("step\n1\n").build());
        assertThat(client.files().contentAsString("file-result2")).isEqualTo("step\n1\n");
        take("GET", "/v1/files/file-result2/content");
        assertThat(take("GET", "/v1/files/file-result2/content").getHeaders().get("Accept")).isEqualTo("*/*");
    }

    @Test
    void filesDownloadWritesToDisk() throws Exception {
        api.enqueue(new MockResponse.Builder().body("a,b\n1,2\n").build());
        long n = client.files().download("file-r", dir.resolve("out.csv"));
        assertThat(n).isEqualTo(8);
        assertThat(Files.readString(dir.resolve("out.csv"))).isEqualTo("a,b\n1,2\n");
    }

    @Test
    void aDownloadThatBreaksOffLeavesTheTargetAsItWas() throws Exception {
        Path target = dir.resolve("metrics.csv");
        Files.writeString(target, "the previous download\n");
        api.enqueue(new MockResponse.Builder().setHeader("Content-Type", "application/octet-stream")
                .body("x".repeat(1 << 20)).throttleBody(64 * 1024, 10, java.util.concurrent.TimeUnit.MILLISECONDS)
                .onResponseBody(new mockwebserver3.SocketEffect.CloseSocket()).build());
        assertThatThrownBy(() -> client.files().download("file-r", target))
                .isInstanceOf(ApiConnectionException.class).hasMessageContaining("broke off")
                .hasMessageContaining("was left as it was");
        assertThat(Files.readString(target)).isEqualTo("the previous download\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("metrics.csv");
        }
    }

    // ---- uploads

    @Test
    void uploadsCreateAddPartCompleteCancel() {
        api.json(Fixtures.read("upload.json"));
        Upload upload = client.uploads().create(UploadCreateParams.builder().filename("training_examples.jsonl")
                .purpose("fine-tune").bytes(2147483648L).mimeType("text/jsonl").build());
        RecordedRequest r = take("POST", "/v1/uploads");
        assertThat(jsonBody(r)).isEqualTo(Json.tree("""
                {"filename":"training_examples.jsonl","purpose":"fine-tune","bytes":2147483648,"mime_type":"text/jsonl"}"""));
        ContractCheck.exchange(r, Fixtures.read("upload.json"));
        assertThat(upload.status()).isEqualTo("pending");

        api.json(Fixtures.read("upload_part.json"));
        UploadPart part = client.uploads().addPart("upload_abc123", "chunk".getBytes(StandardCharsets.UTF_8));
        RecordedRequest p = take("POST", "/v1/uploads/upload_abc123/parts");
        assertThat(p.getBody().utf8()).contains("name=\"data\"").contains("chunk");
        ContractCheck.exchange(p, Fixtures.read("upload_part.json"));
        assertThat(part.uploadId()).isEqualTo("upload_abc123");

        api.json(Fixtures.read("upload_completed.json"));
        Upload done = client.uploads().complete("upload_abc123", List.of("part_def456", "part_ghi789"), "d41d8cd9",
                RequestOptions.NONE);
        RecordedRequest c = take("POST", "/v1/uploads/upload_abc123/complete");
        assertThat(jsonBody(c)).isEqualTo(Json.tree("{\"part_ids\":[\"part_def456\",\"part_ghi789\"],\"md5\":\"d41d8cd9\"}"));
        ContractCheck.exchange(c, Fixtures.read("upload_completed.json"));
        assertThat(done.file().id()).isEqualTo("file-xyz321");

        api.json(Fixtures.read("upload_cancelled.json"));
        assertThat(client.uploads().cancel("upload_abc123").status()).isEqualTo("cancelled");
        ContractCheck.exchange(take("POST", "/v1/uploads/upload_abc123/cancel"), Fixtures.read("upload_cancelled.json"));
    }

    // ---- fine-tuning jobs

    @Test
    void jobsCreateWithEveryTypedField() {
        api.json(Fixtures.read("job.json"));
        FineTuningJob job = client.fineTuning().jobs().create(JobCreateParams.builder()
                .model("gpt-4o-mini").trainingFile("file-abc123").validationFile("file-val123")
                .suffix("weather").seed(42)
                .hyperparameters(Map.of("n_epochs", 3))
                .method(Map.of("type", "supervised", "supervised",
                        Map.of("hyperparameters", Map.of("batch_size", "auto", "learning_rate_multiplier", 0.1))))
                .addIntegration(new Integration("wandb", new Integration.Wandb("my-project", null, null,
                        List.of("a"), null), null))
                .metadata(Map.of("team", "ml"))
                .build());
        RecordedRequest r = take("POST", "/v1/fine_tuning/jobs");
        assertThat(jsonBody(r)).isEqualTo(Json.tree("""
                {"model":"gpt-4o-mini","training_file":"file-abc123","validation_file":"file-val123",
                 "suffix":"weather","seed":42,"hyperparameters":{"n_epochs":3},
                 "method":{"type":"supervised","supervised":{"hyperparameters":{"batch_size":"auto","learning_rate_multiplier":0.1}}},
                 "integrations":[{"type":"wandb","wandb":{"project":"my-project","tags":["a"]}}],
                 "metadata":{"team":"ml"}}"""));
        ContractCheck.exchange(r, Fixtures.read("job.json"));
        assertThat(job.id()).isEqualTo("ftjob-abc123");
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.hyperparameters().nEpochs()).isEqualTo(3);
        assertThat(job.integrations()).singleElement().extracting(i -> i.wandb().project()).isEqualTo("my-project");
        assertThat(job.method().type()).isEqualTo("supervised");
        assertThat(job.metadata()).containsEntry("team", "ml");
        assertThat(job.extra()).containsEntry("user_provided_suffix", "weather");
        assertThat(job.userProvidedSuffix()).isEqualTo("weather");
    }

    @Test
    void jobsCreateFromAPastedMap() {
        api.json(Fixtures.read("job.json"));
        client.fineTuning().jobs().create(Map.of("model", "gpt-4o-mini", "training_file", "file-abc123",
                "method", Map.of("type", "dpo", "dpo", Map.of("hyperparameters", Map.of("beta", 0.1)))));
        RecordedRequest r = take("POST", "/v1/fine_tuning/jobs");
        JsonNode body = jsonBody(r);
        assertThat(body.path("method").path("dpo").path("hyperparameters").path("beta").asDouble()).isEqualTo(0.1);
        ContractCheck.request(r);
    }

    @Test
    void jobsRetrieveListCancelPauseResume() {
        api.json(Fixtures.read("job_succeeded.json"));
        FineTuningJob job = client.fineTuning().jobs().retrieve("ftjob-abc123");
        ContractCheck.exchange(take("GET", "/v1/fine_tuning/jobs/ftjob-abc123"), Fixtures.read("job_succeeded.json"));
        assertThat(job.fineTunedModel()).isEqualTo("ft:gpt-4o-mini-2024-07-18:org-123:weather:7p4lURel");
        assertThat(job.trainedTokens()).isEqualTo(5768L);
        assertThat(job.isTerminal()).isTrue();
        assertThat(job.method().hyperparameters().beta()).isEqualTo(0.1);

        String list = "{\"object\":\"list\",\"data\":[" + Fixtures.read("job.json") + ","
                + Fixtures.read("job_failed.json") + "],\"has_more\":false}";
        api.json(list);
        CursorPage<FineTuningJob> page = client.fineTuning().jobs().list(JobListParams.builder().limit(10)
                .after("ftjob-0").metadata(Map.of("team", "ml")).build());
        RecordedRequest r = take("GET", "/v1/fine_tuning/jobs");
        assertThat(r.getUrl().queryParameter("limit")).isEqualTo("10");
        assertThat(r.getUrl().queryParameter("after")).isEqualTo("ftjob-0");
        assertThat(r.getUrl().queryParameter("metadata[team]")).isEqualTo("ml");
        assertThat(r.getUrl().encodedQuery()).contains("metadata%5Bteam%5D=ml");
        ContractCheck.exchange(r, list);
        assertThat(page.data()).extracting(FineTuningJob::status).containsExactly("queued", "failed");
        assertThat(page.data().get(1).error().code()).isEqualTo("invalid_training_file");

        api.json(list);
        client.fineTuning().jobs().list(JobListParams.builder().metadata(Map.of("team", "ml")).withoutMetadata().build());
        r = take("GET", "/v1/fine_tuning/jobs");
        assertThat(r.getUrl().encodedQuery()).isEqualTo("metadata=null");
        ContractCheck.exchange(r, list);

        api.json(Fixtures.read("job_failed.json").replace("\"failed\"", "\"cancelled\""));
        assertThat(client.fineTuning().jobs().cancel("ftjob-abc123").status()).isEqualTo(JobStatus.CANCELLED);
        RecordedRequest cancel = take("POST", "/v1/fine_tuning/jobs/ftjob-abc123/cancel");
        assertThat(cancel.getBodySize()).isZero();
        ContractCheck.request(cancel);

        api.json(Fixtures.read("job_paused.json"));
        assertThat(client.fineTuning().jobs().pause("ftjob-abc123").status()).isEqualTo(JobStatus.PAUSED);
        ContractCheck.exchange(take("POST", "/v1/fine_tuning/jobs/ftjob-abc123/pause"), Fixtures.read("job_paused.json"));

        api.json(Fixtures.read("job.json"));
        assertThat(client.fineTuning().jobs().resume("ftjob-abc123").status()).isEqualTo(JobStatus.QUEUED);
        ContractCheck.exchange(take("POST", "/v1/fine_tuning/jobs/ftjob-abc123/resume"), Fixtures.read("job.json"));
    }

    @Test
    void jobsListEventsAndCheckpoints() {
        api.json(Fixtures.read("job_events.json"));
        CursorPage<FineTuningJobEvent> events = client.fineTuning().jobs().listEvents("ftjob-abc123",
                ListParams.builder().limit(5).after("ftevent-9").build());
        RecordedRequest r = take("GET", "/v1/fine_tuning/jobs/ftjob-abc123/events");
        assertThat(r.getUrl().query()).isEqualTo("limit=5&after=ftevent-9");
        ContractCheck.exchange(r, Fixtures.read("job_events.json"));
        assertThat(events.data()).hasSize(3);
        FineTuningJobEvent metrics = events.data().get(0);
        assertThat(metrics.isMetrics()).isTrue();
        assertThat(((Number) metrics.data().get("train_loss")).doubleValue()).isEqualTo(0.15);
        assertThat(events.data().get(2).type()).isNull();

        api.json(Fixtures.read("job_checkpoints.json"));
        CursorPage<FineTuningJobCheckpoint> checkpoints = client.fineTuning().jobs().checkpoints().list("ftjob-abc123",
                ListParams.builder().limit(2).build());
        RecordedRequest c = take("GET", "/v1/fine_tuning/jobs/ftjob-abc123/checkpoints");
        assertThat(c.getUrl().query()).isEqualTo("limit=2");
        ContractCheck.exchange(c, Fixtures.read("job_checkpoints.json"));
        FineTuningJobCheckpoint first = checkpoints.data().get(0);
        assertThat(first.stepNumber()).isEqualTo(2000);
        assertThat(first.metrics().fullValidLoss()).isEqualTo(0.134);
        assertThat(first.fineTunedModelCheckpoint()).endsWith(":ckpt-step-2000");
    }

    // ---- checkpoint permissions

    @Test
    void permissionsCreateListRetrieveDeleteKeepColonsInThePath() {
        String path = "/v1/fine_tuning/checkpoints/" + CHECKPOINT + "/permissions";
        api.json(Fixtures.read("permissions.json"));
        CursorPage<CheckpointPermission> created = client.fineTuning().checkpoints().permissions()
                .create(CHECKPOINT, List.of("proj_abGMw1llN8IrBb6SvvY5A1iH", "proj_iqGMw1llN8IrBb6SvvY5A1oF"));
        RecordedRequest r = take("POST", path);
        assertThat(jsonBody(r)).isEqualTo(Json.tree(
                "{\"project_ids\":[\"proj_abGMw1llN8IrBb6SvvY5A1iH\",\"proj_iqGMw1llN8IrBb6SvvY5A1oF\"]}"));
        ContractCheck.exchange(r, Fixtures.read("permissions.json"));
        assertThat(created.data()).extracting(CheckpointPermission::projectId)
                .containsExactly("proj_abGMw1llN8IrBb6SvvY5A1iH", "proj_iqGMw1llN8IrBb6SvvY5A1oF");
        assertThat(created.hasNextPage()).isFalse();

        api.json(Fixtures.read("permissions.json"));
        client.fineTuning().checkpoints().permissions().list(CHECKPOINT, PermissionListParams.builder()
                .projectId("proj_abGMw1llN8IrBb6SvvY5A1iH").limit(2).order("ascending").after("cp_0").build());
        RecordedRequest l = take("GET", path);
        assertThat(l.getUrl().query()).isEqualTo("project_id=proj_abGMw1llN8IrBb6SvvY5A1iH&limit=2&order=ascending&after=cp_0");
        ContractCheck.exchange(l, Fixtures.read("permissions.json"));

        api.json(Fixtures.read("permissions.json"));
        CursorPage<CheckpointPermission> one = client.fineTuning().checkpoints().permissions().retrieve(CHECKPOINT);
        ContractCheck.exchange(take("GET", path), Fixtures.read("permissions.json"));
        assertThat(one.data()).hasSize(2);

        api.json(Fixtures.read("permission_deleted.json"));
        Deleted deleted = client.fineTuning().checkpoints().permissions().delete(CHECKPOINT, "cp_zedmMW7kG8ObS0FzNdp7ZdYA");
        ContractCheck.exchange(take("DELETE", path + "/cp_zedmMW7kG8ObS0FzNdp7ZdYA"),
                Fixtures.read("permission_deleted.json"));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.object()).isEqualTo("checkpoint.permission");
    }

    // ---- graders

    @Test
    void gradersRunAndValidate() {
        Map<String, Object> grader = Map.of("type", "string_check", "name", "exact",
                "input", "{{sample.output_text}}", "reference", "{{item.answer}}", "operation", "eq");
        api.json(Fixtures.read("grader_run.json"));
        GraderRunResponse run = client.fineTuning().alpha().graders().run(grader, "Paris", Map.of("answer", "Paris"));
        RecordedRequest r = take("POST", "/v1/fine_tuning/alpha/graders/run");
        JsonNode body = jsonBody(r);
        assertThat(body.get("grader")).isEqualTo(Json.MAPPER.valueToTree(grader));
        assertThat(body.get("model_sample").asText()).isEqualTo("Paris");
        assertThat(body.get("item").get("answer").asText()).isEqualTo("Paris");
        ContractCheck.exchange(r, Fixtures.read("grader_run.json"));
        assertThat(run.reward()).isEqualTo(1.0);
        assertThat(run.metadata().errors().formulaParseError()).isFalse();
        assertThat(run.metadata().type()).isEqualTo("string_check");

        api.json(Fixtures.read("grader_validate.json"));
        GraderValidateResponse valid = client.fineTuning().alpha().graders().validate(grader);
        RecordedRequest v = take("POST", "/v1/fine_tuning/alpha/graders/validate");
        assertThat(jsonBody(v).get("grader").get("operation").asText()).isEqualTo("eq");
        ContractCheck.exchange(v, Fixtures.read("grader_validate.json"));
        assertThat(valid.grader()).containsEntry("name", "exact");
    }

    // ---- models

    @Test
    void modelsListRetrieveDelete() {
        api.json(Fixtures.read("model_list.json"));
        CursorPage<Model> models = client.models().list();
        ContractCheck.exchange(take("GET", "/v1/models"), Fixtures.read("model_list.json"));
        assertThat(models.data()).extracting(Model::id).contains("gpt-4o-mini");
        assertThat(models.hasNextPage()).isFalse();

        api.json(Fixtures.read("model.json"));
        Model model = client.models().retrieve(CHECKPOINT);
        ContractCheck.exchange(take("GET", "/v1/models/" + CHECKPOINT), Fixtures.read("model.json"));
        assertThat(model.ownedBy()).isEqualTo("org-123");
        assertThat(model.created()).isEqualTo(1721768400L);

        api.json(Fixtures.read("model_deleted.json"));
        assertThat(client.models().delete(CHECKPOINT).deleted()).isTrue();
        ContractCheck.exchange(take("DELETE", "/v1/models/" + CHECKPOINT), Fixtures.read("model_deleted.json"));
    }

    // ---- chat

    @Test
    void chatCompletionsCreate() {
        api.json(Fixtures.read("chat_completion.json"));
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(CHECKPOINT).addSystemMessage("Be brief.").addUserMessage("Capital of France?")
                .temperature(0.2).maxCompletionTokens(16).n(1).stop(List.of("\n")).seed(1).build());
        RecordedRequest r = take("POST", "/v1/chat/completions");
        assertThat(jsonBody(r)).isEqualTo(Json.tree("""
                {"model":"%s","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"Capital of France?"}],
                 "temperature":0.2,"max_completion_tokens":16,"n":1,"stop":["\\n"],"seed":1}""".formatted(CHECKPOINT)));
        ContractCheck.exchange(r, Fixtures.read("chat_completion.json"));
        assertThat(completion.text()).isEqualTo("Paris");
        assertThat(completion.usage().totalTokens()).isEqualTo(14);
        assertThat(completion.choices().get(0).finishReason()).isEqualTo("stop");
    }

    @Test
    void chatCompletionsWithLogprobsAndLogitBias() {
        api.json(Fixtures.read("chat_completion_logprobs.json"));
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(CHECKPOINT).addUserMessage("Capital of France?").logprobs(true).topLogprobs(2)
                .logitBias(Map.of(50256, -100)).presencePenalty(0.5).frequencyPenalty(-0.5).build());
        RecordedRequest r = take("POST", "/v1/chat/completions");
        assertThat(jsonBody(r)).isEqualTo(Json.tree("""
                {"model":"%s","messages":[{"role":"user","content":"Capital of France?"}],"logprobs":true,
                 "top_logprobs":2,"logit_bias":{"50256":-100},"presence_penalty":0.5,"frequency_penalty":-0.5}"""
                .formatted(CHECKPOINT)));
        ContractCheck.exchange(r, Fixtures.read("chat_completion_logprobs.json"));
        List<ChatCompletionTokenLogprob> tokens = completion.choices().get(0).logprobs().content();
        assertThat(tokens).extracting(ChatCompletionTokenLogprob::token).containsExactly("Paris", "bytes:\\xe2\\x98", "bytes:\\x80");
        assertThat(tokens.get(0).probability()).isCloseTo(Math.exp(-0.0019), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(tokens.get(0).topLogprobs()).extracting(ChatCompletionTokenLogprob.TopLogprob::token).containsExactly("Paris", "The");
        byte[] bytes = tokens.stream().flatMap(t -> t.bytes().stream()).collect(java.io.ByteArrayOutputStream::new,
                (out, b) -> out.write(b), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray();
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(completion.text());
        assertThat(completion.choices().get(0).logprobs().refusal()).isNull();
    }

    @Test
    void chatCompletionsCreateFromAMap() {
        api.json(Fixtures.read("chat_completion.json"));
        client.chat().completions().create(Map.of("model", "gpt-4o-mini",
                "messages", List.of(Map.of("role", "user", "content", "Test"))));
        RecordedRequest r = take("POST", "/v1/chat/completions");
        assertThat(jsonBody(r).get("messages").get(0).get("content").asText()).isEqualTo("Test");
        assertThat(jsonBody(r).has("stream")).isFalse();
        ContractCheck.request(r);
    }
}
