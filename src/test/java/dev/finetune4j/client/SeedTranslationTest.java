package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.ChatCompletion;
import dev.finetune4j.api.CheckpointPermission;
import dev.finetune4j.api.Deleted;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.GraderValidateResponse;
import dev.finetune4j.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python SDK examples of the fine-tuning docs, translated line by line (Python in the comments), run against
 * a mock server that answers each route with a fixture. Every request the translations make is checked against
 * the spec.
 */
class SeedTranslationTest {
    private final MockApi api = new MockApi();
    private final OpenAI client = api.client;
    private final List<RecordedRequest> requests = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void routes() {
        api.server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                synchronized (requests) {
                    requests.add(r);
                }
                String path = r.getUrl().encodedPath();
                String fixture = switch (r.getMethod() + " " + path.replaceAll("ftjob-[A-Za-z0-9]+", "{job}")) {
                    case "POST /v1/files" -> "file.json";
                    case "POST /v1/fine_tuning/jobs" -> "job.json";
                    case "GET /v1/fine_tuning/jobs/{job}" -> "job_succeeded.json";
                    case "GET /v1/fine_tuning/jobs" -> null;
                    case "POST /v1/fine_tuning/jobs/{job}/cancel" -> "job_failed.json";
                    case "POST /v1/fine_tuning/jobs/{job}/pause" -> "job_paused.json";
                    case "POST /v1/fine_tuning/jobs/{job}/resume" -> "job.json";
                    case "GET /v1/fine_tuning/jobs/{job}/events" -> "job_events.json";
                    case "GET /v1/fine_tuning/jobs/{job}/checkpoints" -> "job_checkpoints.json";
                    case "POST /v1/fine_tuning/alpha/graders/validate" -> "grader_validate.json";
                    case "POST /v1/fine_tuning/alpha/graders/run" -> "grader_run.json";
                    case "POST /v1/chat/completions" -> "chat_completion.json";
                    default -> path.startsWith("/v1/fine_tuning/checkpoints/")
                            ? (r.getMethod().equals("DELETE") ? "permission_deleted.json" : "permissions.json")
                            : path.startsWith("/v1/models/") ? "model_deleted.json" : "missing";
                };
                String body = fixture == null
                        ? "{\"object\":\"list\",\"data\":[" + Fixtures.read("job.json") + "," + Fixtures.read("job_succeeded.json")
                                .replace("ftjob-abc123", "ftjob-def456") + "],\"has_more\":false}"
                        : fixture.equals("missing") ? "{\"error\":{\"message\":\"no route\"}}" : Fixtures.read(fixture);
                return new MockResponse.Builder().code(fixture != null && fixture.equals("missing") ? 404 : 200)
                        .setHeader("Content-Type", "application/json").body(body).build();
            }
        });
    }

    @AfterEach
    void checkEveryRequestAndClose() {
        for (RecordedRequest r : requests) ContractCheck.request(r);
        api.close();
    }

    @Test
    void createJobs() throws Exception {
        Path trainingData = Files.writeString(dir.resolve("training_data.jsonl"),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"What is 2+2?\"}, {\"role\": \"assistant\", \"content\": \"4\"}]}\n");
        Path validationData = Files.writeString(dir.resolve("validation_data.jsonl"), Files.readString(trainingData));

        // training_file = client.files.create(file=f, purpose="fine-tune")
        FileObject trainingFile = client.files().create(trainingData, "fine-tune");
        // job = client.fine_tuning.jobs.create(model="gpt-3.5-turbo", training_file=training_file.id)
        FineTuningJob job = client.fineTuning().jobs().create(JobCreateParams.builder()
                .model("gpt-3.5-turbo").trainingFile(trainingFile.id()).build());
        // print(f"Job ID: {job.id}"); print(f"Status: {job.status}")
        assertThat(job.id()).isEqualTo("ftjob-abc123");
        assertThat(job.status()).isEqualTo("queued");

        // hyperparameters={"n_epochs": 3, "batch_size": 4, "learning_rate_multiplier": 0.1}
        job = client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-3.5-turbo")
                .trainingFile(trainingFile.id())
                .hyperparameters(Map.of("n_epochs", 3, "batch_size", 4, "learning_rate_multiplier", 0.1)).build());

        // validation_file = client.files.create(file=f, purpose="fine-tune"); validation_file=..., suffix="my-custom-model"
        FileObject validationFile = client.files().create(validationData, "fine-tune");
        job = client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-3.5-turbo")
                .trainingFile(trainingFile.id()).validationFile(validationFile.id()).suffix("my-custom-model").build());

        // integrations=[{"type": "wandb", "wandb": {"project": "my-fine-tuning", "name": "experiment-1"}}]
        job = client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-3.5-turbo")
                .trainingFile(trainingFile.id())
                .integrations(List.of(Map.of("type", "wandb",
                        "wandb", Map.of("project", "my-fine-tuning", "name", "experiment-1")))).build());

        // method={"type": "dpo"}
        job = client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-3.5-turbo")
                .trainingFile(trainingFile.id()).method(Map.of("type", "dpo")).build());

        // the same call with the body as a dict
        job = client.fineTuning().jobs().create(Map.of("model", "gpt-3.5-turbo", "training_file", trainingFile.id(),
                "method", Map.of("type", "dpo")));
        assertThat(requests).hasSize(8);
        var hyperparameters = Json.tree(requests.get(2).getBody().utf8()).get("hyperparameters");
        assertThat(hyperparameters.get("batch_size").asInt()).isEqualTo(4);
        assertThat(hyperparameters.get("learning_rate_multiplier").asDouble()).isEqualTo(0.1);
        var integration = Json.tree(requests.get(5).getBody().utf8()).get("integrations").get(0);
        assertThat(integration.get("type").asText()).isEqualTo("wandb");
        assertThat(integration.get("wandb").get("name").asText()).isEqualTo("experiment-1");
    }

    @Test
    void retrieveListCancelPauseResume() {
        // job = client.fine_tuning.jobs.retrieve("ftjob-abc123")
        FineTuningJob job = client.fineTuning().jobs().retrieve("ftjob-abc123");
        // if job.status == "succeeded": print(f"Fine-tuned model ready: {job.fine_tuned_model}")
        assertThat(job.status()).isEqualTo("succeeded");
        assertThat(job.fineTunedModel()).startsWith("ft:");
        assertThat(job.trainedTokens()).isEqualTo(5768L);

        // for job in client.fine_tuning.jobs.list(): print(f"{job.id}: {job.status}")
        List<String> lines = new ArrayList<>();
        for (FineTuningJob j : client.fineTuning().jobs().list()) lines.add(j.id() + ": " + j.status());
        assertThat(lines).containsExactly("ftjob-abc123: queued", "ftjob-def456: succeeded");

        // page1 = client.fine_tuning.jobs.list(limit=10)
        CursorPage<FineTuningJob> page1 = client.fineTuning().jobs().list(JobListParams.builder().limit(10).build());
        // page2 = client.fine_tuning.jobs.list(limit=10, after=page1.data[-1].id)
        CursorPage<FineTuningJob> page2 = client.fineTuning().jobs().list(JobListParams.builder().limit(10)
                .after(page1.data().get(page1.data().size() - 1).id()).build());
        assertThat(requests.get(requests.size() - 1).getUrl().queryParameter("after")).isEqualTo("ftjob-def456");

        // succeeded_jobs = [job for job in client.fine_tuning.jobs.list() if job.status == "succeeded"]
        List<FineTuningJob> succeededJobs = client.fineTuning().jobs().list().stream()
                .filter(j -> j.status().equals("succeeded")).toList();
        assertThat(succeededJobs).hasSize(1);

        // job = client.fine_tuning.jobs.cancel("ftjob-abc123"); pause(...); resume(...)
        job = client.fineTuning().jobs().cancel("ftjob-abc123");
        job = client.fineTuning().jobs().pause("ftjob-abc123");
        assertThat(job.status()).isEqualTo("paused");
        job = client.fineTuning().jobs().resume("ftjob-abc123");
        assertThat(page2.data()).isNotEmpty();
    }

    @Test
    void eventsAndCheckpoints() {
        // events = client.fine_tuning.jobs.list_events("ftjob-abc123")
        // for event in events: print(f"[{event.created_at}] {event.message}"); if event.data: print(f" Metrics: {event.data}")
        List<String> out = new ArrayList<>();
        for (FineTuningJobEvent event : client.fineTuning().jobs().listEvents("ftjob-abc123")) {
            out.add("[" + event.createdAt() + "] " + event.message());
            if (event.data() != null && !event.data().isEmpty()) out.add(" Metrics: " + event.data());
        }
        assertThat(out).contains("[1721764800] Created fine-tuning job").anyMatch(l -> l.contains("train_loss"));

        // events = client.fine_tuning.jobs.list_events(job_id, limit=5)
        client.fineTuning().jobs().listEvents("ftjob-abc123", ListParams.builder().limit(5).build());
        assertThat(requests.get(requests.size() - 1).getUrl().queryParameter("limit")).isEqualTo("5");

        // checkpoints = client.fine_tuning.jobs.checkpoints.list("ftjob-abc123")
        // for checkpoint in checkpoints: print(f"Step {checkpoint.step_number}: {checkpoint.metrics}")
        List<Long> steps = new ArrayList<>();
        for (FineTuningJobCheckpoint checkpoint : client.fineTuning().jobs().checkpoints().list("ftjob-abc123")) {
            steps.add(checkpoint.stepNumber());
            assertThat(checkpoint.fineTunedModelCheckpoint()).contains(":ckpt-step-");
        }
        assertThat(steps).containsExactly(2000L, 1000L);
    }

    @Test
    void checkpointPermissions() {
        // permissions = client.fine_tuning.checkpoints.permissions.create(fine_tuned_model_checkpoint="ftckpt-xyz789", project_ids=["proj-456", "proj-789"])
        CursorPage<CheckpointPermission> permissions = client.fineTuning().checkpoints().permissions()
                .create("ftckpt-xyz789", List.of("proj-456", "proj-789"));
        // print(f"Created {len(permissions.data)} permissions"); for perm in permissions: print(perm.id)
        assertThat(permissions.data()).hasSize(2);
        for (CheckpointPermission perm : permissions) assertThat(perm.id()).startsWith("cp_");

        // all_perms = client.fine_tuning.checkpoints.permissions.retrieve(fine_tuned_model_checkpoint="ftckpt-xyz789")
        CursorPage<CheckpointPermission> allPerms = client.fineTuning().checkpoints().permissions().retrieve("ftckpt-xyz789");
        assertThat(allPerms.data()).extracting(CheckpointPermission::projectId).hasSize(2);

        // project_perms = ...retrieve(fine_tuned_model_checkpoint="ftckpt-xyz789", project_id="proj-456")
        client.fineTuning().checkpoints().permissions().retrieve("ftckpt-xyz789",
                PermissionListParams.builder().projectId("proj-456").build());
        assertThat(requests.get(requests.size() - 1).getUrl().queryParameter("project_id")).isEqualTo("proj-456");

        // deleted = ...delete(permission_id="perm-abc123", fine_tuned_model_checkpoint="ftckpt-xyz789")
        Deleted deleted = client.fineTuning().checkpoints().permissions().delete("ftckpt-xyz789", "perm-abc123");
        assertThat(deleted.deleted()).isTrue();
        assertThat(requests.get(requests.size() - 1).getUrl().encodedPath())
                .isEqualTo("/v1/fine_tuning/checkpoints/ftckpt-xyz789/permissions/perm-abc123");
    }

    @Test
    void graders() {
        // The seed's usage example passes grader_config/evaluation_data/model and reads result.score; those names
        // exist in no SDK or spec. Translated per the documented signature: run(grader, model_sample, item).
        Map<String, Object> grader = Map.of("type", "string_check", "name", "answer",
                "input", "{{sample.output_text}}", "reference", "{{item.expected}}", "operation", "eq");
        GraderValidateResponse validation = client.fineTuning().alpha().graders().validate(grader);
        assertThat(validation.grader()).isNotNull();
        GraderRunResponse result = client.fineTuning().alpha().graders().run(grader, "4", Map.of("expected", "4"));
        assertThat(result.reward()).isEqualTo(1.0);
    }

    @Test
    void bestPracticesWaitUseAndCleanUp() {
        // def wait_for_job(job_id): while True: job = retrieve(job_id); if job.status == "succeeded": return job.fine_tuned_model ...
        String fineTunedModel = waitForJob("ftjob-abc123");
        // response = client.chat.completions.create(model=fine_tuned_model, messages=[{"role": "user", "content": "Test"}])
        ChatCompletion response = client.chat().completions().create(Map.of("model", fineTunedModel,
                "messages", List.of(Map.of("role", "user", "content", "Test"))));
        assertThat(response.text()).isEqualTo("Paris");
        // client.models.delete(fine_tuned_model)
        assertThat(client.models().delete(fineTunedModel).deleted()).isTrue();
        assertThat(requests.get(requests.size() - 1).getUrl().encodedPath()).isEqualTo("/v1/models/" + fineTunedModel);
    }

    private String waitForJob(String jobId) {
        while (true) {
            FineTuningJob job = client.fineTuning().jobs().retrieve(jobId);
            if (job.status().equals("succeeded")) return job.fineTunedModel();
            if (job.isTerminal()) throw new IllegalStateException("Job " + job.status() + ": " + job.error());
        }
    }

    @Test
    void asyncClient() throws Exception {
        // client = AsyncOpenAI(); job = await client.fine_tuning.jobs.create(model="gpt-3.5-turbo", training_file="file-abc123")
        FineTuningJob job = client.async().fineTuning().jobs()
                .create(Map.of("model", "gpt-3.5-turbo", "training_file", "file-abc123")).get(10, TimeUnit.SECONDS);
        assertThat(job.id()).isEqualTo("ftjob-abc123");
    }
}
