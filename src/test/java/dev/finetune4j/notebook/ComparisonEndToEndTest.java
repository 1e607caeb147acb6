package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.JobStatus;
import dev.finetune4j.client.BadRequestException;
import dev.finetune4j.notebook.kernel.MimeBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

/** Comparisons of runs that did not all train: failed, cancelled, reinforcement, against the real local server. */
class ComparisonEndToEndTest {
    @TempDir
    static Path dir;
    static FineTune ft;
    static Path train;
    static Path broken;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("finetune4j.progress", "line");
        ft = FineTune.local(dir.resolve("server"));
        train = Datasets.write(dir.resolve("train.jsonl"), 0, 12);
        broken = Datasets.write(dir.resolve("broken.jsonl"), 0, 12);
        List<String> lines = new ArrayList<>(Files.readAllLines(broken));
        lines.set(2, "{\"messages\": [ this is not json");
        Files.write(broken, lines);
    }

    @AfterAll
    static void stop() {
        if (ft != null) ft.close();
    }

    @Test
    void runsThatFailedBeforeTrainingShowTheirTableWithoutAChart() {
        Comparison cmp = ft.compare(ft.job("nano").train(broken).seed(1).create(), ft.job("nano").train(broken).seed(2).create()).await();
        assertThat(cmp.runs()).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.FAILED));

        XYChart chart = cmp.plot();
        assertThat(chart.getTitle()).isEqualTo("no metrics yet");
        assertThat(chart.getSeriesMap()).isEmpty();
        Map<String, String> shown = cmp.mimeBundle();
        assertThat(shown.get(MimeBundle.HTML)).contains("<table").doesNotContain("<img");
        assertThat(shown.get(MimeBundle.TEXT)).contains(cmp.runs().get(0).id()).contains("failed");
        // why they failed, in the tables
        assertThat(cmp.table().stringColumn("error").asList()).allSatisfy(e -> assertThat(e)
                .startsWith("invalid_training_file: Line 3: invalid JSON"));
        assertThat(cmp.runs().get(0).summary().stringColumn("error").get(0)).startsWith("invalid_training_file: ");
    }

    @Test
    void aSweepWhoseLaterRunIsRefusedCancelsTheRunsItStarted() {
        // long enough (micro, 50 epochs) to be still training when the second run is refused
        JobBuilder base = ft.job("micro").train(train).epochs(50).batchSize(1);
        Map<String, List<?>> grid = new java.util.LinkedHashMap<>();
        grid.put("model", List.of("micro", "no-such-model"));
        assertThatThrownBy(() -> ft.sweep(base, grid)).isInstanceOf(SweepFailedException.class)
                .hasCauseInstanceOf(BadRequestException.class)
                .hasMessageStartingWith("the sweep's run for {model=no-such-model} could not start: ")
                .hasMessageContaining("no-such-model is not available for fine-tuning")
                .hasMessageContaining("; the 1 run it had started was cancelled: ftjob-")
                .satisfies(e -> {
                    SweepFailedException f = (SweepFailedException) e;
                    assertThat(f.cancelled()).hasSize(1);
                    assertThat(f.notCancelled()).isEmpty();
                    assertThat(f.combination()).isEqualTo(Map.of("model", "no-such-model"));
                    assertThat(ft.run(f.cancelled().get(0)).status()).isEqualTo(JobStatus.CANCELLED);
                });
    }

    @Test
    void anEvaluationOfAComparisonSkipsTheRunsWithoutAModel() throws Exception {
        Run trained = ft.job("nano").train(train).epochs(1).batchSize(4).seed(1).create();
        Run failed = ft.job("nano").train(broken).seed(2).create();
        Comparison cmp = ft.compare(failed, trained).await();
        Table scores = cmp.evaluate(train.toString());
        assertThat(scores.columnNames()).containsExactly("label", "model", "correct", "examples", "mean_score", "note");
        assertThat(scores.stringColumn("model").asList()).containsExactly("", trained.model());
        assertThat(scores.intColumn("examples").isMissing(0)).isTrue();
        assertThat(scores.intColumn("examples").get(1)).isEqualTo(12);
        assertThat(scores.doubleColumn("mean_score").isMissing(0)).isTrue();
        assertThat(scores.stringColumn("note").get(0)).startsWith("failed: ").endsWith("; no fine-tuned model, not evaluated");
        assertThat(scores.stringColumn("note").get(1)).isEmpty();
        // with a grader, which here gives every answer full marks (exact match did not: one epoch learns little)
        Map<String, Object> any = Map.of("type", "string_check", "name", "any", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "{{sample.output_text}}");
        Table graded = cmp.evaluate(train.toString(), any);
        assertThat(graded.intColumn("correct").get(1)).isEqualTo(12);
        assertThat(graded.doubleColumn("mean_score").get(1)).isEqualTo(1.0);
        assertThat(graded.stringColumn("note").get(0)).endsWith("not evaluated");
        var question = List.of(dev.finetune4j.api.ChatMessage.user("What is 3+1?"));
        assertThat(trained.logprobs(question).print()).isEqualTo(ft.logprobs(trained.model(), question).print())
                .contains("token");
    }

    @Test
    void reinforcementRunsArePlottedByTheirReward() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"What is ").append(i).append("+1?\"}],\"answer\":\"")
                    .append(i + 1).append("\"}\n");
        }
        Path prompts = Files.writeString(dir.resolve("prompts.jsonl"), sb);
        Map<String, Object> grader = Map.of("type", "string_check", "name", "exact", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "{{item.answer}}");
        JobBuilder base = ft.job("nano").train(prompts).reinforcement(grader).epochs(1).batchSize(4);
        Comparison cmp = ft.compare(base.copy().seed(1).create(), base.copy().seed(2).create()).await();
        assertThat(cmp.runs()).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));

        XYChart chart = cmp.plot();
        assertThat(chart.getTitle()).isEqualTo(Metrics.TRAIN_REWARD);
        assertThat(chart.getSeriesMap().keySet()).contains("seed=1", "seed=2");
        assertThat(cmp.mimeBundle().get(MimeBundle.HTML)).contains("<table").contains("<img");
        // a mistyped metric gets the list of those there are
        assertThatThrownBy(() -> cmp.best("train_reward")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no run reported train_reward; they report [train_reward_mean");
        assertThatThrownBy(() -> cmp.bestCheckpoint("train_reward")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no checkpoint of these runs has metric train_reward; their checkpoints have [");
    }
}
