package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real kill: the server runs in a child JVM, is destroyed forcibly mid-training, and starts again. */
class RestartAfterKillTest {
    @TempDir
    Path dir;
    Process child;

    static Process startChild(Path dir, String engine) throws IOException {
        return startChild(dir, engine, 3);
    }

    static Process startChild(Path dir, String engine, int stateEverySteps) throws IOException {
        return startChild(dir, engine, stateEverySteps, false);
    }

    /** With {@code vectorKernel}, the child trains on the Vector API matrix kernel, else on the portable one. */
    static Process startChild(Path dir, String engine, int stateEverySteps, boolean vectorKernel) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        if (vectorKernel) command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                ChildServer.class.getName(), dir.toString(), engine, Integer.toString(stateEverySteps)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("URL ")) break;
            assertThat(System.nanoTime()).as("child server did not start").isLessThan(deadline);
        }
        assertThat(line).as("child server output ended before it started").isNotNull();
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe empty so that the child never blocks on its output
                }
            } catch (IOException ignored) {
                // the child died; nothing more to read
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    @AfterEach
    void kill() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static List<JsonNode> metrics(Http http, String job) {
        List<JsonNode> out = new ArrayList<>();
        http.get("/fine_tuning/jobs/" + job + "/events?limit=10000").json().get("data").forEach(e -> {
            if ("metrics".equals(e.path("type").asText())) out.add(e);
        });
        Collections.reverse(out);
        return out;
    }

    @Test
    void killedMidTrainingTheJobResumesWithTheMetricsOfAnUninterruptedRun() throws Exception {
        child = startChild(dir, "40");
        LocalServer handle = LocalServer.start(dir);
        assertThat(handle.attached()).as("a second start on the directory talks to the running daemon").isTrue();
        Http http = new Http(handle.baseUrl(), handle.apiKey());
        Http.Response file = http.multipart("/files", Map.of("purpose", "fine-tune"), "file", "train.jsonl",
                LocalServerHttpTest.jsonl(40));
        String job = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file.json().get("id").asText(),
                "seed", 11)).json().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (metrics(http, job).size() < 8) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (DataDirLock lock = DataDirLock.tryAcquire(dir)) {
            assertThat(lock).as("the lock dies with the killed process").isNotNull();
        }

        child = startChild(dir, "40");
        handle = LocalServer.start(dir);
        http = new Http(handle.baseUrl(), handle.apiKey());
        JsonNode done;
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            done = http.get("/fine_tuning/jobs/" + job).json();
            if (List.of("succeeded", "failed", "cancelled").contains(done.get("status").asText())) break;
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        List<JsonNode> m = metrics(http, job);
        assertThat(m).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(m.get(i).at("/data/step").asInt()).isEqualTo(i + 1);
            assertThat(m.get(i).at("/data/train_loss").asDouble())
                    .isEqualTo((Double) CountingEngine.metrics(11, i + 1, 40).get("train_loss"));
        }
        String csv = http.get("/files/" + done.get("result_files").get(0).asText() + "/content").body();
        assertThat(csv.lines().count()).isEqualTo(41);
    }

    static JsonNode awaitTerminal(Http http, String job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            JsonNode j = http.get("/fine_tuning/jobs/" + job).json();
            if (List.of("succeeded", "failed", "cancelled").contains(j.get("status").asText())) return j;
            assertThat(System.nanoTime()).as("job %s still %s", job, j.get("status")).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static List<JsonNode> data(List<JsonNode> events) {
        return events.stream().map(e -> e.get("data")).toList();
    }

    @Test
    void killedBeforeAnyStateWasSavedTheJobStartsOverWithoutDuplicateEvents() throws Exception {
        child = startChild(dir, "40", 1000);
        LocalServer handle = LocalServer.start(dir);
        Http http = new Http(handle.baseUrl(), handle.apiKey());
        String file = http.multipart("/files", Map.of("purpose", "fine-tune"), "file", "train.jsonl",
                LocalServerHttpTest.jsonl(40)).json().get("id").asText();
        String job = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file, "seed", 4))
                .json().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (metrics(http, job).size() < 5) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        child = startChild(dir, "40", 1000);
        handle = LocalServer.start(dir);
        http = new Http(handle.baseUrl(), handle.apiKey());
        assertThat(awaitTerminal(http, job).get("status").asText()).isEqualTo("succeeded");
        List<JsonNode> m = metrics(http, job);
        assertThat(m).hasSize(40);
        for (int i = 0; i < 40; i++) assertThat(m.get(i).at("/data/step").asInt()).isEqualTo(i + 1);
        assertThat(http.get("/fine_tuning/jobs/" + job + "/checkpoints").json().get("data")).hasSize(2);
    }

    @Test
    void realEngineKilledMidTrainingEndsWithTheMetricsOfAnUninterruptedRun() throws Exception {
        // killed on the portable matrix kernel, resumed (and compared with a straight run) on the vector one: the
        // two give the same bits, so a job can move between JVMs started either way
        child = startChild(dir, "real", 3, false);
        LocalServer handle = LocalServer.start(dir);
        Http http = new Http(handle.baseUrl(), handle.apiKey());
        byte[] data = java.nio.file.Files.readAllBytes(EndToEndTest.sampleData(dir));
        String file = http.multipart("/files", Map.of("purpose", "fine-tune"), "file", "train.jsonl", data)
                .json().get("id").asText();
        Map<String, Object> body = Map.of("model", "nano", "training_file", file, "seed", 3,
                "hyperparameters", Map.of("n_epochs", 4, "batch_size", 1));
        String job = http.post("/fine_tuning/jobs", body).json().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (metrics(http, job).size() < 20) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        child = startChild(dir, "real", 3, true);
        handle = LocalServer.start(dir);
        http = new Http(handle.baseUrl(), handle.apiKey());
        JsonNode resumed = awaitTerminal(http, job);
        assertThat(resumed.get("status").asText()).as(resumed.toString()).isEqualTo("succeeded");
        JsonNode straight = awaitTerminal(http, http.post("/fine_tuning/jobs", body).json().get("id").asText());
        assertThat(straight.get("status").asText()).isEqualTo("succeeded");
        List<JsonNode> a = metrics(http, job);
        List<JsonNode> b = metrics(http, straight.get("id").asText());
        assertThat(a).hasSize(b.size());
        assertThat(data(a)).isEqualTo(data(b));
        assertThat(resumed.get("trained_tokens")).isEqualTo(straight.get("trained_tokens"));
        assertThat(http.get("/fine_tuning/jobs/" + job + "/events?limit=10000").body())
                .contains("The server restarted; the job is queued to resume from step");
    }
}
