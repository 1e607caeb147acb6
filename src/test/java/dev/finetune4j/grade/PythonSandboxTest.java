package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.GraderRunResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limits python graders run under: memory, file size, CPU, open files, network. */
class PythonSandboxTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final PythonExecutor.Sandbox STANDARD = PythonExecutor.Sandbox.standard(TIMEOUT);
    private static final PythonExecutor PYTHON = new PythonExecutor("python3", TIMEOUT);
    private static final ObjectNode NO_SAMPLE = JsonNodeFactory.instance.objectNode();
    private static final String ONE = "def grade(s, i):\n    return 1.0\n";

    private static void needsPython() {
        assumeTrue(PYTHON.available(), "python3 is not on the PATH: python grader tests skipped");
    }

    private static void needsRlimits() {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "rlimits are POSIX only");
    }

    private static PythonExecutor executor(PythonExecutor.Sandbox sandbox) {
        return new PythonExecutor("python3", TIMEOUT, sandbox);
    }

    private static PythonExecutor.Result run(PythonExecutor executor, String source) {
        return executor.run(source, NO_SAMPLE, null);
    }

    @Test
    void theStandardSandboxIsTheHostedGradersLimits() {
        PythonExecutor.Sandbox s = PythonExecutor.Sandbox.standard(Duration.ofSeconds(120));
        assertThat(s.memoryBytes()).isEqualTo(2L << 30);
        assertThat(s.fileSizeBytes()).isEqualTo(1L << 30);
        assertThat(s.cpuSeconds()).as("two cores for the whole runtime").isEqualTo(240);
        assertThat(s.network()).isFalse();
        assertThat(PythonExecutor.Sandbox.standard(Duration.ofMillis(1500)).cpuSeconds()).isEqualTo(4);
        assertThat(new PythonExecutor("python3", Duration.ofSeconds(7)).sandbox().cpuSeconds()).isEqualTo(14);
        assertThatThrownBy(() -> s.withMemoryBytes(1 << 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 MB");
        assertThat(s.withNetwork(true).network()).isTrue();
        assertThat(PYTHON.copy().sandbox()).isEqualTo(PYTHON.sandbox());
    }

    @Test
    void theStandardLimitsAreInForceAndLetTheUsualModulesLoad() {
        needsPython();
        needsRlimits();
        // numpy reserves address space for its threads' buffers: it must load, and multiply, under the limit
        String source = """
                import json, re, math, resource
                def grade(sample, item):
                    assert resource.getrlimit(resource.RLIMIT_AS) == (2 << 30, 2 << 30), resource.getrlimit(resource.RLIMIT_AS)
                    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] == 1 << 30
                    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] <= 1024
                    try:
                        import numpy
                    except ImportError:
                        return 1.0
                    a = numpy.ones((400, 400))
                    return float((a @ a)[0, 0]) / 400
                """;
        try (PythonExecutor executor = PYTHON.copy()) {
            PythonExecutor.Result r = run(executor, source);
            assertThat(r.status()).as(r.details()).isEqualTo(PythonExecutor.Status.OK);
            assertThat(r.score()).isEqualTo(1.0);
        }
    }

    @Test
    void aGraderThatAllocatesFarBeyondItsMemoryLimitGetsAClearErrorAndTheNextGradeWorks() {
        needsPython();
        needsRlimits();
        String pid = "import os\ndef grade(s, i):\n    return float(os.getpid())\n";
        try (PythonExecutor executor = executor(STANDARD.withMemoryBytes(256L << 20))) {
            double before = run(executor, pid).score();
            ObjectNode grader = JsonNodeFactory.instance.objectNode();
            grader.put("type", "python").put("name", "py").put("source",
                    "def grade(s, i):\n    block = bytearray(1 << 30)\n    return 1.0\n");
            GraderRunResponse big = new GraderRunner(null, executor).run(Graders.parse(grader), "x", null);
            assertThat(big.reward()).isZero();
            assertThat(big.metadata().errors().pythonGraderRuntimeError()).isTrue();
            assertThat(big.metadata().errors().pythonGraderRuntimeErrorDetails())
                    .startsWith("the grader ran out of its memory limit of 256 MB").contains("MemoryError");
            // many small objects, kept in the grader's globals: the process is replaced, not left full
            PythonExecutor.Result many = run(executor, """
                    kept = []
                    def grade(sample, item):
                        for _ in range(100000):
                            kept.append(' ' * 10000)
                        return 1.0
                    """);
            assertThat(many.status()).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
            assertThat(many.details()).startsWith("the grader ran out of its memory limit of 256 MB");
            assertThat(run(executor, pid).score()).as("a new process").isNotEqualTo(before).isPositive();
            for (int n = 0; n < 3; n++) assertThat(run(executor, ONE).score()).isEqualTo(1.0);
        }
    }

    @Test
    void aGraderThatWritesAFileBeyondTheSizeLimitFailsClearly() {
        needsPython();
        needsRlimits();
        String writes = """
                def grade(sample, item):
                    with open('out.bin', 'wb') as f:
                        for _ in range(item['mb'] * 4):
                            f.write(b'x' * (1 << 18))
                    return 1.0
                """;
        try (PythonExecutor executor = executor(STANDARD.withFileSizeBytes(1L << 20))) {
            PythonExecutor.Result big = executor.run(writes, NO_SAMPLE, NO_SAMPLE.deepCopy().put("mb", 3));
            assertThat(big.status()).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
            assertThat(big.details()).startsWith("the grader wrote past its file size limit of 1 MB")
                    .contains("File too large");
            assertThat(executor.run(writes, NO_SAMPLE, NO_SAMPLE.deepCopy().put("mb", 0)).score()).isEqualTo(1.0);
        }
    }

    @Test
    void eachGradeHasItsOwnCpuTimeAndOneThatUsesItUpFailsClearly() {
        needsPython();
        needsRlimits();
        // about 0.6 s of CPU each: five of them pass a limit of 1 s only if each grade has its own
        String busy = """
                import time
                def grade(sample, item):
                    end = time.process_time() + 0.6
                    while time.process_time() < end:
                        pass
                    return 1.0
                """;
        try (PythonExecutor executor = executor(STANDARD.withCpuSeconds(1))) {
            for (int n = 0; n < 5; n++) {
                PythonExecutor.Result r = run(executor, busy);
                assertThat(r.status()).as("grade %d: %s", n, r.details()).isEqualTo(PythonExecutor.Status.OK);
            }
            long start = System.nanoTime();
            PythonExecutor.Result spins = run(executor, "def grade(s, i):\n    while True:\n        pass\n");
            assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(10.0);
            assertThat(spins.status()).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
            assertThat(spins.details()).startsWith("the grader used up its CPU time limit of 1 s");
            // a grader's `except Exception` does not swallow the limit
            PythonExecutor.Result catches = run(executor, """
                    def grade(sample, item):
                        try:
                            while True:
                                pass
                        except Exception:
                            return 0.5
                    """);
            assertThat(catches.details()).startsWith("the grader used up its CPU time limit");
            assertThat(run(executor, ONE).score()).isEqualTo(1.0);
        }
    }

    @Test
    void aGraderThatOpensTooManyFilesFailsClearly() {
        needsPython();
        needsRlimits();
        try (PythonExecutor executor = executor(STANDARD.withOpenFiles(64))) {
            PythonExecutor.Result r = run(executor, """
                    import os
                    def grade(sample, item):
                        files = [open(os.devnull) for _ in range(100)]
                        return 1.0
                    """);
            assertThat(r.status()).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
            assertThat(r.details()).startsWith("the grader hit its limit of 64 open files");
            assertThat(run(executor, ONE).score()).isEqualTo(1.0);
        }
    }

    @Test
    void aGraderCannotConnectToAPortOfThisMachine() throws Exception {
        needsPython();
        assumeTrue(PYTHON.networkIsolated(), "unshare -r -n cannot make a network namespace here: python graders"
                + " have the network (" + PYTHON.describeSandbox() + ")");
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             PythonExecutor executor = PYTHON.copy()) {
            listening.setSoTimeout(200);
            PythonExecutor.Result r = run(executor, connectsTo(listening.getLocalPort()));
            assertThat(r.status()).as("%s", r).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
            assertThat(r.details()).startsWith("python graders have no network access").contains("OSError");
            assertThatThrownBy(listening::accept).as("no connection came").isInstanceOf(SocketTimeoutException.class);
            assertThat(run(executor, "import socket\ndef grade(s, i):\n    socket.getaddrinfo('example.com', 443)\n"
                    + "    return 1.0\n").details()).startsWith("python graders have no network access");
            // the OSError inside urllib's URLError
            assertThat(run(executor, "import urllib.request\ndef grade(s, i):\n    urllib.request.urlopen("
                    + "'http://127.0.0.1:" + listening.getLocalPort() + "/', timeout=5)\n    return 1.0\n").details())
                    .startsWith("python graders have no network access").contains("URLError");
            assertThatThrownBy(listening::accept).as("no connection came").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aSandboxThatAllowsTheNetworkLetsTheGraderConnect() throws Exception {
        needsPython();
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             PythonExecutor executor = executor(STANDARD.withNetwork(true))) {
            assertThat(executor.networkIsolated()).isFalse();
            assertThat(executor.describeSandbox()).startsWith("network allowed");
            PythonExecutor.Result r = run(executor, connectsTo(listening.getLocalPort()));
            assertThat(r.score()).as("%s", r).isEqualTo(1.0);
        }
    }

    @Test
    void theProbeSaysNoWhenTheLauncherIsMissingOrFails() {
        assertThat(PythonExecutor.canLaunch(java.util.List.of("/nonexistent/unshare", "-r", "-n"), null)).isFalse();
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "sh is POSIX only");
        assertThat(PythonExecutor.canLaunch(java.util.List.of("sh", "-c", "exit 1"), null)).isFalse();
        assertThat(PythonExecutor.canLaunch(java.util.List.of("sh", "-c", "exec \"$0\""), null)).isTrue();
        // the launcher works, python does not start under it: no isolation, rather than graders that all fail
        assertThat(PythonExecutor.canLaunch(java.util.List.of("sh", "-c", "exec \"$0\" \"$@\""), "/nonexistent/python3"))
                .isFalse();
        needsPython();
        assertThat(PythonExecutor.canLaunch(java.util.List.of("sh", "-c", "exec \"$0\" \"$@\""), "python3")).isTrue();
    }

    private static String connectsTo(int port) {
        return "import socket\ndef grade(sample, item):\n"
                + "    socket.create_connection(('127.0.0.1', " + port + "), timeout=5).close()\n    return 1.0\n";
    }

    @Test
    void theProcessTheExecutorStartsIsPythonItselfSoThatItsGroupCanBeKilled() {
        needsPython();
        // unshare must exec python, not fork it: the kill of the process group on a timeout or stop uses this pid
        try (PythonExecutor executor = PYTHON.copy()) {
            PythonExecutor.Result r = run(executor, "import os\ndef grade(s, i):\n"
                    + "    return float(os.getpid() if os.getpgrp() == os.getpid() else -1)\n");
            assertThat(r.status()).as(r.details()).isEqualTo(PythonExecutor.Status.OK);
            long pid = (long) r.score();
            assertThat(ProcessHandle.current().children().mapToLong(ProcessHandle::pid)).contains(pid);
        }
    }

    @Test
    void theSandboxIsDescribedForAnOperator() {
        String line = PYTHON.describeSandbox();
        assertThat(line).contains("2048 MB of memory").contains("files up to 1024 MB").contains("60 s of CPU")
                .contains("1024 open files");
        assertThat(line).startsWith(PYTHON.networkIsolated() ? "no network" : "network NOT isolated");
    }
}
