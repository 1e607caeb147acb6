package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.finetune4j.api.ChatCompletion;
import dev.finetune4j.api.ChatCompletionChunk;
import dev.finetune4j.api.ChatCompletionTokenLogprob;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.Hyperparameters;
import dev.finetune4j.api.JobStatus;
import dev.finetune4j.client.ApiResponse;
import dev.finetune4j.client.AuthenticationException;
import dev.finetune4j.client.BadRequestException;
import dev.finetune4j.client.ChatCompletionCreateParams;
import dev.finetune4j.client.ChatCompletionStream;
import dev.finetune4j.client.JobCreateParams;
import dev.finetune4j.client.ListParams;
import dev.finetune4j.client.NotFoundException;
import dev.finetune4j.client.OpenAI;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole journey with the project's client against the real server and the real engine (nano, a few
 * epochs), every response checked against the official spec.
 */
class EndToEndTest {
    @TempDir
    Path dir;
    LocalServer server;
    OpenAI client;
    ContractCheck contract;

    @BeforeEach
    void start() {
        server = LocalServer.builder().dataDir(dir).resumeStateEverySteps(10).start();
        contract = new ContractCheck();
        client = OpenAI.builder().baseUrl(server.baseUrl()).apiKey(server.apiKey()).maxRetries(0)
                .httpClient(new OkHttpClient.Builder().addInterceptor(contract).build()).build();
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
        if (contract.active()) {
            assertThat(contract.violations()).as("spec violations in %d checked exchanges", contract.checked()).isEmpty();
        } else {
            System.out.println("EndToEndTest: the OpenAPI spec is absent; responses were not checked against it");
        }
    }

    /** The sample data that ships with the project, or the same kind of data written here when it is absent. */
    static Path sampleData(Path dir) throws IOException {
        Path shipped = Path.of("data", "sample_train.jsonl");
        if (Files.exists(shipped)) return shipped;
        StringBuilder sb = new StringBuilder();
        String[][] capitals = {{"France", "Paris"}, {"Japan", "Tokyo"}, {"Canada", "Ottawa"}, {"Italy", "Rome"},
                {"Spain", "Madrid"}, {"Egypt", "Cairo"}, {"Peru", "Lima"}, {"Kenya", "Nairobi"}, {"Chile", "Santiago"},
                {"Norway", "Oslo"}, {"Greece", "Athens"}, {"Cuba", "Havana"}, {"Poland", "Warsaw"}, {"Iran", "Tehran"}};
        for (String[] c : capitals) {
            sb.append("{\"messages\": [{\"role\": \"system\", \"content\": \"Answer briefly.\"}, {\"role\": \"user\",")
                    .append(" \"content\": \"What is the capital of ").append(c[0]).append("?\"}, {\"role\": \"assistant\",")
                    .append(" \"content\": \"").append(c[1]).append(".\"}]}\n");
        }
        for (int a = 1; a <= 7; a++) {
            for (int b = 1; b <= 7; b++) {
                sb.append("{\"messages\": [{\"role\": \"user\", \"content\": \"What is ").append(a).append(" + ")
                        .append(b).append("?\"}, {\"role\": \"assistant\", \"content\": \"").append(a + b)
                        .append("\"}]}\n");
            }
        }
        Path file = dir.resolve("sample_train.jsonl");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** The validation data that ships with the project, or a few examples of the same kind. */
    static Path validationData(Path dir) throws IOException {
        Path shipped = Path.of("data", "sample_valid.jsonl");
        if (Files.exists(shipped)) return shipped;
        Path file = dir.resolve("sample_valid.jsonl");
        Files.writeString(file, "{\"messages\": [{\"role\": \"user\", \"content\": \"What is 8 + 1?\"},"
                + " {\"role\": \"assistant\", \"content\": \"9\"}]}\n{\"messages\": [{\"role\": \"user\","
                + " \"content\": \"What is 8 + 2?\"}, {\"role\": \"assistant\", \"content\": \"10\"}]}\n");
        return file;
    }

    FineTuningJob await(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            FineTuningJob job = client.fineTuning().jobs().retrieve(id);
            if (job.isTerminal()) return job;
            assertThat(System.nanoTime()).as("job %s still %s", id, job.status()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    List<FineTuningJobEvent> events(String jobId) {
        List<FineTuningJobEvent> out = new ArrayList<>();
        client.fineTuning().jobs().listEvents(jobId, ListParams.builder().limit(10000).build()).autoPager()
                .forEach(out::add);
        return out;
    }

    List<Map<String, Object>> stepMetrics(String jobId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FineTuningJobEvent e : events(jobId)) if (e.isMetrics()) out.add(e.data());
        Collections.reverse(out);
        return out;
    }

    @Test
    void uploadTrainPauseResumeFinishChatDelete() throws Exception {
        FileObject file = client.files().create(sampleData(dir), "fine-tune");
        assertThat(file.status()).isEqualTo("processed");
        FileObject valid = client.files().create(validationData(dir), "fine-tune");
        JobCreateParams params = JobCreateParams.builder().model("gpt-3.5-turbo").trainingFile(file.id())
                .validationFile(valid.id())
                .suffix("e2e").seed(42).hyperparameters(Map.of("n_epochs", 2, "batch_size", 2)).build();

        FineTuningJob job = client.fineTuning().jobs().create(params);
        assertThat(job.status()).isEqualTo(JobStatus.VALIDATING_FILES);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (stepMetrics(job.id()).isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        FineTuningJob paused = client.fineTuning().jobs().pause(job.id());
        assertThat(paused.status()).isEqualTo(JobStatus.PAUSED);
        Thread.sleep(300);
        int steps = stepMetrics(job.id()).size();
        Thread.sleep(300);
        assertThat(stepMetrics(job.id())).as("no step while paused").hasSize(steps);
        assertThat(client.fineTuning().jobs().retrieve(job.id()).status()).isEqualTo(JobStatus.PAUSED);
        FineTuningJob resumed = client.fineTuning().jobs().resume(job.id());
        assertThat(resumed.status()).isIn(JobStatus.QUEUED, JobStatus.RUNNING);
        FineTuningJob done = await(job.id());
        assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.fineTunedModel()).startsWith("ft:gpt-3.5-turbo:local:e2e:");
        assertThat(done.trainedTokens()).isPositive();
        List<String> messages = events(job.id()).stream().map(FineTuningJobEvent::message).toList();
        assertThat(messages).contains("Fine-tuning job started", "New fine-tuned model created",
                "The job has successfully completed");
        assertThat(messages).anyMatch(m -> m.contains("'nano' configuration"));
        assertThat(messages).anyMatch(m -> m.startsWith("Fine-tuning job resumed from step"));

        List<FineTuningJobCheckpoint> checkpoints = client.fineTuning().jobs().checkpoints().list(job.id()).data();
        assertThat(checkpoints).hasSize(2);
        int perEpoch = (int) checkpoints.get(1).stepNumber();
        assertThat(checkpoints.get(0).stepNumber()).isEqualTo(2L * perEpoch);
        assertThat(checkpoints.get(0).fineTunedModelCheckpoint()).isEqualTo(done.fineTunedModel() + ":ckpt-step-" + 2 * perEpoch);

        assertThat(checkpoints.get(0).metrics().fullValidLoss()).isNotNull();
        assertThat(stepMetrics(job.id())).anyMatch(m -> m.get("valid_loss") != null);
        assertThat(events(job.id()).stream().map(FineTuningJobEvent::message))
                .anyMatch(m -> m.contains("validation loss=") && m.contains("full validation loss="));
        String csv = client.files().contentAsString(done.resultFiles().get(0));
        assertThat(csv.lines().skip(1)).anyMatch(l -> !l.endsWith(",,"));
        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy");
        assertThat(csv.lines().count()).isEqualTo(2L * perEpoch + 1);

        // The same job without pausing trains to exactly the same metrics.
        FineTuningJob straight = await(client.fineTuning().jobs().create(params).id());
        assertThat(stepMetrics(straight.id())).isEqualTo(stepMetrics(job.id()));

        ChatCompletionCreateParams chat = ChatCompletionCreateParams.builder().model(done.fineTunedModel())
                .addSystemMessage("Answer briefly.").addUserMessage("What is the capital of France?")
                .temperature(0).maxCompletionTokens(20).build();
        ChatCompletion answer = client.chat().completions().create(chat);
        assertThat(answer.choices()).hasSize(1);
        assertThat(answer.usage().promptTokens()).isPositive();
        assertThat(answer.usage().completionTokens()).isBetween(1L, 20L);
        StringBuilder streamed = new StringBuilder();
        try (ChatCompletionStream stream = client.chat().completions().createStreaming(chat)) {
            for (ChatCompletionChunk chunk : stream) {
                if (!chunk.choices().isEmpty() && chunk.choices().get(0).delta().content() != null) {
                    streamed.append(chunk.choices().get(0).delta().content());
                }
            }
        }
        assertThat(streamed.toString()).isEqualTo(answer.text());

        // log-probabilities of the same greedy answer, whole and streamed
        ChatCompletionCreateParams withLogprobs = ChatCompletionCreateParams.builder().model(done.fineTunedModel())
                .addSystemMessage("Answer briefly.").addUserMessage("What is the capital of France?")
                .temperature(0).maxCompletionTokens(20).logprobs(true).topLogprobs(3).build();
        ChatCompletion scored = client.chat().completions().create(withLogprobs);
        assertThat(scored.text()).isEqualTo(answer.text());
        List<ChatCompletionTokenLogprob> tokens = scored.choices().get(0).logprobs().content();
        assertThat(bytesOf(tokens)).isEqualTo(answer.text().getBytes(StandardCharsets.UTF_8));
        for (ChatCompletionTokenLogprob t : tokens) {
            assertThat(t.topLogprobs()).hasSize(3);
            assertThat(t.topLogprobs().get(0).token()).as("greedy takes the likeliest").isEqualTo(t.token());
            assertThat(t.logprob()).isLessThanOrEqualTo(0).isEqualTo(t.topLogprobs().get(0).logprob());
        }
        assertThat(tokens.stream().mapToDouble(ChatCompletionTokenLogprob::probability).average().orElseThrow())
                .as("a trained answer beats chance, one token in 259").isGreaterThan(2.0 / 259);
        List<ChatCompletionTokenLogprob> streamedTokens = new ArrayList<>();
        try (ChatCompletionStream stream = client.chat().completions().createStreaming(withLogprobs)) {
            for (ChatCompletionChunk chunk : stream) {
                if (!chunk.choices().isEmpty() && chunk.choices().get(0).logprobs() != null) {
                    streamedTokens.addAll(chunk.choices().get(0).logprobs().content());
                }
            }
        }
        assertThat(streamedTokens).isEqualTo(tokens);
        assertThat(answer.choices().get(0).logprobs()).as("not asked for").isNull();

        assertThat(client.models().list().data().stream().map(m -> m.id()))
                .contains("nano", done.fineTunedModel(), checkpoints.get(0).fineTunedModelCheckpoint());
        assertThat(client.models().delete(done.fineTunedModel()).deleted()).isTrue();
        assertThatThrownBy(() -> client.chat().completions().create(chat)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.fineTuning().jobs().retrieve("ftjob-missing")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void everyAnswerCarriesAUniqueRequestId() {
        NotFoundException missing = catchThrowableOfType(NotFoundException.class,
                () -> client.fineTuning().jobs().retrieve("ftjob-missing"));
        assertThat(missing.requestId()).matches("req_[0-9a-f]{32}");
        BadRequestException bad = catchThrowableOfType(BadRequestException.class,
                () -> client.fineTuning().jobs().create(Map.of("model", "gpt-99", "training_file", "file-x")));
        assertThat(bad.requestId()).matches("req_[0-9a-f]{32}").isNotEqualTo(missing.requestId());
        OpenAI noKey = OpenAI.builder().baseUrl(server.baseUrl()).apiKey("sk-wrong").maxRetries(0).build();
        try (noKey) {
            AuthenticationException refused = catchThrowableOfType(AuthenticationException.class,
                    () -> noKey.models().list());
            assertThat(refused.requestId()).matches("req_[0-9a-f]{32}");
        }
        ApiResponse<?> ok = client.withRawResponse(c -> c.models().list());
        assertThat(ok.requestId()).matches("req_[0-9a-f]{32}");
        assertThat(client.withRawResponse(c -> c.models().list()).requestId()).isNotEqualTo(ok.requestId());
    }

    @Test
    void chatSamplingParametersOnABaseModel() {
        ChatCompletionCreateParams.Builder base = ChatCompletionCreateParams.builder().model("nano")
                .addUserMessage("Hi").temperature(0).maxCompletionTokens(8);
        ChatCompletion plain = client.chat().completions().create(base.logprobs(true).topLogprobs(2).build());
        ChatCompletionTokenLogprob first = plain.choices().get(0).logprobs().content().get(0);
        assertThat(first.bytes()).hasSize(1);
        int token = first.bytes().get(0);

        // banning the first token, and the end of the message, makes the answer start otherwise
        ChatCompletion banned = client.chat().completions().create(base.logitBias(Map.of(token, -100, 257, -100)).build());
        ChatCompletionTokenLogprob other = banned.choices().get(0).logprobs().content().get(0);
        assertThat(other.bytes().get(0)).isNotEqualTo(token);
        assertThat(other.topLogprobs().get(0).bytes()).as("log-probabilities stay the model's own").containsExactly(token);
        ChatCompletion penalized = client.chat().completions().create(base.logitBias(Map.of())
                .presencePenalty(2).frequencyPenalty(2).logprobs(false).put("top_logprobs", null).build());
        assertThat(penalized.choices().get(0).logprobs()).isNull();

        ChatCompletionCreateParams.Builder ok = ChatCompletionCreateParams.builder().model("nano").addUserMessage("Hi");
        BadRequestException noLogprobs = refused(ok.topLogprobs(2).build());
        assertThat(noLogprobs.param()).isEqualTo("top_logprobs");
        assertThat(noLogprobs.errorMessage()).contains("'logprobs'");
        assertThat(refused(ok.logprobs(true).topLogprobs(21).build()).param()).isEqualTo("top_logprobs");
        BadRequestException notAnId = refused(ok.topLogprobs(1).logitBias(Map.of("x", 1)).build());
        assertThat(notAnId.param()).isEqualTo("logit_bias");
        assertThat(notAnId.errorMessage()).contains("non-negative integers");
        BadRequestException outside = refused(ok.logitBias(Map.of(300, 1)).build());
        assertThat(outside.param()).isEqualTo("logit_bias");
        assertThat(outside.errorMessage()).contains("run from 0 to 258");
        assertThat(refused(ok.logitBias(Map.of("99999999999", 1)).build()).errorMessage()).contains("run from 0 to 258");
        assertThat(refused(ok.logitBias(Map.of(65, 101)).build()).param()).isEqualTo("logit_bias.65");
        assertThat(refused(ok.logitBias(Map.of()).presencePenalty(3).build()).param()).isEqualTo("presence_penalty");
    }

    private BadRequestException refused(ChatCompletionCreateParams params) {
        try {
            client.chat().completions().create(params);
        } catch (BadRequestException e) {
            return e;
        }
        throw new AssertionError("accepted: " + params);
    }

    private static byte[] bytesOf(List<ChatCompletionTokenLogprob> tokens) {
        byte[] out = new byte[tokens.stream().mapToInt(t -> t.bytes().size()).sum()];
        int i = 0;
        for (ChatCompletionTokenLogprob t : tokens) for (int b : t.bytes()) out[i++] = (byte) b;
        return out;
    }

    /** Preference pairs: capitals answered right, or evaded. */
    static Path preferenceData(Path dir) throws IOException {
        String[][] capitals = {{"France", "Paris"}, {"Japan", "Tokyo"}, {"Canada", "Ottawa"}, {"Italy", "Rome"},
                {"Spain", "Madrid"}, {"Egypt", "Cairo"}, {"Peru", "Lima"}, {"Kenya", "Nairobi"}, {"Chile", "Santiago"},
                {"Norway", "Oslo"}, {"Greece", "Athens"}, {"Cuba", "Havana"}};
        StringBuilder sb = new StringBuilder();
        for (String[] c : capitals) {
            sb.append("{\"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"Capital of ").append(c[0])
                    .append("?\"}]}, \"preferred_output\": [{\"role\": \"assistant\", \"content\": \"").append(c[1])
                    .append(".\"}], \"non_preferred_output\": [{\"role\": \"assistant\", \"content\": \"No idea.\"}]}\n");
        }
        Path file = dir.resolve("preferences.jsonl");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void dpoJobsTrainOnPreferencePairs() throws Exception {
        FileObject file = client.files().create(preferenceData(dir), "fine-tune");
        // the seed's example, method={"type": "dpo"}: every hyperparameter auto
        FineTuningJob auto = await(client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-3.5-turbo")
                .trainingFile(file.id()).method(Map.of("type", "dpo")).build()).id());
        assertThat(auto.status()).as(String.valueOf(auto.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(auto.method().hyperparameters().beta()).isEqualTo(0.1);
        assertThat(auto.method().hyperparameters().nEpochs()).isEqualTo(8); // 12 pairs: min(25, 100 / 12)

        FineTuningJob job = await(client.fineTuning().jobs().create(JobCreateParams.builder().model("nano")
                .trainingFile(file.id()).seed(3).method(Map.of("type", "dpo", "dpo", Map.of("hyperparameters",
                        Map.of("beta", 0.5, "n_epochs", 6, "batch_size", 4)))).build()).id());
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.method().hyperparameters().beta()).isEqualTo(0.5);
        List<Map<String, Object>> steps = stepMetrics(job.id());
        assertThat(steps).hasSize(18);
        // before the first update the model is its own reference, so DPO's loss is -log sigmoid(0)
        assertThat(((Number) steps.get(0).get("train_loss")).doubleValue())
                .isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-6));
        double lastEpoch = steps.subList(15, 18).stream().mapToDouble(m -> ((Number) m.get("train_loss")).doubleValue())
                .average().orElseThrow();
        assertThat(lastEpoch).as("DPO loss in the last epoch").isLessThan(0.5);
        assertThat(client.fineTuning().jobs().checkpoints().list(job.id()).data()).hasSize(3);

        ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(job.fineTunedModel()).addUserMessage("Capital of Peru?").temperature(0)
                .maxCompletionTokens(10).build());
        assertThat(answer.usage().completionTokens()).isBetween(1L, 10L);

        // a supervised file is not preference data: the job fails validation with the validator's message
        FileObject chat = client.files().create(sampleData(dir), "fine-tune");
        FineTuningJob wrong = await(client.fineTuning().jobs().create(JobCreateParams.builder().model("nano")
                .trainingFile(chat.id()).method(Map.of("type", "dpo")).build()).id());
        assertThat(wrong.status()).isEqualTo(JobStatus.FAILED);
        assertThat(wrong.error().param()).isEqualTo("training_file");

    }

    @Test
    void reinforcementJobsLearnFromTheirGrader() throws Exception {
        // a model that answers first: the sample questions, learnt by heart (without their system message, which
        // reinforcement files may not hold)
        List<String> lines = Files.readAllLines(sampleData(dir));
        StringBuilder chats = new StringBuilder();
        StringBuilder prompts = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            var messages = dev.finetune4j.api.Json.tree(lines.get(i)).get("messages");
            var chat = dev.finetune4j.api.Json.MAPPER.createObjectNode();
            chat.putArray("messages").add(messages.get(1)).add(messages.get(2));
            chats.append(dev.finetune4j.api.Json.write(chat)).append('\n');
            if (i < 12) {
                // a prompt, with the answer the grader expects as an extra field: item.reference_answer
                var example = dev.finetune4j.api.Json.MAPPER.createObjectNode();
                example.putArray("messages").add(messages.get(1));
                example.put("reference_answer", messages.get(2).get("content").asText());
                prompts.append(dev.finetune4j.api.Json.write(example)).append('\n');
            }
        }
        Files.writeString(dir.resolve("chats.jsonl"), chats.toString(), StandardCharsets.UTF_8);
        FileObject sft = client.files().create(dir.resolve("chats.jsonl"), "fine-tune");
        FineTuningJob base = await(client.fineTuning().jobs().create(JobCreateParams.builder().model("nano")
                .trainingFile(sft.id()).seed(1).hyperparameters(Map.of("n_epochs", 30, "batch_size", 4,
                        "learning_rate_multiplier", 6)).build()).id());
        assertThat(base.status()).as(String.valueOf(base.error())).isEqualTo(JobStatus.SUCCEEDED);

        Path file = dir.resolve("prompts.jsonl");
        Files.writeString(file, prompts.toString(), StandardCharsets.UTF_8);
        FileObject train = client.files().create(file, "fine-tune");
        Map<String, Object> grader = Map.of("type", "string_check", "name", "exact", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "{{item.reference_answer}}");
        JobCreateParams params = JobCreateParams.builder().model(base.fineTunedModel())
                .trainingFile(train.id()).validationFile(train.id()).seed(2).method(Map.of("type", "reinforcement",
                        "reinforcement", Map.of("grader", grader, "hyperparameters",
                                Map.of("n_epochs", 4, "batch_size", 4, "learning_rate_multiplier", 0.5,
                                        "compute_multiplier", 1)))).build();
        FineTuningJob job = await(client.fineTuning().jobs().create(params).id());
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.SUCCEEDED);
        List<Map<String, Object>> steps = stepMetrics(job.id());

        // paused after its first step and resumed (from the saved state, with the grader given again), the same job
        // samples, grades and learns exactly as the uninterrupted one
        String paused = client.fineTuning().jobs().create(params).id();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (stepMetrics(paused).isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(client.fineTuning().jobs().pause(paused).status()).isEqualTo(JobStatus.PAUSED);
        client.fineTuning().jobs().resume(paused);
        assertThat(await(paused).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(events(paused).stream().map(FineTuningJobEvent::message))
                .anyMatch(m -> m.startsWith("Fine-tuning job resumed from step"));
        assertThat(stepMetrics(paused)).isEqualTo(steps);
        assertThat(steps).hasSize(12);
        assertThat(steps.get(0)).containsKeys("train_reward_mean", "valid_reward_mean").doesNotContainKey("train_loss");
        double firstReward = ((Number) steps.get(0).get("train_reward_mean")).doubleValue();
        assertThat(firstReward).as("the answers the grader matched with item.reference_answer").isGreaterThan(0.2);
        // the last step's validation reward is the grader's verdict on the fine-tuned model's greedy answers
        int right = rightAnswers(job.fineTunedModel(), prompts.toString());
        assertThat(((Number) steps.get(11).get("full_valid_reward_mean")).doubleValue()).isEqualTo(right / 12.0);
        assertThat(events(job.id()).stream().map(FineTuningJobEvent::message)).anyMatch(m -> m.contains("training reward="));
        List<FineTuningJobCheckpoint> checkpoints = client.fineTuning().jobs().checkpoints().list(job.id()).data();
        assertThat(checkpoints).hasSize(3); // epochs 2 to 4
        assertThat(checkpoints.get(0).metrics().extra()).containsKey("full_valid_reward_mean");
        String csv = client.files().contentAsString(job.resultFiles().get(0));
        assertThat(csv.lines().findFirst().orElseThrow())
                .isEqualTo("step,train_reward_mean,valid_reward_mean,full_valid_reward_mean,train_kl");
        // the divergence from the starting model: none before the first update, some after
        assertThat(((Number) steps.get(0).get("train_kl")).doubleValue()).isZero();
        assertThat(((Number) steps.get(11).get("train_kl")).doubleValue()).isPositive();
        assertThat(events(job.id()).stream().map(FineTuningJobEvent::message)).anyMatch(m -> m.contains(", KL="));
        assertThat(csv.lines().count()).isEqualTo(13L);

        // the same prompts graded against an answer no sample gives: no reward, no learning signal
        Map<String, Object> never = Map.of("type", "string_check", "name", "never", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "{{item.reference_answer}} and more");
        FineTuningJob none = await(client.fineTuning().jobs().create(JobCreateParams.builder().model(base.fineTunedModel())
                .trainingFile(train.id()).seed(2).method(Map.of("type", "reinforcement", "reinforcement",
                        Map.of("grader", never, "hyperparameters", Map.of("n_epochs", 1, "batch_size", 4,
                                "compute_multiplier", 0.5, "eval_interval", 2)))).build()).id());
        assertThat(none.status()).as(String.valueOf(none.error())).isEqualTo(JobStatus.SUCCEEDED);
        // half the answers per prompt (2), and the values the run used
        Hyperparameters used = none.method().hyperparameters();
        assertThat(List.of(used.computeMultiplier(), used.evalInterval(), used.evalSamples())).containsExactly(0.5, 2, 4);
        assertThat(stepMetrics(none.id())).allSatisfy(m -> assertThat(((Number) m.get("train_reward_mean")).doubleValue()).isZero());

        // every hyperparameter auto, as OpenAI's guide creates jobs: the local server resolves values that let its small
        // models learn (OpenAI's 3 epochs of 4 answers per prompt change next to nothing), reports them, and learns
        long started = System.nanoTime();
        FineTuningJob auto = await(client.fineTuning().jobs().create(JobCreateParams.builder()
                .model(base.fineTunedModel()).trainingFile(train.id()).validationFile(train.id()).seed(2)
                .method(Map.of("type", "reinforcement", "reinforcement", Map.of("grader", grader))).build()).id());
        System.out.printf("reinforcement with auto hyperparameters: %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertThat(auto.status()).as(String.valueOf(auto.error())).isEqualTo(JobStatus.SUCCEEDED);
        // 40 epochs for 12 prompts, in batches of 1 at multiplier 0.5 as supervised jobs resolve them, 16 answers
        Hyperparameters resolved = auto.method().hyperparameters();
        assertThat(List.of(resolved.nEpochs(), resolved.batchSize(), resolved.learningRateMultiplier(),
                resolved.computeMultiplier())).containsExactly(40, 1, 0.5, 4.0);
        assertThat(List.of(auto.hyperparameters().nEpochs(), auto.hyperparameters().batchSize()))
                .containsExactly(40, 1);
        int before = rightAnswers(base.fineTunedModel(), prompts.toString());
        int after = rightAnswers(auto.fineTunedModel(), prompts.toString());
        System.out.printf("right answers to the 12 prompts: %d before, %d after%n", before, after);
        assertThat(after).as("right answers, from %d", before).isGreaterThanOrEqualTo(before + 4);
    }

    /** How many of the prompts (lines with {@code reference_answer}) the model answers exactly, greedily. */
    private int rightAnswers(String model, String prompts) {
        int right = 0;
        for (String line : prompts.split("\n")) {
            var example = dev.finetune4j.api.Json.tree(line);
            ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(model).addUserMessage(example.at("/messages/0/content").asText())
                    .temperature(0).maxCompletionTokens(64).build());
            if (answer.text().equals(example.get("reference_answer").asText())) right++;
        }
        return right;
    }
}
