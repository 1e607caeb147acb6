package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.FineTuneMethod;
import dev.finetune4j.api.Hyperparameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunConfigTest {
    @Test
    void aGraderIsNamedShortlyAndTellsApartOtherSettings() {
        Map<String, Object> eq = Map.of("type", "string_check", "name", "exact", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "{{item.answer}}");
        Map<String, Object> like = Map.of("type", "string_check", "name", "exact", "operation", "like",
                "input", "{{sample.output_text}}", "reference", "{{item.answer}}");
        Hyperparameters hp = Hyperparameters.builder().build();
        String a = RunConfig.grader(FineTuneMethod.reinforcement(eq, hp));
        String b = RunConfig.grader(FineTuneMethod.reinforcement(like, hp));
        assertThat(a).startsWith("string_check exact #").isNotEqualTo(b);
        Map<String, Object> reordered = new java.util.LinkedHashMap<>();
        new java.util.TreeMap<>(eq).descendingMap().forEach(reordered::put);
        assertThat(RunConfig.grader(FineTuneMethod.reinforcement(reordered, hp))).isEqualTo(a);
        assertThat(RunConfig.grader(FineTuneMethod.supervised(hp))).isNull();
        assertThat(RunConfig.grader(null)).isNull();
    }
}
