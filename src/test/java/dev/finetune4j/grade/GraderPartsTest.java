package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.Json;
import org.junit.jupiter.api.Test;

class GraderPartsTest {
    private static final Grader MULTI = Graders.parse(Json.tree("""
            {"type": "multi", "name": "both", "calculate_output": "exact + 0.5 * judge + code",
             "graders": {
               "exact": {"type": "string_check", "name": "exact", "operation": "eq",
                         "input": "{{ sample.output_text }}", "reference": "{{ item.answer }}"},
               "judge": {"type": "score_model", "name": "judge", "model": "nano",
                         "input": [{"role": "user", "content": "Is {{sample.output_text}} {{item.choices[0]}} or {{ item.answer }}?"}]},
               "code": {"type": "python", "name": "code", "source": "def grade(s, i):\\n    return 1.0\\n"}
             }}"""));

    @Test
    void missingItemFieldsAreThePathsTheTemplatesReadThatTheItemLacks() {
        assertThat(GraderParts.missingItemFields(MULTI, Json.tree("{}")))
                .containsExactly("item.answer", "item.choices[0]");
        assertThat(GraderParts.missingItemFields(MULTI, Json.tree("{\"answer\": \"4\", \"choices\": []}")))
                .containsExactly("item.choices[0]");
        assertThat(GraderParts.missingItemFields(MULTI, Json.tree("{\"answer\": null, \"choices\": [\"4\"]}")))
                .as("a null value renders as empty text: present").isEmpty();
    }

    @Test
    void pythonGradersAreFoundInsideMultiGradersByTheirParameter() {
        assertThat(GraderParts.python(MULTI, "grader").keySet()).containsExactly("grader.graders.code");
        Grader alone = MULTI instanceof MultiGrader m ? m.graders().get("code") : null;
        assertThat(GraderParts.python(alone, "method.reinforcement.grader").keySet())
                .containsExactly("method.reinforcement.grader");
    }
}
