package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.finetune4j.api.ChatCompletionChunk;
import dev.finetune4j.api.Json;
import dev.finetune4j.contract.OpenApiContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The spec's own example responses ({@code x-oaiMeta}), read from the spec at test time, served by MockWebServer
 * and parsed by the client. Examples are not normative and several break the spec's schemas (missing required
 * fields, extra fields, trailing commas); the client must read them all the same. Their schema findings are
 * printed, not asserted: they are facts about the spec, listed in the client documentation.
 */
class SpecExamplesTest {
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .build();
    private static final String CKPT = "ft:gpt-4o-mini-2024-07-18:org:weather:B7R9VjQd";
    private static final Map<String, Object> GRADER = Map.of("type", "string_check", "name", "g", "input", "a",
            "reference", "b", "operation", "eq");

    record Operation(String method, String template, String path, Function<OpenAI, Object> call) {}

    private static List<Operation> operations() {
        return List.of(
                new Operation("POST", "/files", "/v1/files",
                        c -> c.files().create(FileCreateParams.builder().file("a.jsonl", new byte[] {'{', '}'})
                                .purpose("fine-tune").build())),
                new Operation("GET", "/files", "/v1/files", c -> c.files().list()),
                new Operation("GET", "/files/{file_id}", "/v1/files/file-abc123", c -> c.files().retrieve("file-abc123")),
                new Operation("DELETE", "/files/{file_id}", "/v1/files/file-abc123", c -> c.files().delete("file-abc123")),
                new Operation("POST", "/uploads", "/v1/uploads",
                        c -> c.uploads().create(UploadCreateParams.builder().filename("a").purpose("fine-tune").bytes(1)
                                .mimeType("text/jsonl").build())),
                new Operation("POST", "/uploads/{upload_id}/parts", "/v1/uploads/upload_abc123/parts",
                        c -> c.uploads().addPart("upload_abc123", new byte[] {1})),
                new Operation("POST", "/uploads/{upload_id}/complete", "/v1/uploads/upload_abc123/complete",
                        c -> c.uploads().complete("upload_abc123", List.of("part_1"))),
                new Operation("POST", "/uploads/{upload_id}/cancel", "/v1/uploads/upload_abc123/cancel",
                        c -> c.uploads().cancel("upload_abc123")),
                new Operation("POST", "/fine_tuning/jobs", "/v1/fine_tuning/jobs",
                        c -> c.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-4o-mini")
                                .trainingFile("file-abc123").build())),
                new Operation("GET", "/fine_tuning/jobs", "/v1/fine_tuning/jobs", c -> c.fineTuning().jobs().list()),
                new Operation("GET", "/fine_tuning/jobs/{fine_tuning_job_id}", "/v1/fine_tuning/jobs/ftjob-abc123",
                        c -> c.fineTuning().jobs().retrieve("ftjob-abc123")),
                new Operation("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/cancel",
                        "/v1/fine_tuning/jobs/ftjob-abc123/cancel", c -> c.fineTuning().jobs().cancel("ftjob-abc123")),
                new Operation("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/pause",
                        "/v1/fine_tuning/jobs/ftjob-abc123/pause", c -> c.fineTuning().jobs().pause("ftjob-abc123")),
                new Operation("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/resume",
                        "/v1/fine_tuning/jobs/ftjob-abc123/resume", c -> c.fineTuning().jobs().resume("ftjob-abc123")),
                new Operation("GET", "/fine_tuning/jobs/{fine_tuning_job_id}/events",
                        "/v1/fine_tuning/jobs/ftjob-abc123/events", c -> c.fineTuning().jobs().listEvents("ftjob-abc123")),
                new Operation("GET", "/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints",
                        "/v1/fine_tuning/jobs/ftjob-abc123/checkpoints",
                        c -> c.fineTuning().jobs().checkpoints().list("ftjob-abc123")),
                new Operation("POST", "/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions",
                        "/v1/fine_tuning/checkpoints/" + CKPT + "/permissions",
                        c -> c.fineTuning().checkpoints().permissions().create(CKPT, List.of("proj_1"))),
                new Operation("GET", "/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions",
                        "/v1/fine_tuning/checkpoints/" + CKPT + "/permissions",
                        c -> c.fineTuning().checkpoints().permissions().retrieve(CKPT)),
                new Operation("DELETE",
                        "/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions/{permission_id}",
                        "/v1/fine_tuning/checkpoints/" + CKPT + "/permissions/cp_1",
                        c -> c.fineTuning().checkpoints().permissions().delete(CKPT, "cp_1")),
                new Operation("POST", "/fine_tuning/alpha/graders/run", "/v1/fine_tuning/alpha/graders/run",
                        c -> c.fineTuning().alpha().graders().run(GRADER, "x", Map.of())),
                new Operation("POST", "/fine_tuning/alpha/graders/validate", "/v1/fine_tuning/alpha/graders/validate",
                        c -> c.fineTuning().alpha().graders().validate(GRADER)),
                new Operation("GET", "/models", "/v1/models", c -> c.models().list()),
                new Operation("GET", "/models/{model}", "/v1/models/gpt-4o-mini", c -> c.models().retrieve("gpt-4o-mini")),
                new Operation("DELETE", "/models/{model}", "/v1/models/" + CKPT, c -> c.models().delete(CKPT)),
                new Operation("POST", "/chat/completions", "/v1/chat/completions",
                        c -> c.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                                .addUserMessage("hi").build())));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleResponseParses() {
        OpenApiContract spec = OpenApiContract.get();
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation op : operations()) {
            List<String> examples = spec.exampleResponses(op.method(), op.template());
            for (int i = 0; i < examples.size(); i++) {
                String example = examples.get(i);
                int n = i;
                tests.add(DynamicTest.dynamicTest(op.method() + " " + op.template() + " #" + n,
                        () -> parse(spec, op, example, n)));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(operations().size());
        return tests.stream();
    }

    private void parse(OpenApiContract spec, Operation op, String example, int n) throws Exception {
        String trimmed = example.trim();
        Assumptions.assumeFalse(trimmed.contains("...") || trimmed.contains("…"),
                "the spec's example elides content with '...', so it is not JSON");
        if (op.template().equals("/chat/completions") && !trimmed.startsWith("{") || isChunkStream(trimmed)) {
            parseChunks(trimmed);
            return;
        }
        // one example writes Python literals (None) where JSON has null
        JsonNode tree = LENIENT.readTree(trimmed.replaceAll(":\\s*None\\b", ": null")
                .replaceAll(":\\s*True\\b", ": true").replaceAll(":\\s*False\\b", ": false"));
        String strict = Json.MAPPER.writeValueAsString(tree);
        try (MockApi api = new MockApi(b -> b.maxRetries(0))) {
            api.json(strict);
            Object parsed = op.call().apply(api.client);
            assertThat(parsed).isNotNull();
            JsonNode back = Json.MAPPER.valueToTree(parsed instanceof CursorPage<?> page ? page.envelope() : parsed);
            if (tree.has("id")) assertThat(back.get("id")).isEqualTo(tree.get("id"));
            if (tree.has("data") && tree.get("data").isArray()) {
                assertThat(back.get("data")).hasSize(tree.get("data").size());
            }
        }
        List<String> violations = spec.violationsForResponse(op.method(), op.path(), 200, "application/json", strict);
        if (!violations.isEmpty()) {
            System.out.println("spec example " + op.method() + " " + op.template() + " #" + n + " breaks the schema: "
                    + violations);
        }
    }

    private static boolean isChunkStream(String example) {
        return example.contains("\"chat.completion.chunk\"");
    }

    /** Streaming examples list chunk objects one after another; each must read as a chunk. */
    private static void parseChunks(String example) throws Exception {
        var parser = LENIENT.createParser(example);
        int count = 0;
        JsonNode node;
        while ((node = readNext(parser)) != null) {
            ChatCompletionChunk chunk = Json.MAPPER.treeToValue(node, ChatCompletionChunk.class);
            assertThat(chunk.object()).isEqualTo(ChatCompletionChunk.OBJECT);
            count++;
        }
        assertThat(count).isPositive();
    }

    private static JsonNode readNext(com.fasterxml.jackson.core.JsonParser parser) throws Exception {
        while (true) {
            com.fasterxml.jackson.core.JsonToken t = parser.nextToken();
            if (t == null) return null;
            if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) return LENIENT.readTree(parser);
        }
    }
}
