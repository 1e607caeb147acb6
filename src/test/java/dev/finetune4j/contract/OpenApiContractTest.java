package dev.finetune4j.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract helper itself: it loads, catches real violations, and each known-defect rule is needed and narrow. */
class OpenApiContractTest {
    private static final String JOB = """
            {"object":"fine_tuning.job","id":"ftjob-abc123","model":"gpt-4o-mini-2024-07-18","created_at":1721764800,
             "finished_at":null,"fine_tuned_model":null,"organization_id":"org-123","result_files":[],
             "status":"%s","validation_file":null,"training_file":"file-abc123",
             "hyperparameters":{"batch_size":"auto","learning_rate_multiplier":%s,"n_epochs":"auto"},
             "trained_tokens":null,"error":null,"seed":42}""";
    private static final Map<String, List<String>> HEADERS = Map.of("Authorization", List.of("Bearer sk-test"),
            "Content-Type", List.of("application/json"));

    private static String job(String status, String lrm) {
        return JOB.formatted(status, lrm);
    }

    @Test
    void acceptsAValidJobAndCatchesTypeAndEnumErrors() {
        OpenApiContract spec = OpenApiContract.get();
        String path = "/v1/fine_tuning/jobs/ftjob-abc123";
        assertThat(spec.violationsForResponse("GET", path, 200, "application/json", job("running", "\"auto\"")))
                .isEmpty();
        assertThat(spec.violationsForResponse("GET", path, 200, "application/json", job("running", "0.1"))).isEmpty();
        assertThat(spec.violationsForResponse("GET", path, 200, "application/json", job("sleeping", "\"auto\"")))
                .anySatisfy(v -> assertThat(v).contains("sleeping"));
        // "auto" is the only string allowed: a 3.1 reading of the spec would let any string through as a number
        assertThat(spec.violationsForResponse("GET", path, 200, "application/json", job("running", "\"fast\"")))
                .isNotEmpty();
        assertThat(spec.violationsForResponse("GET", path, 200, "application/json", job("running", "-1")))
                .isNotEmpty();
    }

    @Test
    void pausedStatusIsToleratedByItsNamedRuleOnlyOnJobOperations() {
        OpenApiContract spec = OpenApiContract.get();
        OpenApiContract.Findings pause = spec.checkResponse("POST", "/v1/fine_tuning/jobs/ftjob-abc123/pause", 200,
                "application/json", job("paused", "\"auto\""));
        assertThat(pause.violations()).isEmpty();
        assertThat(pause.tolerated()).singleElement().asString().startsWith("job-status-paused:");
        String list = "{\"object\":\"list\",\"data\":[" + job("paused", "\"auto\"") + "],\"has_more\":false}";
        assertThat(spec.checkResponse("GET", "/v1/fine_tuning/jobs", 200, "application/json", list).tolerated())
                .singleElement().asString().startsWith("job-status-paused:");
        // the same value elsewhere is still a violation
        String upload = """
                {"id":"upload_1","object":"upload","bytes":1,"created_at":1,"filename":"a","purpose":"fine-tune",
                 "status":"paused","expires_at":2}""";
        assertThat(spec.violationsForResponse("POST", "/v1/uploads", 200, "application/json", upload)).isNotEmpty();
    }

    @Test
    void eventDataNullIsToleratedOnlyThere() {
        OpenApiContract spec = OpenApiContract.get();
        String events = """
                {"object":"list","has_more":false,"data":[{"object":"fine_tuning.job.event","id":"ftevent-1",
                 "created_at":1,"level":"info","message":"hi","data":null}]}""";
        OpenApiContract.Findings f = spec.checkResponse("GET", "/v1/fine_tuning/jobs/ftjob-1/events", 200,
                "application/json", events);
        assertThat(f.violations()).isEmpty();
        assertThat(f.tolerated()).singleElement().asString().startsWith("event-data-null:");
        assertThat(spec.violationsForResponse("GET", "/v1/fine_tuning/jobs/ftjob-1/events", 200, "application/json",
                events.replace("\"data\":null", "\"data\":7"))).isNotEmpty();
    }

    @Test
    void fileContentAsBytesIsToleratedByItsNamedRule() {
        OpenApiContract spec = OpenApiContract.get();
        OpenApiContract.Findings f = spec.checkResponse("GET", "/v1/files/file-1/content", 200,
                "application/octet-stream", "step,train_loss\n1,0.5\n");
        assertThat(f.violations()).isEmpty();
        assertThat(f.tolerated()).singleElement().asString().startsWith("file-content-is-bytes:")
                .contains("contentType.notAllowed");
        OpenApiContract.Findings accept = spec.checkRequest("GET", "/v1/files/file-1/content", null,
                Map.of("Authorization", List.of("Bearer sk"), "Accept", List.of("application/binary")), null);
        assertThat(accept.violations()).isEmpty();
        assertThat(accept.tolerated()).singleElement().asString().contains("accept.notAllowed");
        // the same content type on another operation is still a violation
        assertThat(spec.violationsForResponse("GET", "/v1/files/file-1", 200, "application/octet-stream", "x"))
                .isNotEmpty();
    }

    @Test
    void reportsMissingRequiredFieldsAndExplicitlyForbiddenExtras() {
        OpenApiContract spec = OpenApiContract.get();
        assertThat(spec.violationsForRequest("POST", "/v1/fine_tuning/jobs", null, HEADERS,
                "{\"model\":\"gpt-4o-mini\",\"training_file\":\"file-1\"}")).isEmpty();
        assertThat(spec.violationsForRequest("POST", "/v1/fine_tuning/jobs", null, HEADERS,
                "{\"model\":\"gpt-4o-mini\"}")).anySatisfy(v -> assertThat(v).contains("training_file"));
        // CreateUploadRequest says additionalProperties: false
        assertThat(spec.violationsForRequest("POST", "/v1/uploads", null, HEADERS, """
                {"filename":"a.jsonl","purpose":"fine-tune","bytes":1,"mime_type":"text/jsonl","colour":"red"}"""))
                .anySatisfy(v -> assertThat(v).contains("colour"));
        // the discriminated message union validates once mappings are added
        assertThat(spec.violationsForRequest("POST", "/v1/chat/completions", null, HEADERS, """
                {"model":"m","messages":[{"role":"user","content":"hi"}]}""")).isEmpty();
        assertThat(spec.violationsForRequest("POST", "/v1/chat/completions", null, HEADERS, """
                {"model":"m","messages":[{"role":"tool","content":"hi"}]}""")).isNotEmpty();
    }

    @Test
    void nullableDatesAndStringsValidateBothWays() {
        OpenApiContract spec = OpenApiContract.get();
        String model = "{\"id\":\"m\",\"object\":\"model\",\"created\":1,\"owned_by\":\"o\",\"shutdown_date\":%s}";
        assertThat(spec.violationsForResponse("GET", "/v1/models/m", 200, "application/json",
                model.formatted("\"2026-10-23\""))).isEmpty();
        assertThat(spec.violationsForResponse("GET", "/v1/models/m", 200, "application/json",
                model.formatted("null"))).isEmpty();
        assertThat(spec.violationsForResponse("GET", "/v1/models/m", 200, "application/json",
                model.formatted("17"))).isNotEmpty();
    }

    @Test
    void nullableReferencesAcceptNullAndStillCheckTheObject() {
        OpenApiContract spec = OpenApiContract.get();
        String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":%s}";
        assertThat(spec.violationsForSchema("CreateChatCompletionStreamResponse", chunk.formatted("null"))).isEmpty();
        assertThat(spec.violationsForSchema("CreateChatCompletionStreamResponse",
                chunk.formatted("{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}"))).isEmpty();
        assertThat(spec.violationsForSchema("CreateChatCompletionStreamResponse",
                chunk.formatted("{\"prompt_tokens\":1}"))).isNotEmpty();
        String upload = """
                {"id":"upload_1","object":"upload","bytes":1,"created_at":1,"filename":"a","purpose":"fine-tune",
                 "status":"pending","expires_at":2,"file":%s}""";
        assertThat(spec.violationsForSchema("Upload", upload.formatted("null"))).isEmpty();
        assertThat(spec.violationsForSchema("Upload", upload.formatted("{\"id\":\"file-1\"}"))).isNotEmpty();
    }

    @Test
    void readsTheExamplesOfAnOperation() {
        OpenApiContract spec = OpenApiContract.get();
        assertThat(spec.exampleResponses("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/pause"))
                .singleElement().asString().contains("\"paused\"");
    }
}
