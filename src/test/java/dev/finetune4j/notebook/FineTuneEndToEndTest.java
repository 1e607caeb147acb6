package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.JobStatus;
import dev.finetune4j.api.Json;
import dev.finetune4j.client.ListParams;
import dev.finetune4j.client.NotFoundException;
import dev.finetune4j.client.PermissionDeniedException;
import dev.finetune4j.data.Category;
import dev.finetune4j.data.DatasetCleaner;
import dev.finetune4j.data.DatasetException;
import dev.finetune4j.data.Method;
import dev.finetune4j.data.ValidationReport;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

/** The facade against the real local server, training tiny nano models for real. */
class FineTuneEndToEndTest {
    @TempDir
    static Path dir;
    static FineTune ft;
    static Path train;
    static Path valid;

    @BeforeAll
    static void start() {
        System.setProperty("finetune4j.progress", "line");
        ft = FineTune.local(dir.resolve("server"));
        train = Datasets.write(dir.resolve("train.jsonl"), 0, 12);
        valid = Datasets.write(dir.resolve("valid.jsonl"), 100, 6);
    }

    @AfterAll
    static void stop() {
        if (ft != null) ft.close();
    }

    @Test
    void twoRunsWithDifferentLearningRatesAreComparedAsTablesAndPlots() throws Exception {
        JobBuilder base = ft.job("nano").train(train).validate(valid).epochs(2).batchSize(4).seed(3)
                .metadata("experiment", "lr");
        Map<String, List<?>> grid = new LinkedHashMap<>();
        grid.put("learning_rate_multiplier", List.of(0.5, 2.0));
        Comparison cmp = ft.sweep(base, grid).await();
        List<Run> runs = cmp.runs();
        assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED));
        // the two runs share the uploads
        assertThat(runs.get(0).job().trainingFile()).isEqualTo(runs.get(1).job().trainingFile());

        Run run = runs.get(0);
        int steps = 12 * 2 / 4;
        Table metrics = run.metrics();
        assertThat(metrics.rowCount()).isEqualTo(steps);
        assertThat(metrics.columnNames()).containsExactly("step", "epoch", "train_loss", "train_mean_token_accuracy",
                "valid_loss", "valid_mean_token_accuracy", "full_valid_loss", "full_valid_mean_token_accuracy");
        assertThat(metrics.intColumn("step").asList()).containsExactly(1, 2, 3, 4, 5, 6);
        // 3 steps an epoch (12 examples in batches of 4)
        assertThat(metrics.doubleColumn("epoch").get(2)).isEqualTo(1.0);
        assertThat(metrics.doubleColumn("epoch").get(5)).isEqualTo(2.0);
        // printed with six significant digits at most, the values themselves untouched
        String printed = metrics.print();
        assertThat(printed).doesNotContainPattern("\\d\\.\\d{7,}");
        assertThat(metrics.doubleColumn("epoch").get(0)).isEqualTo(1.0 / 3);
        assertThat(metrics.doubleColumn("train_loss").countMissing()).isZero();
        // full validation at each epoch end only
        assertThat(metrics.doubleColumn("full_valid_loss").size() - metrics.doubleColumn("full_valid_loss").countMissing())
                .isEqualTo(2);

        // the job had ended when its events were read: reading them again costs no request
        long requests = run.eventRequests();
        run.metrics();
        assertThat(run.eventRequests()).isEqualTo(requests);

        // every event the API lists, once
        List<FineTuningJobEvent> listed = ft.client().fineTuning().jobs()
                .listEvents(run.id(), ListParams.builder().limit(1000).build()).stream().toList();
        Table events = run.events();
        assertThat(events.rowCount()).isEqualTo(listed.size());
        assertThat(events.stringColumn("type").isEqualTo("metrics").size()).isEqualTo(steps);

        Table checkpoints = run.checkpoints();
        assertThat(checkpoints.intColumn("step").asList()).containsExactly(3, 6);
        assertThat(checkpoints.columnNames()).contains("model", "train_loss", "full_valid_loss");

        Table results = run.results();
        assertThat(results.rowCount()).isEqualTo(steps);
        // the files table says whose result file is whose (they are all step_metrics.csv)
        Table files = ft.files();
        int row = files.stringColumn("id").indexOf(run.job().resultFiles().get(0));
        assertThat(files.stringColumn("job").get(row)).isEqualTo(run.id());
        assertThat(results.columnNames()).contains("step", "train_loss");
        assertThat(results.numberColumn("train_loss").getDouble(5))
                .isCloseTo(metrics.doubleColumn("train_loss").get(5), org.assertj.core.data.Offset.offset(1e-4));

        Table summary = run.summary();
        assertThat(summary.rowCount()).isEqualTo(1);
        assertThat(summary.doubleColumn("learning_rate_multiplier").get(0)).isEqualTo(0.5);
        assertThat(summary.intColumn("steps").get(0)).isEqualTo(steps);
        assertThat(summary.columnNames()).doesNotContain("final_epoch");
        assertThat(summary.doubleColumn("train_s").get(0)).isBetween(0.0, summary.doubleColumn("duration_s").get(0));
        assertThat(summary.doubleColumn("final_train_loss").get(0)).isEqualTo(metrics.doubleColumn("train_loss").get(5));
        assertThat(summary.doubleColumn("best_full_valid_loss").get(0))
                .isEqualTo(metrics.doubleColumn("full_valid_loss").min());

        XYChart plot = run.plot();
        assertThat(plot.getSeriesMap().keySet()).containsExactly("train_loss", "valid_loss", "full_valid_loss", "checkpoint", Plot.AXIS_ANCHOR);
        assertPng(Charts.png(plot), Plot.WIDTH, Plot.HEIGHT);
        Path saved = Charts.save(run.plot(0.6, "train_loss"), dir.resolve("plots/loss.png"));
        assertPng(Files.readAllBytes(saved), Plot.WIDTH, Plot.HEIGHT);

        // the comparison: what differs, final and best metrics, overlay, best checkpoint
        Table config = cmp.config();
        // the sweep's metadata tag repeats the setting, so it is left out
        assertThat(config.columnNames()).containsExactly("id", "label", "learning_rate_multiplier");
        assertThat(config.doubleColumn("learning_rate_multiplier").asList()).containsExactly(0.5, 2.0);
        assertThat(cmp.labels()).containsExactly("learning_rate_multiplier=0.5", "learning_rate_multiplier=2");
        Table cmpMetrics = cmp.metrics();
        assertThat(cmpMetrics.rowCount()).isEqualTo(2);
        assertThat(cmpMetrics.columnNames()).contains("final_train_loss", "best_train_loss", "final_full_valid_loss");
        assertThat(cmp.table().rowCount()).isEqualTo(2);
        XYChart overlay = cmp.plot("valid_loss");
        assertThat(overlay.getSeriesMap().keySet()).containsExactly("learning_rate_multiplier=0.5", "learning_rate_multiplier=2", Plot.AXIS_ANCHOR);
        assertPng(Charts.png(overlay), Plot.WIDTH, Plot.HEIGHT);
        XYChart byEpoch = cmp.plotter("full_valid_loss").x("epoch").logScale().chart();
        assertThat(byEpoch.getSeriesMap().get("learning_rate_multiplier=2").getXData()).containsExactly(1.0, 2.0);
        assertThat(byEpoch.getStyler().isYAxisLogarithmic()).isTrue();
        assertThatThrownBy(() -> cmp.plot("train_reward_mean")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no run reported train_reward_mean; they report [train_loss, train_mean_token_accuracy");
        Table perStep = cmp.steps();
        assertThat(perStep.rowCount()).isEqualTo(2 * steps);
        assertThat(perStep.columnNames()).startsWith("label", "id", "step", "epoch", "train_loss");
        assertThat(perStep.stringColumn("label").countUnique()).isEqualTo(2);
        assertThat(cmp.metrics().columnNames()).contains("duration_s", "train_s");

        FineTuningJobCheckpoint best = cmp.bestCheckpoint("full_valid_loss");
        double bestValue = best.metrics().fullValidLoss();
        for (Run r : runs) {
            for (FineTuningJobCheckpoint c : r.checkpointList()) {
                assertThat(c.metrics().fullValidLoss()).isGreaterThanOrEqualTo(bestValue);
            }
        }
        assertThat(cmp.checkpoints().rowCount()).isEqualTo(4);
        Run bestRun = cmp.best("train_loss");
        assertThat(runs).contains(bestRun);

        // the models answer (their text is whatever six steps taught them)
        assertThat(run.chat("What is 3+1?")).isNotNull();
        assertThat(run.chat("What is 3+1?", 3)).isNotNull();
        Table tokens = run.logprobs("What is 3+1?");
        String answer = run.chat("What is 3+1?");
        assertThat(tokens.name()).isEqualTo("logprobs of \"" + answer + "\"");
        assertThat(tokens.columnNames()).containsExactly("position", "token", "logprob", "probability", "alternatives");
        assertThat(tokens.rowCount()).isEqualTo(answer.getBytes(StandardCharsets.UTF_8).length);
        for (int i = 0; i < tokens.rowCount(); i++) {
            assertThat(tokens.doubleColumn("probability").get(i)).isBetween(0.0, 1.0)
                    .isCloseTo(Math.exp(tokens.doubleColumn("logprob").get(i)), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(tokens.stringColumn("alternatives").get(i).split("%")).as("five alternatives").hasSize(5);
        }

        // evaluation: a file whose expected answers are the model's own for even lines, and wrong for odd ones,
        // scores exactly those right, by exact match and by a grader reading the example's reference field
        StringBuilder chats = new StringBuilder();
        StringBuilder prompts = new StringBuilder();
        List<String> own = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String q = "What is " + i + "+1?";
            own.add(run.chat(q));
            String expected = i % 2 == 0 ? own.get(i) : own.get(i) + " (not the answer)";
            chats.append(Json.write(Map.of("messages", List.of(Map.of("role", "user", "content", q),
                    Map.of("role", "assistant", "content", expected, "weight", 1))))).append('\n');
            prompts.append(Json.write(Map.of("messages", List.of(Map.of("role", "user", "content", q)),
                    "reference_answer", expected))).append("\n\n");
        }
        // a model served under another name (an Azure deployment) is asked under that name
        ft.deployment("ft:as-deployed", run.model());
        assertThat(ft.chat("ft:as-deployed", "What is 0+1?")).isEqualTo(own.get(0));
        Path chatFile = Files.writeString(dir.resolve("eval-chats.jsonl"), chats);
        Path promptFile = Files.writeString(dir.resolve("eval-prompts.jsonl"), prompts);
        Evaluation exact = run.evaluate(chatFile.toString());
        assertThat(exact.rows()).extracting(Evaluation.Row::answer).isEqualTo(own);
        assertThat(exact.rows()).extracting(Evaluation.Row::score).containsExactly(1.0, 0.0, 1.0, 0.0, 1.0, 0.0);
        assertThat(exact.rows()).extracting(Evaluation.Row::line).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(exact.correct()).isEqualTo(3);
        assertThat(exact.meanScore()).isEqualTo(0.5);
        assertThat(exact.rows()).allSatisfy(r -> assertThat(r.logprob()).isNotNull().isLessThanOrEqualTo(0.0));
        assertThat(exact.toString()).isEqualTo(run.model() + " on eval-chats.jsonl: 3 of 6 right (exact match), mean score 0.500");
        assertThat(exact.mistakes().intColumn("line").asList()).containsExactly(2, 4, 6);
        var sure = exact.plot();
        assertThat(sure.getSeriesMap().keySet()).containsExactly("right", "wrong");
        assertThat(sure.getSeriesMap().values().stream().mapToDouble(sr -> sr.getYData().stream()
                .mapToDouble(Number::doubleValue).sum()).sum()).isEqualTo(6.0);
        assertPng(Charts.png(sure), Plot.WIDTH, Plot.HEIGHT);
        // a question the model cannot take becomes a row with the service's reason; the others are still asked
        String tooLong = Json.write(Map.of("messages", List.of(Map.of("role", "user", "content", "x".repeat(300)),
                Map.of("role", "assistant", "content", "y"))));
        Path withLong = Files.writeString(dir.resolve("eval-long.jsonl"), chats.toString().replaceFirst("\n", "\n" + tooLong + "\n"));
        Evaluation partly = run.evaluate(withLong.toString());
        assertThat(partly.size()).isEqualTo(7);
        assertThat(partly.correct()).isEqualTo(3);
        Evaluation.Row refused = partly.rows().get(1);
        assertThat(refused.line()).isEqualTo(2);
        assertThat(refused.error()).startsWith("context_length_exceeded: ");
        assertThat(refused.answer()).isEmpty();
        assertThat(refused.score()).isZero();
        assertThat(partly.errors().intColumn("line").asList()).containsExactly(2);
        assertThat(partly.table().stringColumn("error").countMissing()).isEqualTo(6);
        assertThat(partly.toString()).endsWith("mean score 0.429; 1 question refused by the service, scored 0 (errors() lists them)");
        assertThat(partly.plot().getSeriesMap().values().stream().mapToDouble(sr -> sr.getYData().stream()
                .mapToDouble(Number::doubleValue).sum()).sum()).as("refused questions have no probability").isEqualTo(6.0);
        // side by side, the refused question says why, and its 300 characters are cut to a line
        Table twice = Evaluation.sideBySide(partly, partly);
        assertThat(twice.stringColumn(run.model()).get(1)).startsWith("(no answer: context_length_exceeded: ");
        assertThat(twice.print()).contains("xxx...").doesNotContain("x".repeat(100));
        Map<String, Object> grader = Map.of("type", "string_check", "name", "same", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "{{item.reference_answer}}");
        Evaluation graded = run.evaluate(promptFile.toString(), grader);
        assertThat(graded.rows()).extracting(Evaluation.Row::score).containsExactly(1.0, 0.0, 1.0, 0.0, 1.0, 0.0);
        assertThat(graded.rows()).extracting(Evaluation.Row::line).as("blank lines skipped, lines counted")
                .containsExactly(1L, 3L, 5L, 7L, 9L, 11L);
        assertThat(graded.toString()).contains("3 of 6 with full marks (grader same)");
        assertThatThrownBy(() -> run.evaluate(promptFile.toString())).isInstanceOf(DatasetException.class)
                .hasMessageContaining("Line 1: the example has no assistant answer");
        assertThatThrownBy(() -> run.evaluate(dir.resolve("missing.jsonl").toString()))
                .hasMessageContaining("missing.jsonl: no such file (looked in ");
        Map<String, Object> typo = Map.of("type", "string_check", "name", "typo", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "{{item.reference}}");
        assertThatThrownBy(() -> run.evaluate(promptFile.toString(), typo)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the grader could not score line 1: invalid_variable_error");
        assertThatThrownBy(() -> Evaluation.sideBySide(exact, graded)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("side by side needs evaluations of the same file");
        Table both = Evaluation.sideBySide(exact, exact);
        assertThat(both.columnNames()).containsExactly("line", "question", "expected", run.model(), run.model() + " (2)");
        Table perRun = cmp.evaluate(chatFile.toString());
        assertThat(perRun.columnNames()).containsExactly("label", "model", "correct", "examples", "mean_score");
        assertThat(perRun.stringColumn("model").asList()).containsExactly(runs.get(0).model(), runs.get(1).model());
        assertThat(perRun.intColumn("correct").get(0)).isEqualTo(3);

        // the runs table finds them by metadata; a fresh facade re-attaches by id
        Table listed2 = ft.runs(Map.of("experiment", "lr"));
        assertThat(listed2.rowCount()).isEqualTo(2);
        assertThat(listed2.columnNames()).contains("learning_rate_multiplier", "trained_tokens", "duration_s", "metadata");
        // as after a kernel restart: a new facade on the same data directory attaches to the running server
        try (FineTune again = FineTune.local(dir.resolve("server"))) {
            assertThat(again.toString()).contains("started by another notebook, shell or facade: it stops when that one ends");
            assertThat(ft.toString()).doesNotContain("started by another");
            Run reattached = again.run(run.id());
            assertThat(reattached.metrics().doubleColumn("train_loss").asList())
                    .isEqualTo(metrics.doubleColumn("train_loss").asList());
            assertThat(reattached.eventRequests()).isEqualTo(1); // one page holds the whole history
        }
    }

    @Test
    void theSeedsDictFormTakesPathsAndTheDeprecatedHyperparameters() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", "gpt-3.5-turbo");
        params.put("training_file", train.toString());
        params.put("hyperparameters", Map.of("n_epochs", 1, "batch_size", 6, "learning_rate_multiplier", 0.1));
        params.put("suffix", "dict-form");
        Run run = ft.create(params).await();
        assertThat(run.metrics().rowCount()).isEqualTo(2);
        assertThat(run.model()).contains("dict-form");
        Table summary = run.summary();
        assertThat(summary.doubleColumn("learning_rate_multiplier").get(0)).isEqualTo(0.1);
    }

    @Test
    void awaitOnAFailedJobThrowsWithTheJobsError() throws Exception {
        Path bad = Datasets.write(dir.resolve("bad.jsonl"), 0, 12);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(bad));
        lines.set(2, "{\"messages\": [ this is not json");
        Files.write(bad, lines);
        Run run = ft.create("nano", bad.toString());
        assertThatThrownBy(run::await).isInstanceOf(RunFailedException.class)
                .hasMessageContaining(run.id()).hasMessageContaining("failed")
                .satisfies(e -> {
                    RunFailedException f = (RunFailedException) e;
                    assertThat(f.status()).isEqualTo(JobStatus.FAILED);
                    assertThat(f.errorMessage()).contains("3");
                    assertThat(f.param()).isEqualTo("training_file");
                });
        assertThat(run.status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void anInterruptStopsTheWaitingNotTheJob() throws Exception {
        // long enough (micro, 50 epochs) that it cannot finish before the interrupt on any machine; cancelled below
        Run run = ft.job("micro").train(train).epochs(50).batchSize(1).create();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                run.await();
            } catch (Throwable t) {
                thrown.set(t);
                // the next snippet of a REPL runs on this thread: it must be able to wait again
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        Thread.sleep(1500);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(thrown.get()).isInstanceOf(CancellationException.class).hasMessageContaining("the job goes on");
        assertThat(stillInterrupted.get()).isFalse();
        assertThat(run.status()).isIn(JobStatus.VALIDATING_FILES, JobStatus.QUEUED, JobStatus.RUNNING);

        // a bounded wait returns with the job still going; cancelling ends it, and await says so
        assertThat(run.await(Duration.ofMillis(200)).job().isTerminal()).isFalse();
        run.cancel();
        assertThatThrownBy(run::await).isInstanceOf(RunFailedException.class).hasMessageContaining("cancelled");
    }

    @Test
    void aPrintedRunShowsWhereItIsNowOrWhatWasLastKnown() throws Exception {
        FineTune own = FineTune.local(dir.resolve("printed"));
        try {
            // long enough (micro, 50 epochs) to be still training when printed
            Run run = own.job("micro").train(train).epochs(50).batchSize(1).create();
            assertThat(run.job().status()).isEqualTo(JobStatus.VALIDATING_FILES);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!own.run(run.id()).status().equals(JobStatus.RUNNING)) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(run.toString()).startsWith("Run[" + run.id() + " running").doesNotContain("last known");
            own.close();
            assertThat(run.toString()).startsWith("Run[" + run.id() + " running (last known)");
        } finally {
            own.close();
        }
    }

    @Test
    void theAdminClientCarriesTheLocalServersAdminKey() {
        String checkpoint = "ft:nano:local::nothing:ckpt-step-1";
        assertThatThrownBy(() -> ft.client().fineTuning().checkpoints().permissions().list(checkpoint))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> ft.adminClient().fineTuning().checkpoints().permissions().list(checkpoint))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void filesModelsAndValidationAreTables() {
        ft.upload(train);
        assertThat(ft.files().columnNames()).startsWith("id", "filename", "purpose", "bytes", "created_at", "status");
        assertThat(ft.files().stringColumn("filename").asList()).contains("train.jsonl");
        assertThat(ft.models().stringColumn("id").asList()).contains("nano");
        assertThat(ft.validate(train).ok()).isTrue();
        assertThatThrownBy(() -> ft.create("nano", dir.resolve("missing.jsonl").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.jsonl");
    }

    @Test
    void validationWithALocalModelRunsTheChecksItsServerRuns() throws Exception {
        // 12 chats of about 200 bytes: too long for nano (128 tokens), short enough for micro (256)
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append(Json.write(Map.of("messages", List.of(
                    Map.of("role", "system", "content", "You answer questions about arithmetic briefly and politely."),
                    Map.of("role", "user", "content", "What is " + i + " plus one, please? Show no working."),
                    Map.of("role", "assistant", "content", "It is " + (i + 1) + ". Adding one moves to the next number.")))))
                    .append('\n');
        }
        Path chats = Files.writeString(dir.resolve("longer.jsonl"), sb);
        ValidationReport forNano = ft.validate(chats.toString(), "nano");
        assertThat(forNano.ok()).isFalse();
        assertThat(forNano.count(Category.TOO_MANY_TOKENS)).isEqualTo(12);
        assertThat(ft.validate(chats.toString(), "gpt-4o-mini-2024-07-18").ok()).as("an alias of micro").isTrue();
        assertThat(ft.validate(chats.toString(), "gpt-4o-mini-2024-07-18").stats().tokenizer()).isEqualTo("finetune4j-bytes");
        // the server refuses the file with the validator's first error, word for word
        Run run = ft.create("nano", chats.toString());
        assertThatThrownBy(run::await).isInstanceOf(RunFailedException.class)
                .satisfies(e -> assertThat(((RunFailedException) e).errorMessage())
                        .isEqualTo(forNano.firstError().orElseThrow().message()));
        assertThat(ft.validate(train.toString(), Method.REINFORCEMENT).format()).isEqualTo(Method.REINFORCEMENT);
        assertThat(forNano.problems().get(0).hint()).isEqualTo("Shorten the example or split it: a job refuses examples longer than the model's limit.");
        // a model the service does not have is an error, not OpenAI's rules in silence
        assertThatThrownBy(() -> ft.validate(chats.toString(), "nanoo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot validate for model 'nanoo': The model `nanoo` does not exist");
        // without a model, the facade of a local server says whose limit it checked, once
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try (FineTune fresh = FineTune.local(dir.resolve("server"))) {
            fresh.printTo(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(fresh.validate(chats.toString()).ok()).isTrue();
            assertThat(fresh.validate(chats.toString()).ok()).isTrue();
        }
        String note = "without a model, tokens are counted for OpenAI's limit";
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(note).contains("ft.validate(file, \"nano\") checks for one");
        assertThat(printed.toString(StandardCharsets.UTF_8).split(note, -1)).hasSize(2);
        Table models = ft.models();
        assertThat(models.intColumn("context_length").get(models.stringColumn("id").indexOf("nano"))).isEqualTo(128);
    }

    @Test
    void aWaitShowsTheJobsWarnings() throws Exception {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try (FineTune fresh = FineTune.local(dir.resolve("server"))) {
            fresh.printTo(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
            // one epoch of a model that starts from random weights: it has not learned its examples
            Run run = fresh.job("nano").train(train).epochs(1).batchSize(4).seed(3).create().await();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains(run.id()
                    + " warn: The mean training loss of the last epoch is ");
            // the events read before the wait, by a look at the metrics, are shown all the same
            Run read = fresh.job("nano").train(train).epochs(1).batchSize(4).seed(4).create();
            while (!read.refresh().job().isTerminal()) Thread.sleep(50);
            assertThat(read.metrics().rowCount()).isEqualTo(3);
            read.await();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains(read.id()
                    + " warn: The mean training loss of the last epoch is ");
        }
    }

    @Test
    void cleaningWithALocalModelDropsTheExamplesItsServerRefuses() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append(Json.write(Map.of("messages", List.of(Map.of("role", "user", "content", "q" + i),
                    Map.of("role", "assistant", "content", "a" + i))))).append('\n');
            // about 200 bytes: longer than nano's 128-token context
            sb.append(Json.write(Map.of("messages", List.of(
                    Map.of("role", "user", "content", "What is " + i + " plus one, please? Show no working, and answer politely."),
                    Map.of("role", "assistant", "content", "It is " + (i + 1) + ". Adding one moves to the next number, as ever.")))))
                    .append('\n');
        }
        Path chats = Files.writeString(dir.resolve("mixed.jsonl"), sb);
        Path cleaned = dir.resolve("mixed.clean.jsonl");

        DatasetCleaner.Result forNano = ft.clean(chats.toString(), cleaned.toString(), "nano");

        assertThat(forNano.kept()).isEqualTo(12);
        assertThat(forNano.dropped()).isEqualTo(Map.of(Category.TOO_MANY_TOKENS, 12L));
        assertThat(forNano.firstDropped().get(0).line()).isEqualTo(2);
        assertThat(ft.validate(cleaned.toString(), "nano").ok()).isTrue();
        // OpenAI's limits keep every line; a method names the format
        assertThat(ft.clean(chats.toString(), cleaned.toString()).kept()).isEqualTo(24);
        assertThat(ft.clean(chats.toString(), cleaned.toString(), Method.DPO).kept()).isZero();
    }

    private static void assertPng(byte[] png, int width, int height) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(width);
        assertThat(img.getHeight()).isEqualTo(height);
    }
}
