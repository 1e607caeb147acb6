package dev.finetune4j.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs python grader source in a {@code python3} subprocess: the source is executed, then
 * {@code grade(sample, item)} is called with both as dicts; the exchange is JSON over stdin and stdout, and
 * anything the source prints goes to stderr. Each run gets a fresh temporary working directory, Python's
 * isolated mode ({@code -I}) and a wall-clock timeout (120 s by default, as the hosted graders), after which
 * the process tree is killed.
 *
 * <p>Limits of the local sandbox: the hosted graders also forbid network access and cap memory, disk and CPU;
 * none of that can be enforced portably from the JVM, so python graders here run with the rights of the
 * server's user and must be trusted code. The {@code image_tag} is not honoured: the packages available are
 * those of the local {@code python3}.
 *
 * <p>Example: {@code new PythonExecutor("python3", Duration.ofSeconds(10)).run(source, sample.toJson(), item)}.
 */
public final class PythonExecutor {
    /** The hosted graders' runtime limit. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    private static final int MAX_DETAILS_CHARS = 4000;
    private static final long MAX_RESULT_BYTES = 1 << 20;

    // Reads {"source", "sample", "item"} from stdin, writes {"result": float} or {"error": text} to stdout.
    private static final String RUNNER = String.join("\n",
            "import json, math, numbers, sys, traceback",
            "def _main():",
            "    out = sys.stdout",
            "    payload = json.loads(sys.stdin.buffer.read().decode('utf-8'))",
            "    sys.stdout = sys.stderr",
            "    try:",
            "        scope = {'__name__': '__grader__'}",
            "        exec(compile(payload['source'], 'grader.py', 'exec'), scope)",
            "        grade = scope.get('grade')",
            "        if not callable(grade):",
            "            result = {'error': 'the source does not define a function grade(sample, item)'}",
            "        else:",
            "            value = grade(payload['sample'], payload['item'])",
            "            if isinstance(value, bool) or not isinstance(value, numbers.Real):",
            "                result = {'error': 'grade() returned %s (%r); expected a float' % (type(value).__name__, value)}",
            "            elif not math.isfinite(float(value)):",
            "                result = {'error': 'grade() returned %r; expected a finite float' % (value,)}",
            "            else:",
            "                result = {'result': float(value)}",
            "    except BaseException:",
            "        result = {'error': traceback.format_exc()}",
            "    sys.stdout = out",
            "    out.buffer.write(json.dumps(result).encode('ascii'))",
            "    out.flush()",
            "_main()",
            "");

    private final String executable;
    private final Duration timeout;
    private volatile String interpreter; // the real binary behind executable, found once

    /** {@code python3} from the PATH, with the default timeout. */
    public PythonExecutor() {
        this("python3", DEFAULT_TIMEOUT);
    }

    public PythonExecutor(String executable, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        this.executable = executable;
        this.timeout = timeout;
    }

    public String executable() {
        return executable;
    }

    public Duration timeout() {
        return timeout;
    }

    /** How a run ended. */
    public enum Status { OK, RUNTIME_ERROR, TIMEOUT, UNAVAILABLE }

    /** The outcome: a score when {@code status} is OK, otherwise details (a traceback, the reason). */
    public record Result(Status status, double score, String details) {
        static Result ok(double score) {
            return new Result(Status.OK, score, null);
        }

        static Result failed(Status status, String details) {
            return new Result(status, 0.0, details);
        }
    }

    /** Whether the interpreter can be started. */
    public boolean available() {
        return interpreter() != null;
    }

    /**
     * The interpreter's own path ({@code sys.executable}), asked once: launchers such as pyenv shims cost far
     * more per start than Python itself, and a reinforcement job starts one process per graded sample.
     * Null when the executable cannot be run.
     */
    private String interpreter() {
        String found = interpreter;
        if (found != null) return found;
        try {
            Process p = new ProcessBuilder(executable, "-I", "-c", "import sys; sys.stdout.write(sys.executable)")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            found = out.isEmpty() || !Files.isExecutable(Path.of(out)) ? executable : out;
            interpreter = found;
            return found;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs {@code grade(sample, item)} from the source. Never throws for problems of the grader itself. */
    public Result run(String source, JsonNode sample, JsonNode item) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("finetune4j-python-grader");
            Path in = dir.resolve("input.json");
            Path out = dir.resolve("output.json");
            Path err = dir.resolve("stderr.txt");
            ObjectNode payload = JsonNodeFactory.instance.objectNode();
            payload.put("source", source);
            payload.set("sample", sample);
            payload.set("item", item == null ? JsonNodeFactory.instance.objectNode() : item);
            Files.write(in, Json.MAPPER.writeValueAsBytes(payload));
            Path work = Files.createDirectory(dir.resolve("work"));
            String python = interpreter();
            if (python == null) return Result.failed(Status.UNAVAILABLE, "cannot run '" + executable + "'");
            Process process;
            try {
                process = new ProcessBuilder(python, "-I", "-c", RUNNER).directory(work.toFile())
                        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                return Result.failed(Status.UNAVAILABLE, "cannot start '" + executable + "': " + e.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return Result.failed(Status.TIMEOUT, "grade() did not finish within " + seconds(timeout) + " s");
            }
            return interpret(process.exitValue(), head(out, MAX_RESULT_BYTES), tail(err, MAX_DETAILS_CHARS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(Status.RUNTIME_ERROR, "interrupted while waiting for the python grader");
        } catch (IOException e) {
            return Result.failed(Status.UNAVAILABLE, "cannot prepare the python grader run: " + e.getMessage());
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private static Result interpret(int exitCode, String stdout, String stderr) {
        JsonNode answer = Sample.parseJson(stdout);
        if (answer != null && answer.path("result").isNumber()) return Result.ok(answer.get("result").doubleValue());
        StringBuilder details = new StringBuilder();
        if (answer != null && answer.path("error").isTextual()) {
            details.append(answer.get("error").textValue().strip());
        } else {
            details.append("the python process exited with code ").append(exitCode).append(" without a result");
        }
        if (!stderr.isBlank()) details.append("\n--- stderr ---\n").append(stderr.strip());
        return Result.failed(Status.RUNTIME_ERROR, truncate(details.toString()));
    }

    private static String head(Path file, long maxBytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.min(f.length(), maxBytes)];
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The last characters of a file that may be huge (a grader printing in a loop). */
    private static String tail(Path file, int maxChars) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - maxChars);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            return (start > 0 ? "..." : "") + new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static String truncate(String s) {
        return s.length() <= 2 * MAX_DETAILS_CHARS ? s : s.substring(0, 2 * MAX_DETAILS_CHARS) + "...";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : Double.toString(d.toMillis() / 1000.0);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless; the grade has already been computed.
        }
    }
}
