package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GraderRunnerTest {
    private static final JsonNode ITEM = Json.tree("{\"label\": \"Paris\", \"reference_answer\": \"fuzzy wuzzy was a bear\"}");

    /** A deterministic stand-in for a chat model: answers with a function of the request and records it. */
    private static final class FakeSampler implements ModelSampler {
        final List<Request> requests = new ArrayList<>();
        final Function<Request, Completion> answer;

        FakeSampler(Function<Request, Completion> answer) {
            this.answer = answer;
        }

        static FakeSampler saying(String text) {
            return new FakeSampler(r -> Completion.of(text, r.model() + "-2025-01-01", 100, 20));
        }

        @Override
        public Completion complete(Request request) {
            requests.add(request);
            return answer.apply(request);
        }
    }

    private static Grader grader(String json) {
        return Graders.parse(Json.tree(json));
    }

    private static String stringCheck(String op, String input, String reference) {
        return "{\"type\": \"string_check\", \"name\": \"sc\", \"input\": \"" + input + "\", \"reference\": \""
                + reference + "\", \"operation\": \"" + op + "\"}";
    }

    private static final String SCORE_MODEL = """
            {"type": "score_model", "name": "Example score model grader", "model": "gpt-5-mini",
             "input": [{"role": "user", "content": [{"type": "input_text",
               "text": "Reference answer: {{item.reference_answer}}\\n\\nModel answer: {{sample.output_text}}"}]}],
             "range": [0, 10], "sampling_params": {"temperature": 1, "top_p": 1, "seed": 42}}""";

    private static String labelMulti(String formula) {
        return """
                {"type": "multi", "name": "combo", "calculate_output": "%s", "graders": {
                  "sentiment": {"type": "label_model", "name": "sentiment", "model": "gpt-4o-mini",
                    "input": [{"role": "user", "content": "Statement: {{sample.output_text}}"}],
                    "labels": ["positive", "neutral", "negative"], "passing_labels": ["positive"]},
                  "exact": {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}",
                    "reference": "{{item.label}}", "operation": "ilike"}}}""".formatted(formula);
    }

    @Test
    void stringCheckOperations() {
        GraderRunner runner = new GraderRunner();
        assertThat(runner.run(grader(stringCheck("eq", "{{sample.output_text}}", "{{item.label}}")), "Paris", ITEM).reward())
                .isEqualTo(1.0);
        assertThat(runner.run(grader(stringCheck("eq", "{{sample.output_text}}", "{{item.label}}")), "paris", ITEM).reward())
                .isEqualTo(0.0);
        assertThat(runner.run(grader(stringCheck("ne", "{{sample.output_text}}", "{{item.label}}")), "paris", ITEM).reward())
                .isEqualTo(1.0);
        assertThat(runner.run(grader(stringCheck("like", "{{sample.output_text}}", "{{item.label}}")),
                "It is Paris.", ITEM).reward()).isEqualTo(1.0);
        assertThat(runner.run(grader(stringCheck("like", "{{sample.output_text}}", "{{item.label}}")),
                "it is paris.", ITEM).reward()).isEqualTo(0.0);
        assertThat(runner.run(grader(stringCheck("ilike", "{{sample.output_text}}", "{{item.label}}")),
                "IT IS PARIS.", ITEM).reward()).isEqualTo(1.0);
    }

    @Test
    void responseHasTheWireShape() {
        GraderRunResponse r = new GraderRunner().run(grader(stringCheck("eq", "{{sample.output_text}}", "{{item.label}}")),
                "Paris", ITEM);
        JsonNode json = Json.tree(Json.write(r));
        assertThat(json.get("reward").doubleValue()).isEqualTo(1.0);
        assertThat(json.get("sub_rewards").isObject()).isTrue();
        assertThat(json.get("model_grader_token_usage_per_model").isObject()).isTrue();
        JsonNode metadata = json.get("metadata");
        assertThat(metadata.get("name").textValue()).isEqualTo("sc");
        assertThat(metadata.get("type").textValue()).isEqualTo("string_check");
        assertThat(metadata.get("execution_time").isNumber()).isTrue();
        assertThat(metadata.get("scores").isObject()).isTrue();
        assertThat(metadata.has("token_usage")).isTrue();
        assertThat(metadata.get("token_usage").isNull()).isTrue();
        assertThat(metadata.get("sampled_model_name").isNull()).isTrue();
        List<String> errorKeys = new ArrayList<>();
        metadata.get("errors").fieldNames().forEachRemaining(errorKeys::add);
        assertThat(errorKeys).containsExactlyInAnyOrder("formula_parse_error", "sample_parse_error",
                "truncated_observation_error", "unresponsive_reward_error", "invalid_variable_error", "other_error",
                "python_grader_server_error", "python_grader_server_error_type", "python_grader_runtime_error",
                "python_grader_runtime_error_details", "model_grader_server_error", "model_grader_refusal_error",
                "model_grader_parse_error", "model_grader_server_error_details");
        metadata.get("errors").fields().forEachRemaining(e -> assertThat(
                e.getValue().isNull() || e.getValue().isBoolean() && !e.getValue().booleanValue()).isTrue());
        // the wire record reads back
        assertThat(Json.read(Json.write(r), GraderRunResponse.class).reward()).isEqualTo(1.0);
    }

    @Test
    void missingVariablesAndUnparsableSamplesAreFlagged() {
        GraderRunner runner = new GraderRunner();
        GraderRunResponse missing = runner.run(grader(stringCheck("eq", "{{item.absent}}", "")), "x", ITEM);
        assertThat(missing.reward()).isEqualTo(0.0);
        assertThat(missing.metadata().errors().invalidVariableError()).isTrue();
        assertThat(missing.metadata().errors().sampleParseError()).isFalse();

        Grader json = grader(stringCheck("eq", "{{sample.output_json.city}}", "{{item.label}}"));
        assertThat(runner.run(json, "{\"city\": \"Paris\"}", ITEM).reward()).isEqualTo(1.0);
        GraderRunResponse notJson = runner.run(json, "Paris", ITEM);
        assertThat(notJson.reward()).isEqualTo(0.0);
        assertThat(notJson.metadata().errors().sampleParseError()).isTrue();
        assertThat(notJson.metadata().errors().invalidVariableError()).isFalse();
    }

    @Test
    void textSimilarityUsesTheMetric() {
        String json = """
                {"type": "text_similarity", "name": "ts", "input": "{{sample.output_text}}",
                 "reference": "{{item.reference_answer}}", "evaluation_metric": "%s"}""";
        GraderRunner runner = new GraderRunner();
        String sample = "wuzzy fuzzy was a bear";
        // rapidfuzz fuzz.ratio("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear") = 90.909...
        assertThat(runner.run(grader(json.formatted("fuzzy_match")), sample, ITEM).reward())
                .isCloseTo(0.9090909090909091, within(1e-12));
        // unigrams all match; bigrams: "was a" and "a bear" match, "wuzzy fuzzy" and "fuzzy was" do not -> F = 0.5
        assertThat(runner.run(grader(json.formatted("rouge_1")), sample, ITEM).reward()).isEqualTo(1.0);
        assertThat(runner.run(grader(json.formatted("rouge_2")), sample, ITEM).reward()).isCloseTo(0.5, within(1e-12));
        // LCS "wuzzy was a bear" or "fuzzy was a bear" = 4 of 5
        assertThat(runner.run(grader(json.formatted("rouge_l")), sample, ITEM).reward()).isCloseTo(0.8, within(1e-12));
        for (String metric : List.of("bleu", "gleu", "meteor", "rouge_3", "rouge_4", "rouge_5")) {
            double same = runner.run(grader(json.formatted(metric)), "fuzzy wuzzy was a bear", ITEM).reward();
            assertThat(same).as(metric).isGreaterThan(0.9).isLessThanOrEqualTo(1.0);
        }
    }

    @Test
    void scoreModelAsksForJsonParsesAndClamps() {
        FakeSampler sampler = FakeSampler.saying("{\"steps\": [{\"description\": \"compare\", \"conclusion\": \"same\"}],"
                + " \"result\": 7.5}");
        GraderRunResponse r = new GraderRunner(sampler).run(grader(SCORE_MODEL), "fuzzy wuzzy was a bear", ITEM);
        assertThat(r.reward()).isEqualTo(7.5);
        ModelSampler.Request request = sampler.requests.get(0);
        assertThat(request.model()).isEqualTo("gpt-5-mini");
        assertThat(request.samplingParams().seed()).isEqualTo(42L);
        assertThat(request.messages()).hasSize(2);
        assertThat(request.messages().get(0).role()).isEqualTo("system");
        assertThat(request.messages().get(0).text()).contains("from 0 to 10");
        assertThat(request.messages().get(1).role()).isEqualTo("user");
        assertThat(request.messages().get(1).text()).isEqualTo(
                "Reference answer: fuzzy wuzzy was a bear\n\nModel answer: fuzzy wuzzy was a bear");
        assertThat(Json.write(request.responseFormat())).contains("\"type\":\"json_schema\"").contains("\"result\"");

        assertThat(r.metadata().sampledModelName()).isEqualTo("gpt-5-mini-2025-01-01");
        assertThat(r.metadata().tokenUsage()).isEqualTo(120L);
        JsonNode usage = Json.tree(Json.write(r)).get("model_grader_token_usage_per_model").get("gpt-5-mini-2025-01-01");
        assertThat(usage.toString()).isEqualTo(
                "{\"prompt_tokens\":100,\"total_tokens\":120,\"completion_tokens\":20,\"cached_tokens\":0}");

        assertThat(new GraderRunner(FakeSampler.saying("{\"result\": 42}")).run(grader(SCORE_MODEL), "x", ITEM)
                .reward()).isEqualTo(10.0);
        assertThat(new GraderRunner(FakeSampler.saying("{\"result\": -3}")).run(grader(SCORE_MODEL), "x", ITEM)
                .reward()).isEqualTo(0.0);
        assertThat(new GraderRunner(FakeSampler.saying("Sure! ```json\n{\"result\": \"4\"}\n```")).run(
                grader(SCORE_MODEL), "x", ITEM).reward()).isEqualTo(4.0);
        assertThat(new GraderRunner(FakeSampler.saying(" 0.25 ")).run(grader(SCORE_MODEL), "x", ITEM).reward())
                .isEqualTo(0.25);
    }

    @Test
    void scoreModelFailuresAreFlagged() {
        GraderRunResponse unparsable = new GraderRunner(FakeSampler.saying("I think it is good"))
                .run(grader(SCORE_MODEL), "x", ITEM);
        assertThat(unparsable.reward()).isEqualTo(0.0);
        assertThat(unparsable.metadata().errors().modelGraderParseError()).isTrue();

        GraderRunResponse nonNumeric = new GraderRunner(FakeSampler.saying("{\"result\": \"high\"}"))
                .run(grader(SCORE_MODEL), "x", ITEM);
        assertThat(nonNumeric.metadata().errors().modelGraderParseError()).isTrue();

        FakeSampler refusing = new FakeSampler(r -> new ModelSampler.Completion(null, "I can't help with that",
                null, 10, 5, 0));
        GraderRunResponse refused = new GraderRunner(refusing).run(grader(SCORE_MODEL), "x", ITEM);
        assertThat(refused.metadata().errors().modelGraderRefusalError()).isTrue();
        assertThat(refused.metadata().sampledModelName()).isEqualTo("gpt-5-mini");

        FakeSampler failing = new FakeSampler(r -> {
            throw new IllegalStateException("model not loaded");
        });
        GraderRunResponse failed = new GraderRunner(failing).run(grader(SCORE_MODEL), "x", ITEM);
        assertThat(failed.reward()).isEqualTo(0.0);
        assertThat(failed.metadata().errors().modelGraderServerError()).isTrue();
        assertThat(failed.metadata().errors().modelGraderServerErrorDetails()).contains("model not loaded");
        assertThat(failed.metadata().tokenUsage()).isNull();

        GraderRunResponse noSampler = new GraderRunner().run(grader(SCORE_MODEL), "x", ITEM);
        assertThat(noSampler.metadata().errors().modelGraderServerError()).isTrue();
        assertThat(noSampler.metadata().errors().modelGraderServerErrorDetails()).contains("ModelSampler");
    }

    @Test
    void multiWithLabelModelCombinesByFormula() {
        FakeSampler sampler = new FakeSampler(r -> ModelSampler.Completion.of(
                r.messages().get(1).text().contains("wonderful") ? "{\"result\": \"positive\", \"steps\": []}"
                        : "negative", "judge", 30, 2));
        GraderRunner runner = new GraderRunner(sampler);
        Grader multi = grader(labelMulti("0.75 * sentiment + 0.25 * exact"));

        GraderRunResponse good = runner.run(multi, "Paris is wonderful", ITEM);
        assertThat(good.reward()).isEqualTo(1.0);
        assertThat(good.subRewards()).containsEntry("sentiment", 1.0).containsEntry("exact", 1.0);
        assertThat(good.metadata().scores()).containsEntry("sentiment", 1.0);
        assertThat(good.metadata().type()).isEqualTo("multi");
        assertThat(sampler.requests.get(0).messages().get(0).text()).contains("\"positive\", \"neutral\", \"negative\"");

        GraderRunResponse mixed = runner.run(multi, "Rome is dull", ITEM);
        assertThat(mixed.reward()).isEqualTo(0.0);
        assertThat(runner.run(multi, "paris is dull", ITEM).reward()).isEqualTo(0.25);

        GraderRunResponse badLabel = new GraderRunner(FakeSampler.saying("{\"result\": \"ecstatic\"}"))
                .run(multi, "paris", ITEM);
        assertThat(badLabel.reward()).isEqualTo(0.25);
        assertThat(badLabel.metadata().errors().modelGraderParseError()).isTrue();
    }

    @Test
    void multiFormulaProblemsAreFlagged() {
        FakeSampler sampler = FakeSampler.saying("positive");
        // a programmatically built grader can carry a formula the parser would refuse
        MultiGrader parsed = (MultiGrader) grader(labelMulti("sentiment"));
        MultiGrader broken = new MultiGrader("m", parsed.graders(), "sentiment +");
        GraderRunResponse r = new GraderRunner(sampler).run(broken, "x", ITEM);
        assertThat(r.reward()).isEqualTo(0.0);
        assertThat(r.metadata().errors().formulaParseError()).isTrue();

        MultiGrader unknown = new MultiGrader("m", parsed.graders(), "sentiment + ghost");
        assertThat(new GraderRunner(sampler).run(unknown, "x", ITEM).metadata().errors().invalidVariableError()).isTrue();

        GraderRunResponse infinite = new GraderRunner(sampler).run(grader(labelMulti("1 / exact")), "Rome", ITEM);
        assertThat(infinite.reward()).isEqualTo(0.0);
        assertThat(infinite.metadata().errors().otherError()).isTrue();
        assertThat(infinite.metadata().errors().extra().get("other_error_details").toString())
                .contains("1 / exact").contains("Infinity");
    }
}
