package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RunPartsTest {
    private static final String CSV = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,2.5,0.1,,\n2,2.0,0.2,2.2,0.1\n";

    /** A kernel that keeps what each display shows. */
    static final class RecordingKernel implements dev.finetune4j.notebook.kernel.Kernel {
        final java.util.Map<String, java.util.Map<String, String>> displays = new java.util.LinkedHashMap<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String show(java.util.Map<String, String> bundle) {
            String id = "d" + displays.size();
            displays.put(id, bundle);
            return id;
        }

        @Override
        public void update(String displayId, java.util.Map<String, String> bundle) {
            displays.put(displayId, bundle);
        }
    }

    @Test
    void aFinishedNotebookBarGivesWayToItsLastLineAndAnUnfinishedOneStays() {
        RecordingKernel kernel = new RecordingKernel();
        try (NotebookProgress p = new NotebookProgress(kernel)) {
            p.update(new Progress.Snapshot("evaluating m", "running", 3, 10, 1.0, null, Duration.ofSeconds(5), Progress.Kind.SCORES));
            p.update(new Progress.Snapshot("evaluated m", "done", 10, 10, 1.0, null, null, Progress.Kind.SCORES));
        }
        assertThat(kernel.displays.get("d0").get("text/plain")).contains("evaluated m").contains("10/10");
        assertThat(kernel.displays.get("d0").get("text/html")).doesNotContain("<progress");
        try (NotebookProgress p = new NotebookProgress(kernel)) {
            p.update(new Progress.Snapshot("ftjob-1", "running", 3, 10, 1.0, null, null, Progress.Kind.LOSSES));
        }
        assertThat(kernel.displays.get("d1").get("text/plain")).contains("3/10");
    }

    @Test
    void resultFilesAreReadAsCsvOrAsBase64OfIt() throws Exception {
        assertThat(read(Run.csvStream(stream(CSV)))).isEqualTo(CSV);
        String b64 = Base64.getMimeEncoder().encodeToString(CSV.getBytes(StandardCharsets.UTF_8));
        assertThat(read(Run.csvStream(stream(b64)))).isEqualTo(CSV);
    }

    @Test
    void failedAndCancelledJobsExplainThemselves() {
        FineTuningJob failed = Json.read("""
                {"id":"ftjob-1","status":"failed","error":{"code":"invalid_training_file",
                 "message":"line 3: invalid JSON","param":"training_file"}}""", FineTuningJob.class);
        RunFailedException e = new RunFailedException(failed);
        assertThat(e).hasMessage("ftjob-1 failed: invalid_training_file: line 3: invalid JSON (param: training_file)");
        assertThat(e.code()).isEqualTo("invalid_training_file");
        assertThat(e.param()).isEqualTo("training_file");
        FineTuningJob cancelled = Json.read("{\"id\":\"ftjob-2\",\"status\":\"cancelled\"}", FineTuningJob.class);
        assertThat(new RunFailedException(cancelled)).hasMessage("ftjob-2 was cancelled");
        assertThat(new RunFailedException(cancelled).errorMessage()).isNull();
    }

    @Test
    void progressLinesCarryStepLossAndEta() {
        Progress.Snapshot s = new Progress.Snapshot("ftjob-1", "running", 120, 300, 0.5321, 0.61, Duration.ofSeconds(45));
        assertThat(s.line()).isEqualTo("ftjob-1 running  step 120/300 40%  train_loss 0.5321  valid_loss 0.6100  ETA 0:45");
        assertThat(new Progress.Snapshot("ftjob-1", "queued", 0, 0, null, null, null).line()).isEqualTo("ftjob-1 queued");
        Progress.Snapshot rft = new Progress.Snapshot("ftjob-2", "running", 3, 26, 0.375, 0.125, null, true);
        assertThat(rft.line()).isEqualTo("ftjob-2 running  step 3/26 11%  train_reward 0.375  valid_reward 0.125");
        assertThat(rft.extra()).isEqualTo("reward 0.375 valid 0.125");
        assertThat(s.extra()).isEqualTo("loss 0.5321 valid 0.6100");
        assertThat(new Progress.Snapshot("ftjob-1", "succeeded", 300, 300, 0.25, null, null).extra())
                .isEqualTo("succeeded loss 0.2500");
        assertThat(Progress.Snapshot.clock(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
    }

    @Test
    void logProgressPrintsOnStatusChangesAndEveryTenthOfTheSteps() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineProgress p = new LineProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        p.update(new Progress.Snapshot("j", "queued", 0, 0, null, null, null));
        p.update(new Progress.Snapshot("j", "queued", 0, 0, null, null, null));
        for (int step = 1; step <= 100; step++) p.update(new Progress.Snapshot("j", "running", step, 100, 1.0, null, null));
        p.update(new Progress.Snapshot("j", "succeeded", 100, 100, 1.0, null, null));
        p.close();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).isEqualTo("j queued");
        assertThat(lines).hasSize(1 + 1 + 10 + 1); // queued, first running step, each further tenth, succeeded
        assertThat(lines[lines.length - 1]).startsWith("j succeeded  step 100/100 100%");
    }

    @Test
    void aBarClosedAtOnceStillEndsItsLine() {
        // the library's first refresh races with a close right after the bar appears (a finished job re-attached):
        // when the close wins, the library itself ends no line
        for (int i = 0; i < 50; i++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            BarProgress p = new BarProgress(out);
            p.update(new Progress.Snapshot("j", "succeeded", 100, 100, 1.0, null, null));
            p.close();
            out.print("next");
            assertThat(bytes.toString(StandardCharsets.UTF_8)).as("bar %d", i).contains("100/100").endsWith("\nnext");
        }
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aWaitShowsTheLatestTenNotesAndCountsTheOthers() {
        List<String> few = java.util.stream.IntStream.range(0, 10).mapToObj(i -> "warn " + i).toList();
        assertThat(Run.latest(few, "ftjob-1")).isEqualTo(few);
        List<String> many = java.util.stream.IntStream.range(0, 13).mapToObj(i -> "warn " + i).toList();
        assertThat(Run.latest(many, "ftjob-1")).hasSize(11)
                .startsWith("ftjob-1 (3 earlier warnings: run.events() lists every event)", "warn 3").endsWith("warn 12");
    }

    private static String read(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
