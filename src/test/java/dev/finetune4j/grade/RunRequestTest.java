package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.finetune4j.api.Json;
import org.junit.jupiter.api.Test;

class RunRequestTest {
    private static final String GRADER = """
            {"type": "string_check", "name": "sc", "input": "{{sample.output_text}}",
             "reference": "{{item.reference_answer}}", "operation": "eq"}""";

    @Test
    void parsesAndRunsTheRunBody() {
        RunRequest request = RunRequest.parse(Json.tree("{\"grader\": " + GRADER
                + ", \"item\": {\"reference_answer\": \"fuzzy wuzzy was a bear\"}, \"model_sample\": \"fuzzy wuzzy was a bear\"}"));
        assertThat(request.modelSample()).isEqualTo("fuzzy wuzzy was a bear");
        assertThat(new GraderRunner().run(request).reward()).isEqualTo(1.0);
        assertThat(RunRequest.parse(Json.tree("{\"grader\": " + GRADER + ", \"model_sample\": \"x\"}")).item().isObject())
                .isTrue();
    }

    @Test
    void errorsNameTheField() {
        assertThat(catchThrowableOfType(GraderValidationException.class,
                () -> RunRequest.parse(Json.tree("{\"model_sample\": \"x\"}"))).param()).isEqualTo("grader");
        assertThat(catchThrowableOfType(GraderValidationException.class,
                () -> RunRequest.parse(Json.tree("{\"grader\": " + GRADER + "}"))).param()).isEqualTo("model_sample");
        assertThat(catchThrowableOfType(GraderValidationException.class,
                () -> RunRequest.parse(Json.tree("{\"grader\": " + GRADER + ", \"model_sample\": 3}"))).param())
                .isEqualTo("model_sample");
        assertThat(catchThrowableOfType(GraderValidationException.class, () -> RunRequest.parse(Json.tree(
                "{\"grader\": " + GRADER + ", \"model_sample\": \"x\", \"item\": [1]}"))).param()).isEqualTo("item");
    }
}
