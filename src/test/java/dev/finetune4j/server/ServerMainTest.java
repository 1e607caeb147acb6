package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server as {@code scripts/ftserver} runs it: prints URL and key, stops cleanly on SIGTERM. */
class ServerMainTest {
    @TempDir
    Path dir;

    static List<String> run(Path dir, boolean untilExit, Process[] started) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                "--port", "0", "--data", dir.toString()).redirectErrorStream(true).start();
        started[0] = p;
        List<String> lines = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (!untilExit && line.startsWith("export ")) break;
        }
        return lines;
    }

    static String value(List<String> lines, String label) {
        String line = lines.stream().map(String::trim).filter(l -> l.startsWith(label)).findFirst().orElseThrow();
        return line.substring(label.length()).trim();
    }

    @Test
    void printsUrlAndKeysAndStopsCleanly() throws Exception {
        Process[] first = new Process[1];
        List<String> lines = run(dir, false, first);
        try {
            String url = value(lines, "URL:");
            String key = value(lines, "API key:");
            assertThat(url).startsWith("http://127.0.0.1:").endsWith("/v1");
            assertThat(new Http(url, key).get("/models").status()).isEqualTo(200);
            assertThat(Files.readString(dir.resolve("keys").resolve("default.key")).trim()).isEqualTo(key);

            Process[] second = new Process[1];
            List<String> again = run(dir, true, second);
            assertThat(second[0].waitFor(60, TimeUnit.SECONDS)).isTrue();
            // a second server on the same data cannot apply its options: it says so and fails, for a supervisor
            assertThat(second[0].exitValue()).isEqualTo(1);
            assertThat(again).anyMatch(l -> l.startsWith("ftserver: a finetune4j server already serves")
                    && l.contains(url));
            // the admin key acts for every project: the output, which logs keep, says where it is, not what
            String admin = Files.readString(dir.resolve("keys").resolve("admin.key")).trim();
            assertThat(String.join("\n", lines)).doesNotContain(admin);
            assertThat(value(lines, "Admin key:")).isEqualTo("in " + dir.resolve("keys").resolve("admin.key"));
            assertThat(value(lines, "Python graders:")).startsWith("owner only").contains("2048 MB of memory")
                    .containsAnyOf("no network", "network NOT isolated")
                    .containsAnyOf("; hidden from graders: " + dir.toRealPath(), "; NOT hidden from graders");
        } finally {
            first[0].destroy();
            assertThat(first[0].waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(dir.resolve("server.json")).doesNotExist();
        try (DataDirLock lock = DataDirLock.tryAcquire(dir)) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void aPortInUseIsOneLineThatSaysWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            RuntimeException failure = null;
            try {
                LocalServer.builder().dataDir(dir).port(taken.getLocalPort()).start().close();
            } catch (RuntimeException e) {
                failure = e;
            }
            assertThat(failure).isNotNull();
            assertThat(ServerMain.reason(failure)).startsWith("the port is in use").contains("--port");
        }
    }

    @Test
    void otherFailuresGiveTheirMessageAndTheCause() {
        assertThat(ServerMain.reason(new UncheckedIOException("cannot create the data directory /x",
                new IOException("Read-only file system")))).isEqualTo(
                "cannot create the data directory /x (Read-only file system)");
        assertThat(ServerMain.reason(new IllegalStateException("x", new BindException("in use"))))
                .startsWith("the port is in use");
    }
}
