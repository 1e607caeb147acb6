package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local engine trains from a file larger than the heap: in a child JVM with a 48 MB heap it tokenizes a 64 MB
 * training file (as text in memory it would take several times that) and runs its first steps.
 */
class TrainingMemoryTest {
    @TempDir
    Path dir;

    @Test
    void trainsFromAFileLargerThanTheHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        boolean exited = p.waitFor(240, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) p.destroyForcibly();
        assertThat(exited).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("trained 3 steps over 600000 examples");
        assertThat(Files.size(dir.resolve("train.jsonl"))).isGreaterThan(64L << 20);
    }

    /** Runs in the child JVM: writes the file, prepares the run, trains three steps, stops. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            Path file = dir.resolve("train.jsonl");
            try (BufferedWriter w = Files.newBufferedWriter(file)) {
                for (int i = 0; i < 600_000; i++) {
                    w.write("{\"messages\": [{\"role\": \"user\", \"content\": \"What is " + i + " plus one, please?\"}, "
                            + "{\"role\": \"assistant\", \"content\": \"" + (i + 1) + ".\"}]}\n");
                }
            }
            Path work = Files.createDirectories(dir.resolve("job"));
            LocalEngine engine = new LocalEngine(1);
            try (Engine.Training t = engine.prepare(new Engine.TrainingSpec("nano", "supervised", file, null, 4, 1.0, 1, Map.of(), null, 1, null, work, null))) {
                int[] steps = {0};
                boolean done = t.run(null, new Engine.Listener() {
                    @Override
                    public void onStep(int step, Map<String, Object> metrics) {
                        steps[0] = step;
                    }

                    @Override
                    public void onEpochEnd(int epoch, int step, Map<String, Object> metrics) {}

                    @Override
                    public boolean stopRequested() {
                        return steps[0] >= 3;
                    }
                });
                if (done || steps[0] != 3) throw new AssertionError("expected a stop after 3 steps, got " + steps[0]);
                System.out.println("trained " + steps[0] + " steps over " + t.resolved().stepsPerEpoch() * 4 + " examples");
            }
        }
    }
}
