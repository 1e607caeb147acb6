package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths hidden from python graders in a mount namespace of their own. */
class PythonHiddenPathsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final PythonExecutor.Sandbox STANDARD = PythonExecutor.Sandbox.standard(TIMEOUT);
    private static final PythonExecutor PYTHON = new PythonExecutor("python3", TIMEOUT);

    @TempDir
    Path temp;

    private static void needsPython() {
        assumeTrue(PYTHON.available(), "python3 is not on the PATH: python grader tests skipped");
    }

    /** An executor that hides the paths, or the test is skipped where mount namespaces cannot be made. */
    private static PythonExecutor hiding(List<Path> paths) {
        needsPython();
        PythonExecutor executor = new PythonExecutor("python3", TIMEOUT, STANDARD.withHiddenPaths(paths));
        assumeTrue(!executor.pathsHidden().isEmpty(), "mount namespaces are unavailable here, so nothing is hidden"
                + " from python graders (" + executor.describeSandbox() + ")");
        return executor;
    }

    private static PythonExecutor.Result run(PythonExecutor executor, String source, Path dir) {
        ObjectNode item = JsonNodeFactory.instance.objectNode().put("dir", dir.toString());
        return executor.run(source, JsonNodeFactory.instance.objectNode(), item);
    }

    private Path secretFolder() throws IOException {
        Path secret = Files.createDirectories(temp.resolve("data/keys"));
        Files.writeString(secret.resolve("admin.key"), "sk-admin-secret\n");
        return temp.resolve("data");
    }

    /**
     * The first check of the namespaces decides for every later grade, so an interrupt of the thread that asks must
     * not turn it into "no namespaces here" (which once left every later grader with the network and the data).
     */
    @Test
    void anInterruptDuringTheFirstCheckDoesNotDecideForTheSandbox() throws IOException {
        Path data = secretFolder();
        hiding(List.of(temp.resolve("data"))).close(); // skips where mount namespaces cannot be made
        try (PythonExecutor executor = new PythonExecutor("python3", TIMEOUT, STANDARD.withHiddenPaths(List.of(data)))) {
            Thread.currentThread().interrupt();
            List<Path> hidden;
            try {
                hidden = executor.copy().pathsHidden();
            } finally {
                assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            }
            assertThat(hidden).containsExactly(data.toRealPath());
            assertThat(executor.networkIsolated()).isTrue();
            PythonExecutor.Result read = run(executor, """
                    import os
                    def grade(sample, item):
                        return float(len(os.listdir(item['dir'])))
                    """, data);
            assertThat(read.score()).as(read.details()).isEqualTo(0.0);
        }
    }

    @Test
    void aGraderSeesAHiddenFolderEmptyAndStillWorksInItsOwnFolder() throws IOException {
        Path data = secretFolder();
        try (PythonExecutor executor = hiding(List.of(data))) {
            assertThat(executor.pathsHidden()).containsExactly(data.toRealPath());
            assertThat(executor.describeSandbox()).endsWith("; hidden from graders: " + data.toRealPath());
            PythonExecutor.Result r = run(executor, """
                    import os
                    def grade(sample, item):
                        assert os.listdir(item['dir']) == [], os.listdir(item['dir'])
                        with open('mine.txt', 'w') as f:
                            f.write('kept')
                        os.mkdir('sub')
                        with open(os.path.join(os.environ['TMPDIR'], 'sub', 'two.txt'), 'w') as f:
                            f.write('too')
                        return 1.0 if open('mine.txt').read() + open('sub/two.txt').read() == 'kepttoo' else 0.0
                    """, data);
            assertThat(r.status()).as(r.details()).isEqualTo(PythonExecutor.Status.OK);
            assertThat(r.score()).isEqualTo(1.0);

            PythonExecutor.Result read = run(executor, """
                    import os
                    def grade(sample, item):
                        return float(len(open(os.path.join(item['dir'], 'keys', 'admin.key')).read()))
                    """, data);
            assertThat(read.status()).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
            assertThat(read.details()).startsWith("python graders cannot see " + data.toRealPath()
                    + ": the server hides it from them").contains("FileNotFoundError").doesNotContain("sk-admin");

            PythonExecutor.Result write = run(executor, """
                    import os
                    def grade(sample, item):
                        open(os.path.join(item['dir'], 'planted.txt'), 'w').write('x')
                        return 1.0
                    """, data);
            assertThat(write.status()).isEqualTo(PythonExecutor.Status.RUNTIME_ERROR);
            assertThat(write.details()).startsWith("python graders cannot see").contains("Read-only file system");
            assertThat(data.resolve("planted.txt")).doesNotExist();
            assertThat(data.resolve("keys/admin.key")).as("the server still sees its files").hasContent(
                    "sk-admin-secret");
        }
    }

    @Test
    void aGraderCannotUncoverAHiddenFolder() throws IOException {
        Path data = secretFolder();
        Path link = Files.createSymbolicLink(temp.resolve("link"), data.resolve("keys"));
        try (PythonExecutor executor = hiding(List.of(data))) {
            // root of its own namespaces, the grader tries to unmount or remount the cover, goes through a link or
            // through the server's own root in /proc; each score is what it found of the key (0 when nothing)
            String tries = """
                    import ctypes, os, subprocess
                    def found(path):
                        try:
                            return len(open(path).read())
                        except OSError:
                            return 0
                    def grade(sample, item):
                        d = item['dir']
                        libc = ctypes.CDLL(None, use_errno=True)
                        libc.umount2(d.encode(), 2)  # MNT_DETACH
                        subprocess.run(['umount', '-l', d], capture_output=True)
                        subprocess.run(['mount', '-o', 'remount,rw', d], capture_output=True)
                        key = os.path.join(d, 'keys', 'admin.key')
                        return float(found(key) + found(item['link'] + '/admin.key')
                                     + found('/proc/%d/root%s' % (os.getppid(), key))
                                     + len(os.listdir(d)))
                    """;
            ObjectNode item = JsonNodeFactory.instance.objectNode().put("dir", data.toString())
                    .put("link", link.toString());
            PythonExecutor.Result r = executor.run(tries, JsonNodeFactory.instance.objectNode(), item);
            assertThat(r.status()).as(r.details()).isEqualTo(PythonExecutor.Status.OK);
            assertThat(r.score()).as("characters of the key the grader read").isZero();
            // and in the same process, for the next grade
            assertThat(run(executor, "import os\ndef grade(s, i):\n    return float(len(os.listdir(i['dir'])))\n",
                    data).score()).isZero();
        }
    }

    @Test
    void theProcessStartedIsStillPythonItselfTheLeaderOfItsGroup() throws IOException {
        try (PythonExecutor executor = hiding(List.of(secretFolder()))) {
            PythonExecutor.Result r = run(executor, "import os\ndef grade(s, i):\n"
                    + "    return float(os.getpid() if os.getpgrp() == os.getpid() else -1)\n", temp);
            assertThat(r.status()).as(r.details()).isEqualTo(PythonExecutor.Status.OK);
            assertThat(ProcessHandle.current().children().mapToLong(ProcessHandle::pid)).contains((long) r.score());
        }
    }

    @Test
    void aHiddenFileReadsEmpty() throws IOException {
        Path key = Files.writeString(temp.resolve("token.txt"), "secret");
        try (PythonExecutor executor = hiding(List.of(key))) {
            PythonExecutor.Result r = run(executor, "def grade(s, i):\n    return float(len(open(i['dir']).read()))\n",
                    key);
            assertThat(r.status()).as(r.details()).isEqualTo(PythonExecutor.Status.OK);
            assertThat(r.score()).isZero();
        }
    }

    @Test
    void aFolderThatHoldsTheGradersTemporaryFoldersIsNotHiddenAndGradersStillRun() {
        needsPython();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (PythonExecutor executor = new PythonExecutor("python3", TIMEOUT, STANDARD.withHiddenPaths(List.of(tmp)))) {
            assertThat(executor.pathsHidden()).isEmpty();
            assertThat(executor.describeSandbox()).contains("; not hidden from graders, as it holds the graders'"
                    + " temporary folders: ");
            PythonExecutor.Result r = executor.run("import os\ndef grade(s, i):\n"
                    + "    open(os.path.join(os.environ['TMPDIR'], 'f'), 'w').write('x')\n    return 1.0\n",
                    JsonNodeFactory.instance.objectNode(), null);
            assertThat(r.score()).as(r.details()).isEqualTo(1.0);
        }
    }

    @Test
    void thePlanKeepsWhatPythonNeedsAndDropsWhatIsMissingOrCoveredAlready() throws IOException {
        Path python = Files.createDirectories(temp.resolve("opt/python/bin"));
        Path tmp = Files.createDirectories(temp.resolve("var/tmp"));
        Path data = Files.createDirectories(temp.resolve("data/files"));
        HiddenPaths.Plan plan = HiddenPaths.plan(List.of(data, temp.resolve("data"), temp.resolve("missing"),
                temp.resolve("opt"), temp.resolve("var"), temp.resolve("data/./")), List.of(python), tmp);
        assertThat(plan.hidden()).containsExactly(temp.resolve("data").toRealPath());
        assertThat(plan.kept()).containsOnlyKeys(temp.resolve("opt").toRealPath(), temp.resolve("var").toRealPath(),
                temp.resolve("missing"));
        assertThat(plan.kept().get(temp.resolve("opt").toRealPath())).isEqualTo("python lives there");
        assertThat(plan.kept().get(temp.resolve("missing"))).isEqualTo("it does not exist");
    }

    @Test
    void theProbeSaysNoWhenTheLauncherFailsOrDoesNotHide() throws IOException {
        Path data = secretFolder();
        assertThat(HiddenPaths.work(List.of("/nonexistent/unshare"), null, List.of(data))).isFalse();
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "sh is POSIX only");
        assertThat(HiddenPaths.work(List.of("sh", "-c", "exit 1", "x"), null, List.of(data))).isFalse();
        needsPython();
        // python starts, but sees the files: the mounts did not happen, so the graders must not claim they did
        assertThat(HiddenPaths.work(List.of("sh", "-c", "exec \"$@\"", "x"), "python3", List.of(data))).isFalse();
        assertThat(HiddenPaths.work(List.of("sh", "-c", "exec \"$@\"", "x"), "python3",
                List.of(Files.createDirectory(temp.resolve("empty"))))).isTrue();
    }

    @Test
    void theSandboxKeepsItsHiddenPathsAbsolute() {
        PythonExecutor.Sandbox s = STANDARD.withHiddenPaths(List.of(Path.of("relative/../data")));
        assertThat(s.hiddenPaths()).containsExactly(Path.of("data").toAbsolutePath());
        assertThat(s.withMemoryBytes(1L << 30).withNetwork(true).hiddenPaths()).isEqualTo(s.hiddenPaths());
        assertThat(STANDARD.hiddenPaths()).isEmpty();
        assertThat(PYTHON.pathsHidden()).isEmpty();
        assertThat(PYTHON.describeSandbox()).doesNotContain("hidden");
    }
}
