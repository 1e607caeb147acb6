package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobBuilderTest {

    @Test
    void theFluentFormBuildsTheApiBodyWithTheMethod() {
        Map<String, Object> body = new JobBuilder(null, "gpt-4o-mini").train("file-abc").validate("file-def")
                .epochs(3).batchSize(8).lrMultiplier(0.5).suffix("x").seed(1).metadata("team", "ml").params();
        assertThat(body).containsEntry("model", "gpt-4o-mini").containsEntry("training_file", "file-abc")
                .containsEntry("validation_file", "file-def").containsEntry("suffix", "x").containsEntry("seed", 1L)
                .containsEntry("metadata", Map.of("team", "ml"));
        assertThat(body.get("method")).isEqualTo(Map.of("type", "supervised", "supervised",
                Map.of("hyperparameters", Map.of("n_epochs", 3, "batch_size", 8, "learning_rate_multiplier", 0.5))));
    }

    @Test
    void dpoCarriesBetaUnderItsMethodAndSupervisedDropsIt() {
        JobBuilder b = new JobBuilder(null, "nano").train("file-1").dpo(0.1).epochs(2);
        assertThat(b.params().get("method")).isEqualTo(Map.of("type", "dpo", "dpo",
                Map.of("hyperparameters", Map.of("beta", 0.1, "n_epochs", 2))));
        assertThat(b.copy().supervised().params().get("method")).isEqualTo(Map.of("type", "supervised", "supervised",
                Map.of("hyperparameters", Map.of("n_epochs", 2))));
        // the copy is independent
        assertThat(((Map<?, ?>) b.params().get("method")).get("type")).isEqualTo("dpo");
        assertThat(new JobBuilder(null, "nano").dpo().params().get("method")).isEqualTo(Map.of("type", "dpo"));
    }

    @Test
    void reinforcementCarriesItsGraderAndTheOtherMethodsDropIt() {
        Map<String, Object> grader = Map.of("type", "string_check", "name", "exact", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "{{item.answer}}");
        JobBuilder b = new JobBuilder(null, "nano").train("file-1").dpo(0.2).reinforcement(grader).epochs(2);
        assertThat(b.params().get("method")).isEqualTo(Map.of("type", "reinforcement", "reinforcement",
                Map.of("grader", grader, "hyperparameters", Map.of("n_epochs", 2))));
        assertThat(new JobBuilder(null, "nano").reinforcement(grader).params().get("method"))
                .isEqualTo(Map.of("type", "reinforcement", "reinforcement", Map.of("grader", grader)));
        assertThat(b.copy().dpo().params().get("method")).isEqualTo(Map.of("type", "dpo", "dpo",
                Map.of("hyperparameters", Map.of("n_epochs", 2))));
    }

    @Test
    void setTakesApiAndBuilderNamesAndRejectsUnknownOnes() {
        JobBuilder b = new JobBuilder(null, "nano").set("learning_rate_multiplier", 2.0).set("epochs", 4)
                .set("batchSize", 2).set("seed", 9).set("suffix", "s").set("model", "micro");
        Map<String, Object> body = b.params();
        assertThat(body).containsEntry("model", "micro").containsEntry("seed", 9L).containsEntry("suffix", "s");
        assertThat(body.get("method").toString()).contains("learning_rate_multiplier=2.0", "n_epochs=4", "batch_size=2");
        assertThatThrownBy(() -> b.set("learning_rate", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning_rate_multiplier");
        assertThatThrownBy(() -> new JobBuilder(null, "nano").create()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("train");
    }

    @Test
    void hyperparameterValuesAreCheckedWhereTheyAreSet() {
        JobBuilder b = new JobBuilder(null, "nano").train("file-1");
        assertThatThrownBy(() -> b.set("n_epochs", "two")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n_epochs must be a whole number from 1 to 50 or \"auto\", not \"two\" (text)");
        assertThatThrownBy(() -> b.set("n_epochs", 0)).hasMessageContaining("n_epochs must be a whole number from 1 to 50");
        assertThatThrownBy(() -> b.epochs(51)).hasMessageContaining("not 51");
        assertThatThrownBy(() -> b.set("batch_size", 2.5)).hasMessageContaining("batch_size must be a whole number");
        assertThatThrownBy(() -> b.lrMultiplier(0)).hasMessageContaining("learning_rate_multiplier must be a number above 0");
        assertThatThrownBy(() -> b.dpo(3)).hasMessageContaining("beta must be a number above 0 and at most 2");
        assertThatThrownBy(() -> b.set("reasoning_effort", "auto")).hasMessageContaining("[default, low, medium, high]");
        assertThatThrownBy(() -> b.set("learning_rate_multiplier", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        b.set("n_epochs", "auto").set("batch_size", 4.0).set("learning_rate_multiplier", 0.1).set("reasoning_effort", "low");
        assertThat(b.params().get("method").toString()).contains("n_epochs=auto", "batch_size=4,", "learning_rate_multiplier=0.1");

        assertThatThrownBy(() -> b.set("seed", "7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seed must be a whole number, not \"7\" (text)");
        assertThatThrownBy(() -> b.set("suffix", 3)).hasMessage("suffix must be text, not 3 (Integer)");

        // a sweep with one bad value fails before its first job is created (this builder has no service to create on)
        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("n_epochs", List.of(2, 0));
        assertThatThrownBy(() -> Sweep.start(new JobBuilder(null, "nano").train("file-1"), grid))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 0");
    }

    @Test
    void sweepGridsExpandToEveryCombinationFirstKeySlowest() {
        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("learning_rate_multiplier", List.of(0.5, 2.0));
        grid.put("n_epochs", List.of(1, 2, 3));
        List<Map<String, Object>> combos = Sweep.combinations(grid);
        assertThat(combos).hasSize(6);
        assertThat(combos.get(0)).isEqualTo(Map.of("learning_rate_multiplier", 0.5, "n_epochs", 1));
        assertThat(combos.get(2)).isEqualTo(Map.of("learning_rate_multiplier", 0.5, "n_epochs", 3));
        assertThat(combos.get(5)).isEqualTo(Map.of("learning_rate_multiplier", 2.0, "n_epochs", 3));
        assertThat(Sweep.combinations(Map.of())).containsExactly(Map.of());
        assertThatThrownBy(() -> Sweep.combinations(Map.of("n_epochs", List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
