package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.contract.OpenApiContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every response fixture of the client tests satisfies the spec for the operation it answers. */
class FixturesContractTest {
    private static final String CKPT = "/v1/fine_tuning/checkpoints/ft:gpt-4o-mini:org::x/permissions";
    /** Fixture file to the request it answers. */
    private static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("file.json", "POST /v1/files"),
            Map.entry("file_list_page1.json", "GET /v1/files"),
            Map.entry("file_list_page2.json", "GET /v1/files"),
            Map.entry("file_deleted.json", "DELETE /v1/files/file-abc123"),
            Map.entry("upload.json", "POST /v1/uploads"),
            Map.entry("upload_part.json", "POST /v1/uploads/upload_abc123/parts"),
            Map.entry("upload_completed.json", "POST /v1/uploads/upload_abc123/complete"),
            Map.entry("upload_cancelled.json", "POST /v1/uploads/upload_abc123/cancel"),
            Map.entry("job.json", "POST /v1/fine_tuning/jobs"),
            Map.entry("job_succeeded.json", "GET /v1/fine_tuning/jobs/ftjob-abc123"),
            Map.entry("job_failed.json", "GET /v1/fine_tuning/jobs/ftjob-fail1"),
            Map.entry("job_paused.json", "POST /v1/fine_tuning/jobs/ftjob-abc123/pause"),
            Map.entry("job_events.json", "GET /v1/fine_tuning/jobs/ftjob-abc123/events"),
            Map.entry("job_checkpoints.json", "GET /v1/fine_tuning/jobs/ftjob-abc123/checkpoints"),
            Map.entry("permissions.json", "POST " + CKPT),
            Map.entry("permission_deleted.json", "DELETE " + CKPT + "/cp_zedmMW7kG8ObS0FzNdp7ZdYA"),
            Map.entry("grader_run.json", "POST /v1/fine_tuning/alpha/graders/run"),
            Map.entry("grader_validate.json", "POST /v1/fine_tuning/alpha/graders/validate"),
            Map.entry("model.json", "GET /v1/models/ft:gpt-4o-mini:org::x"),
            Map.entry("model_list.json", "GET /v1/models"),
            Map.entry("model_deleted.json", "DELETE /v1/models/ft:gpt-4o-mini:org::x"),
            Map.entry("chat_completion.json", "POST /v1/chat/completions"),
            Map.entry("chat_completion_logprobs.json", "POST /v1/chat/completions"));

    @Test
    void everyJsonFixtureIsValidForItsOperation() throws IOException {
        OpenApiContract spec = OpenApiContract.get();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/client"))) {
            TreeSet<String> json = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(ANSWERS.keySet()).as("every fixture is mapped to its operation").containsExactlyInAnyOrderElementsOf(json);
        }
        ANSWERS.forEach((fixture, request) -> {
            String[] parts = request.split(" ", 2);
            assertThat(spec.violationsForResponse(parts[0], parts[1], 200, "application/json", Fixtures.read(fixture)))
                    .as(fixture).isEmpty();
        });
    }

    @Test
    void everyStreamedChunkIsValid() {
        OpenApiContract spec = OpenApiContract.get();
        long chunks = Fixtures.read("chat_stream.txt").lines().filter(l -> l.startsWith("data: {"))
                .peek(l -> assertThat(spec.violationsForSchema("CreateChatCompletionStreamResponse",
                        l.substring("data: ".length()))).as(l).isEmpty())
                .count();
        assertThat(chunks).isEqualTo(5);
        // a chunk that breaks the schema is caught: this check is not vacuous
        assertThat(spec.violationsForSchema("CreateChatCompletionStreamResponse",
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0}]}"))
                .isNotEmpty();
        // error bodies, which the spec attaches to one operation only, check against ErrorResponse
        assertThat(spec.violationsForSchema("ErrorResponse",
                "{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")).isEmpty();
        assertThat(spec.violationsForSchema("ErrorResponse", "{\"error\":{\"message\":\"m\"}}")).isNotEmpty();
    }
}
