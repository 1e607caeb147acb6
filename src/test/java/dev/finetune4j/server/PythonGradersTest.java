package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.grade.PythonExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python graders on the server: who may use them, their validation, and stopping the jobs that run them. */
class PythonGradersTest {
    private static final String HANGS = "def grade(sample, item):\n while True: pass";

    @TempDir
    Path dir;
    LocalServer server;
    Http http;

    @BeforeEach
    void start() {
        start(LocalServer.builder());
    }

    private void start(LocalServer.Builder builder) {
        server = builder.dataDir(dir).start();
        http = new Http(server.baseUrl(), server.apiKey());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static void needsPython() {
        assumeTrue(new PythonExecutor().available(), "python3 is not on the PATH: python grader tests skipped");
    }

    static Map<String, Object> python(String source) {
        return Map.of("type", "python", "name", "code", "source", source);
    }

    /** A short job: one epoch of 4 answers per prompt (the counts of the warnings below). */
    static Map<String, Object> reinforcement(String file, Map<String, Object> grader) {
        return Map.of("model", "nano", "training_file", file, "seed", 1, "method", Map.of("type", "reinforcement",
                "reinforcement", Map.of("grader", grader, "hyperparameters", Map.of("n_epochs", 1, "batch_size", 4,
                        "compute_multiplier", 1))));
    }

    /** Twelve prompts, each with an {@code answer} field (or only messages). */
    static byte[] prompts(boolean withAnswer) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"What is ").append(i).append("+1?\"}]")
                    .append(withAnswer ? ",\"answer\":\"" + (i + 1) + "\"" : "").append("}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String otherProjectKey() {
        Http.Response created = http.as(server.adminKey()).post("/organization/projects", Map.of("name", "team-b"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().get("api_key").asText();
    }

    JsonNode await(String jobId, Predicate<JsonNode> until, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            JsonNode job = http.get("/fine_tuning/jobs/" + jobId).json();
            if (until.test(job)) return job;
            assertThat(System.nanoTime()).as("waiting for %s, last %s", jobId, job).isLessThan(deadline);
            LocalServerHttpTest.sleep(20);
        }
    }

    String createJob(Http h, Map<String, Object> body) {
        Http.Response r = h.post("/fine_tuning/jobs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    /** The python processes of this JVM (graders and what they started). */
    private static List<ProcessHandle> pythons() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse(p.info().command().orElse("")).contains("python"))
                .toList();
    }

    private static void awaitPython(boolean running, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (pythons().isEmpty() == running) {
            assertThat(System.nanoTime()).as(running ? "a python grader starts" : "no python process remains: %s",
                    pythons()).isLessThan(deadline);
            LocalServerHttpTest.sleep(20);
        }
    }

    @Test
    void onlyTheServersOwnerMayUsePythonGraders() {
        String otherKey = otherProjectKey();
        Http other = http.as(otherKey);
        Map<String, Object> run = Map.of("grader", python("def grade(s, i):\n    return 1.0\n"), "model_sample", "x");
        for (String path : List.of("/fine_tuning/alpha/graders/run", "/fine_tuning/alpha/graders/validate")) {
            Http.Response refused = other.post(path, path.endsWith("run") ? run : Map.of("grader", run.get("grader")));
            assertThat(refused.status()).as(path + " " + refused.body()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("python_grader_not_allowed");
            assertThat(refused.param()).isEqualTo("grader");
            assertThat(refused.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
            assertThat(refused.json().at("/error/message").asText())
                    .contains("run code on the server's machine").contains("--python-graders all");
        }
        // inside a multi grader too
        Map<String, Object> multi = Map.of("type", "multi", "name", "m", "calculate_output", "code",
                "graders", Map.of("code", python("def grade(s, i):\n    return 1.0\n")));
        assertThat(other.post("/fine_tuning/alpha/graders/run", Map.of("grader", multi, "model_sample", "x")).param())
                .isEqualTo("grader.graders.code");
        String file = LocalServerHttpTest.upload(other, prompts(true));
        Http.Response job = other.post("/fine_tuning/jobs", reinforcement(file, python("def grade(s, i):\n    return 1\n")));
        assertThat(job.status()).as(job.body()).isEqualTo(403);
        assertThat(job.param()).isEqualTo("method.reinforcement.grader");
        // graders that run no code are every project's
        Map<String, Object> check = Map.of("type", "string_check", "name", "eq", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "x");
        assertThat(other.post("/fine_tuning/alpha/graders/run", Map.of("grader", check, "model_sample", "x")).status())
                .isEqualTo(200);

        needsPython();
        Http.Response own = http.post("/fine_tuning/alpha/graders/run", run);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.json().get("reward").asDouble()).isEqualTo(1.0);
        Http.Response admin = http.as(server.adminKey()).post("/fine_tuning/alpha/graders/run", run);
        assertThat(admin.json().get("reward").asDouble()).isEqualTo(1.0);

        // an operator allows them for every project, or for none
        server.close();
        start(LocalServer.builder().pythonGraders(LocalServer.PythonGraders.ALL));
        assertThat(http.as(otherKey).post("/fine_tuning/alpha/graders/run", run).json().get("reward").asDouble())
                .isEqualTo(1.0);
        server.close();
        start(LocalServer.builder().pythonGraders(LocalServer.PythonGraders.NONE));
        Http.Response none = http.post("/fine_tuning/alpha/graders/run", run);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().at("/error/message").asText()).contains("disabled").contains("--python-graders owner");
    }

    @Test
    void pythonGradersRunInTheServersSandboxAndCannotReachItsApi() {
        needsPython();
        server.close();
        start(LocalServer.builder().pythonSandbox(PythonExecutor.Sandbox.standard(PythonExecutor.DEFAULT_TIMEOUT)
                .withMemoryBytes(256L << 20)));
        Http.Response big = http.post("/fine_tuning/alpha/graders/run", Map.of("model_sample", "x", "grader",
                python("def grade(s, i):\n    block = bytearray(1 << 30)\n    return 1.0\n")));
        assertThat(big.status()).as(big.body()).isEqualTo(200);
        assertThat(big.json().get("reward").asDouble()).isZero();
        assertThat(big.json().at("/metadata/errors/python_grader_runtime_error_details").asText())
                .startsWith("the grader ran out of its memory limit of 256 MB");

        assumeTrue(new PythonExecutor().networkIsolated(), "unshare -r -n cannot make a network namespace here:"
                + " python graders have the network");
        java.net.URI api = java.net.URI.create(server.baseUrl());
        Http.Response call = http.post("/fine_tuning/alpha/graders/run", Map.of("model_sample", "x", "grader",
                python("import socket\ndef grade(s, i):\n    socket.create_connection(('" + api.getHost() + "', "
                        + api.getPort() + "), timeout=5).close()\n    return 1.0\n")));
        assertThat(call.json().get("reward").asDouble()).as(call.body()).isZero();
        assertThat(call.json().at("/metadata/errors/python_grader_runtime_error_details").asText())
                .startsWith("python graders have no network access");
    }

    @Test
    void aGraderCannotReadTheServersKeysOrOtherProjectsFiles() throws Exception {
        needsPython();
        server.close();
        start(LocalServer.builder().pythonGraders(LocalServer.PythonGraders.ALL));
        Path data = dir.toRealPath();
        try (PythonExecutor probe = new PythonExecutor().withSandbox(PythonExecutor.Sandbox.standard(
                PythonExecutor.DEFAULT_TIMEOUT).withHiddenPaths(List.of(data)))) {
            assumeTrue(!probe.pathsHidden().isEmpty(), "mount namespaces are unavailable here: python graders can"
                    + " read the data directory (" + probe.describeSandbox() + ")");
        }
        assertThat(server.pythonGradersNote()).contains("; hidden from graders: " + data);
        Http other = http.as(otherProjectKey());
        LocalServerHttpTest.upload(http, prompts(true)); // the default project's file, in the data directory
        // each score is how much the grader read: the admin key, the database, the folder's listing
        Map<String, Object> run = Map.of("model_sample", "x", "grader", python("""
                import os
                def grade(sample, item):
                    d = '%s'
                    return float(len(os.listdir(d)) + len(open(os.path.join(d, 'keys', 'admin.key')).read()))
                """.formatted(data)));
        Http.Response r = other.post("/fine_tuning/alpha/graders/run", run);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("reward").asDouble()).isZero();
        assertThat(r.json().at("/metadata/errors/python_grader_runtime_error_details").asText())
                .startsWith("python graders cannot see " + data + ": the server hides it from them")
                .contains("FileNotFoundError").doesNotContain(server.adminKey());
        Map<String, Object> lists = Map.of("model_sample", "x", "grader", python("""
                import os
                def grade(sample, item):
                    return float(sum(len(files) for _, _, files in os.walk('%s')))
                """.formatted(data)));
        assertThat(other.post("/fine_tuning/alpha/graders/run", lists).json().get("reward").asDouble())
                .as("files of the data directory a grader finds").isZero();
        assertThat(java.nio.file.Files.readString(dir.resolve("keys/admin.key")).trim()).isEqualTo(server.adminKey());
    }

    @Test
    void aProjectsPythonGradersRunApartFromOtherProjects() {
        needsPython();
        server.close();
        start(LocalServer.builder().pythonGraders(LocalServer.PythonGraders.ALL));
        Http other = http.as(otherProjectKey());
        // a grader can leave state in an imported module of its python process; another project must not see it
        Map<String, Object> leave = Map.of("model_sample", "x", "grader", python("""
                import json
                def grade(sample, item):
                    json.left_by = 'team-a'
                    return 1.0
                """));
        Map<String, Object> look = Map.of("model_sample", "x", "grader", python("""
                import json
                def grade(sample, item):
                    return 1.0 if getattr(json, 'left_by', None) else 0.0
                """));
        assertThat(http.post("/fine_tuning/alpha/graders/run", leave).json().get("reward").asDouble()).isEqualTo(1.0);
        assertThat(other.post("/fine_tuning/alpha/graders/run", look).json().get("reward").asDouble())
                .as("another project's grader sees the state").isEqualTo(0.0);
        assertThat(http.post("/fine_tuning/alpha/graders/run", look).json().get("reward").asDouble())
                .as("the project's own next grade runs in the same process").isEqualTo(1.0);
    }

    @Test
    void validationCompilesTheSourceWithoutRunningIt() {
        needsPython();
        Http.Response syntax = http.post("/fine_tuning/alpha/graders/validate",
                Map.of("grader", python("def grade(s, i):\n    return (1.0\n")));
        assertThat(syntax.status()).as(syntax.body()).isEqualTo(400);
        assertThat(syntax.param()).isEqualTo("grader.source");
        assertThat(syntax.json().at("/error/message").asText()).contains("line 2").contains("SyntaxError");
        Http.Response noGrade = http.post("/fine_tuning/alpha/graders/validate",
                Map.of("grader", python("def score(s, i):\n    return 1.0\n")));
        assertThat(noGrade.status()).isEqualTo(400);
        assertThat(noGrade.json().at("/error/message").asText()).contains("does not define a function grade");
        assertThat(http.post("/fine_tuning/alpha/graders/validate", Map.of("grader", python(HANGS))).status())
                .as("a valid source is compiled, not run").isEqualTo(200);
        String file = LocalServerHttpTest.upload(http, prompts(true));
        Http.Response job = http.post("/fine_tuning/jobs", reinforcement(file, python("def grade(s, i)\n    return 1\n")));
        assertThat(job.status()).as(job.body()).isEqualTo(400);
        assertThat(job.param()).isEqualTo("method.reinforcement.grader.source");
    }

    @Test
    void cancellingAJobWhosePythonGraderHangsKillsItAndFreesTheQueue() {
        needsPython();
        assertThat(pythons()).isEmpty();
        String prompts = LocalServerHttpTest.upload(http, prompts(true));
        String hanging = createJob(http, reinforcement(prompts, python(HANGS)));
        awaitPython(true, Duration.ofSeconds(60));
        String next = createJob(http, Map.of("model", "nano", "training_file",
                LocalServerHttpTest.upload(http, LocalServerHttpTest.jsonl(12)), "hyperparameters", Map.of("n_epochs", 1)));
        await(next, LocalServerHttpTest.status("queued"), Duration.ofSeconds(30));
        assertThat(http.post("/fine_tuning/jobs/" + hanging + "/cancel", (String) null).status()).isEqualTo(200);
        await(next, j -> !j.path("status").asText().equals("queued"), Duration.ofSeconds(5));
        awaitPython(false, Duration.ofSeconds(5));
        assertThat(http.get("/fine_tuning/jobs/" + hanging).json().get("status").asText()).isEqualTo("cancelled");
        await(next, LocalServerHttpTest.TERMINAL, Duration.ofSeconds(60));

        // a server that closes kills the graders of its jobs, which resume at the next start
        String again = createJob(http, reinforcement(prompts, python(HANGS)));
        awaitPython(true, Duration.ofSeconds(60));
        long closing = System.nanoTime();
        server.close();
        server = null;
        assertThat((System.nanoTime() - closing) / 1e9).as("seconds to close").isLessThan(10.0);
        awaitPython(false, Duration.ofSeconds(5));
        assertThat(again).isNotNull();
    }

    @Test
    void aGraderReadingAFieldTheExamplesLackFailsTheJobWhileItsFilesAreValidated() {
        String file = LocalServerHttpTest.upload(http, prompts(false));
        Map<String, Object> grader = Map.of("type", "string_check", "name", "eq", "operation", "eq",
                "input", "{{sample.output_text}}", "reference", "{{ item.answer }}");
        JsonNode job = await(createJob(http, reinforcement(file, grader)), LocalServerHttpTest.TERMINAL,
                Duration.ofSeconds(30));
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.at("/error/param").asText()).isEqualTo("training_file");
        assertThat(job.at("/error/message").asText()).startsWith("Line 1: the grader reads item.answer")
                .contains("(its fields: messages)");
    }

    @Test
    void samplesTheGraderCannotScoreAreReportedAsWarningsOncePerEpoch() {
        needsPython();
        String file = LocalServerHttpTest.upload(http, prompts(true));
        // the item is the example without its messages (and tools)
        String source = """
                def grade(sample, item):
                    assert 'messages' not in item, 'the item holds the messages'
                    raise ValueError('cannot grade ' + item['answer'])
                """;
        JsonNode job = await(createJob(http, reinforcement(file, python(source))), LocalServerHttpTest.TERMINAL,
                Duration.ofSeconds(120));
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        List<String> warnings = new ArrayList<>();
        http.get("/fine_tuning/jobs/" + job.get("id").asText() + "/events?limit=1000").json().get("data")
                .forEach(e -> {
                    if (e.get("level").asText().equals("warn")) warnings.add(e.get("message").asText());
                });
        assertThat(warnings).hasSize(2);
        // newest first: the epoch's summary, then the first step's warning
        assertThat(warnings.get(1)).matches("Step 1: 16 of 16 graded samples could not be scored and count as"
                + " reward 0; the first error: python_grader_runtime_error: ValueError: cannot grade \\d+");
        assertThat(warnings.get(0)).startsWith("Epoch 1: 48 of 48 graded samples could not be scored");
    }
}
