package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.Json;
import dev.finetune4j.contract.OpenApiContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run and validate answers of the graders, and the request bodies the parser accepts, against the spec. */
class GraderContractTest {
    private static final String RUN = "/v1/fine_tuning/alpha/graders/run";
    private static final String VALIDATE = "/v1/fine_tuning/alpha/graders/validate";
    private static final JsonNode ITEM = Json.tree("{\"label\": \"Paris\"}");
    private static final String SCORE_MODEL = """
            {"type": "score_model", "name": "judge", "model": "gpt-4o-mini",
             "input": [{"role": "user", "content": "Is {{sample.output_text}} the capital of France?"}],
             "range": [0, 1], "sampling_params": {"temperature": 0, "seed": 1}}""";
    private static final String MULTI = """
            {"type": "multi", "name": "combo", "calculate_output": "0.5 * exact + 0.5 * judge", "graders": {
              "exact": {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}",
                        "reference": "{{item.label}}", "operation": "eq"},
              "judge": %s}}""".formatted(SCORE_MODEL);

    private static void assertValidRunResponse(GraderRunResponse response) {
        assertThat(OpenApiContract.get().violationsForResponse("POST", RUN, 200, "application/json",
                Json.write(response))).isEmpty();
    }

    @Test
    void runAnswersMatchTheRunGraderResponseSchema() {
        GraderRunner runner = new GraderRunner(r -> ModelSampler.Completion.of("{\"result\": 1, \"steps\": []}",
                "gpt-4o-mini-2024-07-18", 50, 10));
        assertValidRunResponse(runner.run(Graders.parse(Json.tree(SCORE_MODEL)), "Paris", ITEM));
        assertValidRunResponse(runner.run(Graders.parse(Json.tree(MULTI)), "Paris", ITEM));
        GraderRunResponse failed = new GraderRunner().run(Graders.parse(Json.tree(MULTI)), "Paris", ITEM);
        assertThat(failed.metadata().errors().modelGraderServerError()).isTrue();
        assertValidRunResponse(failed);

        // the check is live: the example's object-valued token_usage is what the schema refuses
        ObjectNode asInExample = (ObjectNode)
                Json.tree(Json.write(failed));
        ((ObjectNode) asInExample.get("metadata")).putObject("token_usage")
                .put("total_tokens", 60);
        assertThat(OpenApiContract.get().violationsForResponse("POST", RUN, 200, "application/json",
                asInExample.toString())).isNotEmpty();
    }

    @Test
    void acceptedRequestsAndTheValidateAnswerMatchTheSpec() {
        OpenApiContract spec = OpenApiContract.get();
        // the canonical (map) form of multi.graders is not the spec's single-grader form, so only plain graders here
        for (String grader : new String[] {SCORE_MODEL, Json.write(Graders.toJson(Graders.parse(Json.tree(SCORE_MODEL))))}) {
            String body = "{\"grader\": " + grader + ", \"model_sample\": \"Paris\", \"item\": {\"label\": \"Paris\"}}";
            assertThat(spec.violationsForRequest("POST", RUN, null, Map.of("Content-Type",
                    List.of("application/json")), body)).isEmpty();
            String answer = Json.write(Graders.validate(Json.tree(grader)));
            assertThat(spec.violationsForResponse("POST", VALIDATE, 200, "application/json", answer)).isEmpty();
        }
    }
}
