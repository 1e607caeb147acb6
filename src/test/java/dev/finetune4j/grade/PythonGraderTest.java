package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonGraderTest {
    private static final JsonNode ITEM = Json.tree("{\"label\": \"Paris\", \"weights\": [0.25, 0.75]}");
    private static final PythonExecutor PYTHON = new PythonExecutor("python3", Duration.ofSeconds(30));

    private static void needsPython() {
        assumeTrue(PYTHON.available(), "python3 is not on the PATH: python grader tests skipped");
    }

    private static void needsPosix(String why) {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), why);
    }

    private static GraderRunResponse run(String source, String sample) {
        return run(PYTHON, source, sample);
    }

    private static GraderRunResponse run(PythonExecutor executor, String source, String sample) {
        ObjectNode grader = JsonNodeFactory.instance.objectNode();
        grader.put("type", "python").put("name", "py").put("source", source);
        return new GraderRunner(null, executor).run(Graders.parse(grader), sample, ITEM);
    }

    @Test
    void gradeSeesSampleAndItemAsDicts() {
        needsPython();
        String source = """
                def grade(sample, item) -> float:
                    print("debug output goes to stderr, not into the result")
                    score = 1.0 if sample["output_text"] == item["label"] else 0.0
                    if sample["output_json"] is not None:
                        score = sample["output_json"]["x"] * item["weights"][1]
                    assert sample["choices"][0]["message"]["role"] == "assistant"
                    assert sample["output_tools"] == []
                    return score
                """;
        GraderRunResponse exact = run(source, "Paris");
        assertThat(exact.reward()).isEqualTo(1.0);
        assertThat(exact.metadata().errors().pythonGraderRuntimeError()).isFalse();
        assertThat(exact.metadata().type()).isEqualTo("python");
        assertThat(run(source, "Rome").reward()).isEqualTo(0.0);
        assertThat(run(source, "{\"x\": 0.5}").reward()).isEqualTo(0.375);
    }

    @Test
    void integersCountAsNumbersButOtherTypesDoNot() {
        needsPython();
        assertThat(run("def grade(s, i):\n    return 1\n", "x").reward()).isEqualTo(1.0);
        GraderRunResponse text = run("def grade(s, i):\n    return '0.9'\n", "x");
        assertThat(text.reward()).isEqualTo(0.0);
        assertThat(text.metadata().errors().pythonGraderRuntimeError()).isTrue();
        assertThat(text.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("returned str");
        assertThat(run("def grade(s, i):\n    return True\n", "x").metadata().errors().pythonGraderRuntimeError())
                .isTrue();
        assertThat(run("def grade(s, i):\n    return float('nan')\n", "x").metadata().errors()
                .pythonGraderRuntimeErrorDetails()).contains("finite");
    }

    @Test
    void exceptionsScoreZeroWithTheTraceback() {
        needsPython();
        GraderRunResponse r = run("def grade(s, i):\n    return 1 / 0\n", "x");
        assertThat(r.reward()).isEqualTo(0.0);
        assertThat(r.metadata().errors().pythonGraderRuntimeError()).isTrue();
        assertThat(r.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("ZeroDivisionError")
                .contains("grader.py");
        GraderRunResponse syntax = run("def grade(s, i)\n    return 1\n", "x");
        assertThat(syntax.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("SyntaxError");
        GraderRunResponse noFunction = run("x = 1\n", "x");
        assertThat(noFunction.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("does not define");
        GraderRunResponse exit = run("import sys\ndef grade(s, i):\n    sys.exit(3)\n", "x");
        assertThat(exit.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("SystemExit");
    }

    @Test
    void timeoutKillsTheProcess() {
        needsPython();
        PythonExecutor quick = new PythonExecutor("python3", Duration.ofMillis(1500));
        long start = System.nanoTime();
        GraderRunResponse r = run(quick, "def grade(s, i):\n    while True:\n        pass\n", "x");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(15.0);
        assertThat(r.reward()).isEqualTo(0.0);
        assertThat(r.metadata().errors().pythonGraderRuntimeError()).isTrue();
        assertThat(r.metadata().errors().unresponsiveRewardError()).isTrue();
        assertThat(r.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("within 1.5 s");
    }

    @Test
    void missingInterpreterIsAServerError() {
        PythonExecutor absent = new PythonExecutor("/nonexistent/python3", Duration.ofSeconds(5));
        assertThat(absent.available()).isFalse();
        GraderRunResponse r = run(absent, "def grade(s, i):\n    return 1.0\n", "x");
        assertThat(r.reward()).isEqualTo(0.0);
        assertThat(r.metadata().errors().pythonGraderServerError()).isTrue();
        assertThat(r.metadata().errors().pythonGraderServerErrorType()).isEqualTo("python_unavailable");
    }

    @Test
    void aHungInterpreterIsUnavailableWithinTheTimeout(@TempDir Path dir) throws Exception {
        Path hung = dir.resolve("python3");
        java.nio.file.Files.writeString(hung, "#!/bin/sh\nsleep 60\n");
        assertThat(hung.toFile().setExecutable(true)).isTrue();
        PythonExecutor executor = new PythonExecutor(hung.toString(), Duration.ofSeconds(1));
        CompletableFuture<Boolean> available = CompletableFuture.supplyAsync(executor::available);
        // before, the start-up probe read the launcher's output to its end, and so waited the whole minute
        assertThat(available.get(20, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void theEnvironmentHoldsPathAndItsOwnHomeAndNothingOfTheServers() {
        Path home = Path.of("/tmp/run-1/work");
        Map<String, String> env = PythonExecutor.environment(Map.of("PATH", "/usr/bin", "HOME", "/home/me",
                "OPENAI_API_KEY", "sk-secret", "OPENAI_ADMIN_KEY", "sk-admin", "USER", "me"), home);
        assertThat(env).containsEntry("PATH", "/usr/bin").containsEntry("HOME", home.toString())
                .containsEntry("TMPDIR", home.toString()).containsEntry("LC_ALL", "C.UTF-8")
                .containsEntry("OPENBLAS_NUM_THREADS", "2").containsEntry("OMP_NUM_THREADS", "2")
                .doesNotContainKeys("OPENAI_API_KEY", "OPENAI_ADMIN_KEY", "USER");
    }

    @Test
    void theGraderRunsInAnEmptyFolderOfItsOwnWithoutTheServersVariables() {
        needsPython();
        // a variable of this JVM's environment that a grader must not see (USER, JAVA_HOME, ...)
        String inherited = System.getenv().keySet().stream()
                .filter(k -> !PythonExecutor.environment(System.getenv(), Path.of("/tmp")).containsKey(k)).findFirst()
                .orElseThrow();
        String source = """
                import os
                def grade(sample, item):
                    assert 'PATH' in os.environ, 'no PATH'
                    assert os.environ['HOME'] == os.getcwd(), 'HOME is ' + os.environ['HOME']
                    assert os.listdir('.') == [], os.listdir('.')
                    assert item['name'] not in os.environ, item['name'] + ' was inherited'
                    return 1.0
                """;
        ObjectNode grader = JsonNodeFactory.instance.objectNode();
        grader.put("type", "python").put("name", "py").put("source", source);
        GraderRunResponse r = new GraderRunner(null, PYTHON).run(Graders.parse(grader), "x",
                Json.tree(Json.write(Map.of("name", inherited))));
        assertThat(r.metadata().errors().pythonGraderRuntimeErrorDetails()).isNull();
        assertThat(r.reward()).isEqualTo(1.0);
    }

    @Test
    void stopKillsTheRunningGraderAndItsChildrenAndRefusesNewRuns() throws Exception {
        needsPython();
        PythonExecutor executor = PYTHON.copy();
        String source = """
                import subprocess, sys
                def grade(sample, item):
                    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])
                    while True:
                        pass
                """;
        List<ProcessHandle> before = pythons(); // idle processes of other executors
        CompletableFuture<GraderRunResponse> running = CompletableFuture.supplyAsync(() -> run(executor, source, "x"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<ProcessHandle> started = List.of();
        while (started.size() < 2) {
            assertThat(System.nanoTime()).as("the grader and its child start").isLessThan(deadline);
            Thread.sleep(20);
            started = pythons().stream().filter(p -> !before.contains(p)).toList();
        }
        long stopAt = System.nanoTime();
        executor.stop();
        GraderRunResponse r = running.get(10, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - stopAt) / 1e9).as("seconds to stop").isLessThan(5.0);
        assertThat(r.reward()).isZero();
        assertThat(r.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("stopped");
        for (ProcessHandle p : started) p.onExit().get(5, TimeUnit.SECONDS);
        assertThat(started).noneMatch(ProcessHandle::isAlive);
        long again = System.nanoTime();
        assertThat(executor.run("def grade(s, i):\n    return 1.0\n", JsonNodeFactory.instance.objectNode(), null)
                .status()).isEqualTo(PythonExecutor.Status.STOPPED);
        assertThat((System.nanoTime() - again) / 1e9).isLessThan(1.0);
        // the executor it was copied from still runs graders
        assertThat(run("def grade(s, i):\n    return 1.0\n", "x").reward()).isEqualTo(1.0);
    }

    @Test
    void oneProcessGradesSampleAfterSampleInFreshGlobalsAndAnEmptyFolder() {
        needsPython();
        PythonExecutor executor = PYTHON.copy();
        String source = """
                import os
                seen = []
                def grade(sample, item):
                    assert os.listdir('.') == [], os.listdir('.')
                    open('left-behind.txt', 'w').write('x')
                    seen.append(1)
                    return float(len(seen) * 1000000 + os.getpid())
                """;
        try {
            double first = executor.run(source, JsonNodeFactory.instance.objectNode(), null).score();
            double second = executor.run(source, JsonNodeFactory.instance.objectNode(), null).score();
            assertThat(first).isGreaterThan(1000000).as("the same process, its globals fresh").isEqualTo(second);
        } finally {
            executor.stop();
        }
    }

    @Test
    void aGraderCanNeitherReadTheNextRequestNorWriteIntoItsAnswer() {
        needsPython();
        String source = """
                import os, sys
                def grade(sample, item):
                    os.write(1, b'{"result": 9.0}\\n')
                    print('{"result": 8.0}')
                    return 0.5 if sys.stdin.read() == '' else 0.25
                """;
        PythonExecutor executor = PYTHON.copy();
        try {
            for (int i = 0; i < 3; i++) {
                PythonExecutor.Result r = executor.run(source, JsonNodeFactory.instance.objectNode(), null);
                assertThat(r.status()).isEqualTo(PythonExecutor.Status.OK);
                assertThat(r.score()).isEqualTo(0.5);
            }
        } finally {
            executor.stop();
        }
    }

    @Test
    void aGraderThatForksOrWritesAnswersDoesNotShiftTheScoresOfLaterGrades() {
        needsPython();
        needsPosix("os.fork is POSIX only");
        String forks = """
                import os
                def grade(sample, item):
                    return 100.0 if os.fork() == 0 else 50.0
                """;
        // the pipes are not the grader's to find, and a line written to another descriptor is no answer
        String writes = """
                import __main__, os
                def grade(sample, item):
                    assert not hasattr(__main__, 'answers') and not hasattr(__main__, 'requests')
                    for fd in range(3, 12):
                        try:
                            os.write(fd, b'{"result": 999.0, "id": 1}\\n')
                        except OSError:
                            pass
                    return 0.5
                """;
        try (PythonExecutor executor = PYTHON.copy()) {
            assertThat(executor.run(forks, JsonNodeFactory.instance.objectNode(), null).score()).isEqualTo(50.0);
            assertThat(executor.run(writes, JsonNodeFactory.instance.objectNode(), null).score()).isEqualTo(0.5);
            for (int n = 1; n <= 5; n++) {
                PythonExecutor.Result r = executor.run("def grade(s, i):\n    return float(i['n'])\n",
                        JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode().put("n", n));
                assertThat(r.score()).as("grade %d, %s", n, r.details()).isEqualTo(n);
            }
        }
    }

    @Test
    void aGradeRunsInTheWorkersFolderWhereverTheOneBeforeWent() {
        needsPython();
        try (PythonExecutor executor = PYTHON.copy()) {
            executor.run("import os\ndef grade(s, i):\n    os.chdir('/')\n    return 1.0\n",
                    JsonNodeFactory.instance.objectNode(), null);
            PythonExecutor.Result r = executor.run("import os\ndef grade(s, i):\n"
                    + "    return 1.0 if os.getcwd() == os.environ['HOME'] else 0.0\n",
                    JsonNodeFactory.instance.objectNode(), null);
            assertThat(r.score()).as(r.details()).isEqualTo(1.0);
        }
    }

    @Test
    void manyCallersShareAFewProcesses() throws Exception {
        needsPython();
        int limit = Math.max(2, Runtime.getRuntime().availableProcessors());
        try (PythonExecutor executor = PYTHON.copy()) {
            List<CompletableFuture<Double>> pids = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                pids.add(CompletableFuture.supplyAsync(() -> executor.run(
                        "import os\ndef grade(s, i):\n    return float(os.getpid())\n",
                        JsonNodeFactory.instance.objectNode(), null).score(),
                        java.util.concurrent.Executors.newCachedThreadPool()));
            }
            Set<Double> distinct = new java.util.HashSet<>();
            for (CompletableFuture<Double> pid : pids) distinct.add(pid.get(60, TimeUnit.SECONDS));
            assertThat(distinct).doesNotContain(0.0).hasSizeLessThanOrEqualTo(limit);
        }
    }

    @Test
    void programsAGraderLeftInTheBackgroundEndWithItsProcess() throws Exception {
        needsPython();
        needsPosix("process groups are POSIX only");
        String marker = "sleep " + (600 + ProcessHandle.current().pid() % 1000); // this run's own
        String source = "import subprocess\ndef grade(s, i):\n    subprocess.run('" + marker
                + " >/dev/null 2>&1 &', shell=True)\n    while True:\n        pass\n";
        try (PythonExecutor quick = new PythonExecutor("python3", Duration.ofMillis(1500))) {
            assertThat(quick.run(source, JsonNodeFactory.instance.objectNode(), null).status())
                    .isEqualTo(PythonExecutor.Status.TIMEOUT);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").endsWith(marker))) {
            assertThat(System.nanoTime()).as("%s, started in the background, ends", marker).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aProcessThatDiesIsNoticedWhileAChildItForkedHoldsItsPipe() {
        needsPython();
        needsPosix("os.fork is POSIX only");
        String source = """
                import os, time
                def grade(sample, item):
                    if os.fork() == 0:
                        time.sleep(30)
                        os._exit(0)
                    os._exit(3)
                """;
        try (PythonExecutor executor = PYTHON.copy()) {
            long start = System.nanoTime();
            PythonExecutor.Result r = executor.run(source, JsonNodeFactory.instance.objectNode(), null);
            assertThat(r.status()).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
            assertThat(r.details()).contains("exited with code 3");
            assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(10.0);
        }
    }

    @Test
    void multiprocessingCanPickleTheGradersFunctions() {
        needsPython();
        needsPosix("the fork start method is POSIX only");
        String source = """
                import multiprocessing
                def square(x):
                    return x * x
                def grade(sample, item):
                    with multiprocessing.get_context('fork').Pool(1) as pool:
                        return float(sum(pool.map(square, [1, 2])))
                """;
        try (PythonExecutor executor = PYTHON.copy()) {
            PythonExecutor.Result r = executor.run(source, JsonNodeFactory.instance.objectNode(), null);
            assertThat(r.score()).as(r.details()).isEqualTo(5.0);
        }
    }

    @Test
    void aProcessThatDiesIsReplacedForTheNextGrade() {
        needsPython();
        PythonExecutor executor = PYTHON.copy();
        try {
            PythonExecutor.Result died = executor.run("import os, sys\ndef grade(s, i):\n    sys.stderr.flush()\n"
                    + "    os.write(2, b'going down')\n    os._exit(3)\n", JsonNodeFactory.instance.objectNode(), null);
            assertThat(died.status()).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
            assertThat(died.details()).contains("exited with code 3").contains("going down");
            assertThat(executor.run("def grade(s, i):\n    return 1.0\n", JsonNodeFactory.instance.objectNode(), null)
                    .score()).isEqualTo(1.0);
        } finally {
            executor.stop();
        }
    }

    @Test
    void aProcessThatTimedOutIsReplacedForTheNextGrade() {
        needsPython();
        PythonExecutor quick = new PythonExecutor("python3", Duration.ofMillis(1000));
        try {
            assertThat(quick.run("def grade(s, i):\n    while True:\n        pass\n",
                    JsonNodeFactory.instance.objectNode(), null).status()).isEqualTo(PythonExecutor.Status.TIMEOUT);
            assertThat(quick.run("def grade(s, i):\n    return 0.75\n", JsonNodeFactory.instance.objectNode(), null)
                    .score()).isEqualTo(0.75);
        } finally {
            quick.stop();
        }
    }

    /** The python processes this JVM started, children and grandchildren. */
    private static List<ProcessHandle> pythons() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse(p.info().command().orElse("")).contains("python"))
                .toList();
    }

    @Test
    void checkCompilesWithoutRunningAndNamesTheLine(@TempDir Path dir) {
        needsPython();
        Path marker = dir.resolve("ran");
        String sideEffect = "open(" + Json.write(marker.toString()) + ", 'w').close()\n";
        assertThat(PYTHON.check(sideEffect + "def grade(s, i):\n    return 1.0\n").status())
                .isEqualTo(PythonExecutor.Status.OK);
        assertThat(marker).as("validation compiles the source, it does not run it").doesNotExist();
        assertThat(PYTHON.check("grade = lambda s, i: 1.0\n").status()).isEqualTo(PythonExecutor.Status.OK);
        PythonExecutor.Result syntax = PYTHON.check("def grade(s, i):\n    return 1.0 +\n");
        assertThat(syntax.status()).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
        assertThat(syntax.details()).startsWith("line 2: SyntaxError");
        PythonExecutor.Result none = PYTHON.check("def score(s, i):\n    return 1.0\n");
        assertThat(none.details()).isEqualTo("the source does not define a function grade(sample, item)");
        assertThat(new PythonExecutor("/nonexistent/python3", Duration.ofSeconds(5)).check("x = 1").status())
                .isEqualTo(PythonExecutor.Status.UNAVAILABLE);
    }
}
