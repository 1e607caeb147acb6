package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.ErrorResponse;
import dev.finetune4j.api.GraderValidateResponse;
import dev.finetune4j.api.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradersTest {
    private static final String STRING_CHECK = """
            {"type": "string_check", "name": "Example string check grader", "input": "{{sample.output_text}}",
             "reference": "{{item.label}}", "operation": "eq"}""";
    private static final String TEXT_SIMILARITY = """
            {"type": "text_similarity", "name": "example text similarity grader", "input": "The graded text",
             "reference": "The reference text", "evaluation_metric": "fuzzy_match"}""";
    private static final String PYTHON = """
            {"type": "python", "name": "Example python grader", "image_tag": "2025-05-08",
             "source": "def grade(sample, item):\\n    return 1.0"}""";
    private static final String SCORE_MODEL = """
            {"type": "score_model", "name": "Example score model grader", "model": "gpt-5-mini",
             "input": [{"role": "user", "content": [
                {"type": "input_text", "text": "Reference answer: {{item.label}}\\n\\nModel answer: {{sample.output_text}}"},
                {"type": "input_image", "image_url": "https://example.com/reference.png", "file_id": null, "detail": "auto"}]}],
             "sampling_params": {"temperature": 1, "top_p": 1, "seed": 42, "max_completions_tokens": 32768,
                                 "reasoning_effort": "medium"}}""";
    private static final String LABEL_MODEL = """
            {"name": "First label grader", "type": "label_model", "model": "gpt-4o-2024-08-06",
             "input": [{"type": "message", "role": "system", "content": {"type": "input_text", "text": "Classify"}},
                       {"type": "message", "role": "user", "content": {"type": "input_text", "text": "Statement: {{item.response}}"}}],
             "passing_labels": ["positive"], "labels": ["positive", "neutral", "negative"]}""";

    private static GraderValidationException invalid(String json) {
        return catchThrowableOfType(GraderValidationException.class, () -> Graders.parse(Json.tree(json)));
    }

    private static JsonNode replace(String json, String field, Object value) {
        ObjectNode node = (ObjectNode) Json.tree(json);
        if (value == null) node.remove(field);
        else node.set(field, Json.MAPPER.valueToTree(value));
        return node;
    }

    private static GraderValidationException invalid(JsonNode node) {
        return catchThrowableOfType(GraderValidationException.class, () -> Graders.parse(node));
    }

    @Test
    void parsesTheSpecExamples() {
        StringCheckGrader sc = (StringCheckGrader) Graders.parse(Json.tree(STRING_CHECK));
        assertThat(sc.operation()).isEqualTo(StringCheckGrader.Operation.EQ);
        assertThat(sc.reference().variables()).extracting(Template.Variable::expression).containsExactly("item.label");

        TextSimilarityGrader ts = (TextSimilarityGrader) Graders.parse(Json.tree(TEXT_SIMILARITY));
        assertThat(ts.evaluationMetric()).isEqualTo(TextSimilarityGrader.Metric.FUZZY_MATCH);

        PythonGrader py = (PythonGrader) Graders.parse(Json.tree(PYTHON));
        assertThat(py.imageTag()).isEqualTo("2025-05-08");

        ScoreModelGrader sm = (ScoreModelGrader) Graders.parse(Json.tree(SCORE_MODEL));
        assertThat(sm.rangeMin()).isEqualTo(0.0);
        assertThat(sm.rangeMax()).isEqualTo(1.0);
        assertThat(sm.samplingParams()).isEqualTo(new SamplingParams(42L, 1.0, 1.0, 32768, "medium"));
        assertThat(sm.input().get(0).content()).extracting(EvalMessage.Part::type)
                .containsExactly("input_text", "input_image");
    }

    @Test
    void labelModelOnlyInsideMulti() {
        GraderValidationException e = invalid(LABEL_MODEL);
        assertThat(e.param()).isEqualTo("grader.type");
        assertThat(e.getMessage()).contains("only inside a 'multi' grader");

        Grader multi = Graders.parse(Json.tree("{\"type\": \"multi\", \"name\": \"m\", \"graders\": {\"sentiment\": "
                + LABEL_MODEL + "}, \"calculate_output\": \"sentiment\"}"));
        LabelModelGrader label = (LabelModelGrader) ((MultiGrader) multi).graders().get("sentiment");
        assertThat(label.labels()).containsExactly("positive", "neutral", "negative");
        assertThat(label.passingLabels()).containsExactly("positive");
        assertThat(label.input().get(1).contentIsText()).isFalse();
    }

    @Test
    void acceptsTheThreeMultiGraderForms() {
        String map = "{\"type\": \"multi\", \"name\": \"m\", \"calculate_output\": \"0.5 * name + 0.5 * sim\","
                + " \"graders\": {\"name\": " + STRING_CHECK + ", \"sim\": " + TEXT_SIMILARITY + "}}";
        MultiGrader fromMap = (MultiGrader) Graders.parse(Json.tree(map));
        assertThat(fromMap.graders().keySet()).containsExactly("name", "sim");

        String single = "{\"type\": \"multi\", \"name\": \"m\", \"graders\": " + STRING_CHECK
                + ", \"calculate_output\": \"2 * Example_check\"}";
        GraderValidationException noSuchName = invalid(single);
        assertThat(noSuchName.param()).isEqualTo("grader.calculate_output");
        assertThat(noSuchName.getMessage()).contains("'Example_check'").contains("'Example string check grader'");
        MultiGrader fromSingle = (MultiGrader) Graders.parse(Json.tree(single.replace(
                "Example string check grader", "exact").replace("2 * Example_check", "2 * exact")));
        assertThat(fromSingle.graders().keySet()).containsExactly("exact");

        String array = "{\"type\": \"multi\", \"name\": \"m\", \"graders\": [" + STRING_CHECK.replace(
                "Example string check grader", "exact") + ", " + TEXT_SIMILARITY.replace(
                "example text similarity grader", "fuzzy") + "], \"calculate_output\": \"max(exact, fuzzy)\"}";
        MultiGrader fromArray = (MultiGrader) Graders.parse(Json.tree(array));
        assertThat(fromArray.graders().keySet()).containsExactly("exact", "fuzzy");

        // canonical output is the map form, and it parses back to an equal grader
        JsonNode canonical = Graders.toJson(fromArray);
        assertThat(canonical.get("graders").isObject()).isTrue();
        assertThat(Graders.parse(canonical)).isEqualTo(fromArray);
    }

    @Test
    void multiArrayNeedsUniqueNames() {
        String array = "{\"type\": \"multi\", \"name\": \"m\", \"graders\": [" + STRING_CHECK + ", " + STRING_CHECK
                + "], \"calculate_output\": \"1\"}";
        GraderValidationException e = invalid(array);
        assertThat(e.param()).isEqualTo("grader.graders[1].name");
    }

    @Test
    void nestedMultiIsRejected() {
        String inner = "{\"type\": \"multi\", \"name\": \"inner\", \"graders\": {\"a\": " + STRING_CHECK
                + "}, \"calculate_output\": \"a\"}";
        GraderValidationException e = invalid("{\"type\": \"multi\", \"name\": \"outer\", \"graders\": {\"x\": "
                + inner + "}, \"calculate_output\": \"x\"}");
        assertThat(e.param()).isEqualTo("grader.graders.x.type");
        assertThat(e.getMessage()).contains("Nested 'multi'");
    }

    @Test
    void badFormulaIsA400OnCalculateOutput() {
        GraderValidationException e = invalid("{\"type\": \"multi\", \"name\": \"m\", \"graders\": {\"a\": "
                + STRING_CHECK + "}, \"calculate_output\": \"0.5 * a)\"}");
        assertThat(e.param()).isEqualTo("grader.calculate_output");
        assertThat(e.getMessage()).contains("position 7");
    }

    @Test
    void unknownTypeOperationAndMetric() {
        GraderValidationException type = invalid(replace(STRING_CHECK, "type", "regex"));
        assertThat(type.param()).isEqualTo("grader.type");
        assertThat(type.getMessage()).isEqualTo("Invalid value for 'grader.type': 'regex'. Supported values are: "
                + "'string_check', 'text_similarity', 'python', 'score_model' and 'multi'.");

        GraderValidationException op = invalid(replace(STRING_CHECK, "operation", "neq"));
        assertThat(op.param()).isEqualTo("grader.operation");
        assertThat(op.getMessage()).contains("'neq'").contains("'eq', 'ne', 'like' and 'ilike'");

        GraderValidationException metric = invalid(replace(TEXT_SIMILARITY, "evaluation_metric", "rouge_6"));
        assertThat(metric.param()).isEqualTo("grader.evaluation_metric");

        GraderValidationException cosine = invalid(replace(TEXT_SIMILARITY, "evaluation_metric", "cosine"));
        assertThat(cosine.param()).isEqualTo("grader.evaluation_metric");
        assertThat(cosine.getMessage()).contains("embeddings model").contains("only for evals");
    }

    @Test
    void missingWrongTypedAndUnknownFields() {
        GraderValidationException missing = invalid(replace(STRING_CHECK, "reference", null));
        assertThat(missing.param()).isEqualTo("grader.reference");
        assertThat(missing.getMessage()).isEqualTo("Missing required parameter: 'grader.reference'.");

        GraderValidationException wrong = invalid(replace(STRING_CHECK, "input", 5));
        assertThat(wrong.getMessage()).isEqualTo(
                "Invalid type for 'grader.input': expected a string, but got an integer instead.");

        GraderValidationException unknown = invalid(replace(STRING_CHECK, "pass_threshold", 0.5));
        assertThat(unknown.param()).isEqualTo("grader.pass_threshold");
        assertThat(unknown.getMessage()).isEqualTo("Unknown parameter: 'grader.pass_threshold'.");

        assertThat(invalid("[1]").param()).isEqualTo("grader");
        assertThat(catchThrowableOfType(GraderValidationException.class,
                () -> Graders.parse((JsonNode) null)).param()).isEqualTo("grader");
    }

    @Test
    void badTemplatesNameTheField() {
        GraderValidationException e = invalid(replace(STRING_CHECK, "reference", "{{ row.label }}"));
        assertThat(e.param()).isEqualTo("grader.reference");
        assertThat(e.getMessage()).contains("unknown namespace 'row'");

        ObjectNode model = (ObjectNode) Json.tree(SCORE_MODEL);
        ((ObjectNode) model.get("input").get(0).get("content").get(0)).put("text", "{{ item.label");
        GraderValidationException inMessage = invalid(model);
        assertThat(inMessage.param()).isEqualTo("grader.input[0].content[0].text");
        assertThat(inMessage.getMessage()).contains("unclosed");
    }

    @Test
    void pythonSourceMustBeUnder256kB() {
        String big = "# " + "x".repeat(PythonGrader.MAX_SOURCE_BYTES) + "\ndef grade(sample, item):\n    return 1.0\n";
        GraderValidationException e = invalid(replace(PYTHON, "source", big));
        assertThat(e.param()).isEqualTo("grader.source");
        assertThat(e.getMessage()).contains("smaller than 256 kB");
        String justUnder = "#" + "x".repeat(PythonGrader.MAX_SOURCE_BYTES - 2);
        assertThat(Graders.parse(replace(PYTHON, "source", justUnder))).isInstanceOf(PythonGrader.class);
    }

    @Test
    void modelGraderFieldChecks() {
        assertThat(invalid(replace(SCORE_MODEL, "range", new double[] {1, 0})).param()).isEqualTo("grader.range");
        assertThat(invalid(replace(SCORE_MODEL, "range", new double[] {0, 1, 2})).param()).isEqualTo("grader.range");
        assertThat(invalid(replace(SCORE_MODEL, "input", new Object[0])).param()).isEqualTo("grader.input");
        assertThat(invalid(replace(SCORE_MODEL, "input", new Object[] {Map.of("role", "robot", "content", "x")}))
                .param()).isEqualTo("grader.input[0].role");
        assertThat(invalid(replace(SCORE_MODEL, "sampling_params", Map.of("max_completion_tokens", 5)))
                .getMessage()).contains("max_completions_tokens");
        assertThat(invalid(replace(SCORE_MODEL, "sampling_params", Map.of("max_completions_tokens", 0)))
                .param()).isEqualTo("grader.sampling_params.max_completions_tokens");
        assertThat(invalid(replace(SCORE_MODEL, "sampling_params", Map.of("reasoning_effort", "extreme")))
                .param()).isEqualTo("grader.sampling_params.reasoning_effort");
        assertThat(invalid(replace(SCORE_MODEL, "sampling_params", Map.of("seed", 1.5)))
                .param()).isEqualTo("grader.sampling_params.seed");

        String multi = "{\"type\": \"multi\", \"name\": \"m\", \"graders\": {\"s\": %s}, \"calculate_output\": \"s\"}";
        ObjectNode label = (ObjectNode) Json.tree(LABEL_MODEL);
        label.putArray("passing_labels").add("great");
        GraderValidationException notSubset = invalid(String.format(multi, label));
        assertThat(notSubset.param()).isEqualTo("grader.graders.s.passing_labels[0]");
        assertThat(notSubset.getMessage()).contains("'great'");
    }

    @Test
    void paramPrefixFollowsWhereTheGraderLives() {
        GraderValidationException e = catchThrowableOfType(GraderValidationException.class, () -> Graders.parse(
                Json.MAPPER.convertValue(replace(STRING_CHECK, "operation", "is"), Map.class),
                "method.reinforcement.grader"));
        assertThat(e.param()).isEqualTo("method.reinforcement.grader.operation");
        ErrorResponse body = e.errorResponse();
        assertThat(body.error().type()).isEqualTo("invalid_request_error");
        assertThat(body.error().param()).isEqualTo("method.reinforcement.grader.operation");
        assertThat(Json.tree(Json.write(body)).get("error").has("code")).isTrue();
    }

    @Test
    void validateEchoesTheGraderAsSent() {
        JsonNode sent = Json.tree(SCORE_MODEL);
        GraderValidateResponse response = Graders.validate(sent);
        assertThat(Json.tree(Json.write(response))).isEqualTo(Json.tree("{\"grader\": " + SCORE_MODEL + "}"));
    }

    @Test
    void canonicalJsonRoundTrips() {
        for (String json : new String[] {STRING_CHECK, TEXT_SIMILARITY, PYTHON, SCORE_MODEL}) {
            Grader g = Graders.parse(Json.tree(json));
            assertThat(Graders.parse(Graders.toJson(g))).isEqualTo(g);
        }
        JsonNode sm = Graders.toJson(Graders.parse(Json.tree(SCORE_MODEL)));
        assertThat(sm.get("range").toString()).isEqualTo("[0.0,1.0]");
        assertThat(sm.get("sampling_params").get("max_completions_tokens").intValue()).isEqualTo(32768);
    }
}
