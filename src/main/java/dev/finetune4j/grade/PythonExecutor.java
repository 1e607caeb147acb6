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
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs python grader source in {@code python3} processes: the source is executed in fresh globals, then
 * {@code grade(sample, item)} is called with both as dicts; the exchange is JSON, and anything the source prints is
 * kept for the error details. A process grades one sample after another (see {@link PythonWorker}), so a job pays
 * for starting Python once per grading thread, not once per sample. Each process works in an empty folder of its
 * own (also its {@code HOME} and {@code TMPDIR}, emptied after each grade), with an environment that holds nothing of
 * the server's but {@code PATH} (no API keys), in Python's isolated mode ({@code -I}), and each grade has a
 * wall-clock timeout (120 s by default, as the hosted graders), after which the process tree is killed.
 * {@link #stop()} kills the runs under way at once, e.g. when their job is cancelled.
 *
 * <p>Limits of the local sandbox: the hosted graders also forbid network access and cap memory, disk and CPU;
 * none of that can be enforced portably from the JVM, so python graders here run with the rights of the
 * server's user (they can read any file that user can) and must be trusted code: the server lets only the callers
 * it trusts run them. The {@code image_tag} is not honoured: the packages available are those of the local
 * {@code python3}.
 *
 * <p>Example: {@code new PythonExecutor("python3", Duration.ofSeconds(10)).run(source, sample.toJson(), item)}.
 */
public final class PythonExecutor implements AutoCloseable {
    /** The hosted graders' runtime limit. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    private static final int MAX_DETAILS_CHARS = 4000;
    private static final long MAX_RESULT_BYTES = 1 << 20;
    /** Python processes of one executor at most: a job grades on up to this many threads. */
    private static final int MAX_WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    // Reads {"source"}, writes {"result": 0} when it compiles and defines grade, else {"error": text}; never runs it.
    private static final String CHECKER = String.join("\n",
            "import ast, json, sys",
            "def _check(source):",
            "    try:",
            "        tree = ast.parse(source, 'grader.py')",
            "        compile(tree, 'grader.py', 'exec')",
            "    except SyntaxError as e:",
            "        return {'error': 'line %s: %s: %s' % (e.lineno, type(e).__name__, e.msg)}",
            "    except Exception as e:",
            "        return {'error': '%s: %s' % (type(e).__name__, e)}",
            "    for node in ast.walk(tree):",
            "        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == 'grade':",
            "            return {'result': 0}",
            "        if isinstance(node, ast.Name) and node.id == 'grade' and isinstance(node.ctx, ast.Store):",
            "            return {'result': 0}",
            "        if isinstance(node, ast.alias) and (node.asname or node.name) == 'grade':",
            "            return {'result': 0}",
            "    return {'error': 'the source does not define a function grade(sample, item)'}",
            "payload = json.loads(sys.stdin.buffer.read().decode('utf-8'))",
            "sys.stdout.write(json.dumps(_check(payload['source'])))",
            "");
    /** Compiling even a large source takes well under a second; this only bounds a stuck interpreter. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final String executable;
    private final Duration timeout;
    private volatile String interpreter; // the real binary behind executable, found once
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final Set<PythonWorker> workers = ConcurrentHashMap.newKeySet();
    private final Deque<PythonWorker> idle = new ConcurrentLinkedDeque<>();
    private final Semaphore slots = new Semaphore(MAX_WORKERS, true);
    private volatile boolean stopped;

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

    /**
     * A new executor with the same interpreter and timeout, stopped on its own: e.g. one per training job, so that
     * cancelling a job kills its graders and no one else's.
     */
    public PythonExecutor copy() {
        PythonExecutor copy = new PythonExecutor(executable, timeout);
        copy.interpreter = interpreter;
        return copy;
    }

    /**
     * Kills the python processes this executor runs (with their child processes) and makes every later run end at
     * once with {@link Status#STOPPED}. For a job being cancelled or paused, or a server closing.
     */
    public void stop() {
        boolean first = !stopped;
        stopped = true;
        for (Process p : running) kill(p);
        for (PythonWorker w : workers) w.close();
        if (first) slots.release(1 << 20); // callers waiting for a process end at once with STOPPED
    }

    /** {@link #stop()}: an executor made for a while (a test, an evaluation in a script) ends its processes. */
    @Override
    public void close() {
        stop();
    }

    public boolean stopped() {
        return stopped;
    }

    /** How a run ended. */
    public enum Status { OK, RUNTIME_ERROR, TIMEOUT, UNAVAILABLE, STOPPED }

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
     * more per start than Python itself (780 against 140 ms here), and a job starts a process per grading thread.
     * Null when the executable cannot be run.
     */
    private String interpreter() {
        String found = interpreter;
        if (found != null) return found;
        Path answer = null;
        try {
            // the answer goes to a file, not a pipe: reading a pipe would wait for a hung launcher past the timeout
            answer = Files.createTempFile("finetune4j-python", ".txt");
            Process p = new ProcessBuilder(executable, "-I", "-c", "import sys; sys.stdout.write(sys.executable)")
                    .redirectErrorStream(true).redirectOutput(answer.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            String out = Files.readString(answer, StandardCharsets.UTF_8).strip();
            found = out.isEmpty() || !Files.isExecutable(Path.of(out)) ? executable : out;
            interpreter = found;
            return found;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (answer != null) {
                try {
                    Files.deleteIfExists(answer);
                } catch (IOException e) {
                    // a file of a few bytes in the temporary folder: nothing to report
                }
            }
        }
    }

    /**
     * Runs {@code grade(sample, item)} from the source, in one of this executor's python processes: a process
     * grades one sample at a time and takes the next once done, so only the first grades pay for starting Python.
     * Never throws for problems of the grader itself.
     */
    public Result run(String source, JsonNode sample, JsonNode item) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("source", source);
        payload.set("sample", sample);
        payload.set("item", item == null ? JsonNodeFactory.instance.objectNode() : item);
        if (stopped) return stoppedResult();
        try {
            // more callers than processes wait for one, rather than start and end a process each
            if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return Result.failed(Status.TIMEOUT, "no python grader process became free within " + seconds(timeout)
                        + " s: the grades before this one took all of them that long");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(Status.RUNTIME_ERROR, "interrupted while waiting for a python grader process");
        }
        try {
            return runOnAWorker(payload);
        } finally {
            slots.release();
        }
    }

    private Result runOnAWorker(ObjectNode payload) {
        if (stopped) return stoppedResult();
        PythonWorker worker;
        try {
            worker = worker();
        } catch (IOException e) {
            return Result.failed(Status.UNAVAILABLE, e.getMessage());
        }
        if (worker == null) return Result.failed(Status.UNAVAILABLE, "cannot run '" + executable + "'");
        boolean reuse = false;
        try {
            if (stopped) return stoppedResult(); // stop() ran before the worker was registered
            JsonNode answer = worker.ask(payload, timeout);
            if (stopped) return stoppedResult();
            if (answer == null) {
                return Result.failed(Status.TIMEOUT, "grade() did not finish within " + seconds(timeout) + " s");
            }
            reuse = true;
            return interpret(answer);
        } catch (PythonWorker.Died e) {
            return stopped ? stoppedResult() : Result.failed(Status.RUNTIME_ERROR, truncate(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(Status.RUNTIME_ERROR, "interrupted while waiting for the python grader");
        } finally {
            release(worker, reuse);
        }
    }

    /** An idle worker of this executor, or a new one; null when python cannot be found. */
    private PythonWorker worker() throws IOException {
        for (PythonWorker w; (w = idle.pollFirst()) != null; ) {
            if (w.reusable()) return w;
            workers.remove(w);
            w.close();
        }
        String python = interpreter();
        if (python == null) return null;
        PythonWorker w = PythonWorker.start(python, System.getenv());
        workers.add(w);
        return w;
    }

    private void release(PythonWorker worker, boolean reuse) {
        if (reuse && !stopped && worker.reusable() && idle.size() < MAX_WORKERS) {
            idle.addFirst(worker); // the most recently used first, so that extra workers age out
            if (!stopped) return;
            idle.remove(worker);
        }
        workers.remove(worker);
        worker.close();
    }

    /**
     * Compiles the source without running any of it: OK when it compiles and defines {@code grade}, else
     * RUNTIME_ERROR whose details name the problem and its line (e.g. {@code line 2: SyntaxError: invalid syntax}),
     * or UNAVAILABLE when python cannot be started.
     */
    public Result check(String source) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("source", source);
        return execute(CHECKER, payload, CHECK_TIMEOUT);
    }

    private Result execute(String script, ObjectNode payload, Duration limit) {
        if (stopped) return stoppedResult();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("finetune4j-python-grader");
            Path in = dir.resolve("input.json");
            Path out = dir.resolve("output.json");
            Path err = dir.resolve("stderr.txt");
            Files.write(in, Json.MAPPER.writeValueAsBytes(payload));
            Path work = Files.createDirectory(dir.resolve("work"));
            String python = interpreter();
            if (python == null) return Result.failed(Status.UNAVAILABLE, "cannot run '" + executable + "'");
            ProcessBuilder builder = new ProcessBuilder(python, "-I", "-c", script).directory(work.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment(System.getenv(), work));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return Result.failed(Status.UNAVAILABLE, "cannot start '" + executable + "': " + e.getMessage());
            }
            running.add(process);
            try {
                if (stopped) kill(process); // stop() ran between the check above and the add
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(process);
                    process.waitFor(10, TimeUnit.SECONDS);
                    return Result.failed(Status.TIMEOUT, "python did not finish within " + seconds(limit) + " s");
                }
            } finally {
                running.remove(process);
            }
            if (stopped) return stoppedResult();
            return interpret(process.exitValue(), head(out, MAX_RESULT_BYTES), tail(err, MAX_DETAILS_CHARS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(Status.RUNTIME_ERROR, "interrupted while waiting for the python grader");
        } catch (IOException e) {
            return Result.failed(Status.UNAVAILABLE, "cannot prepare the python grader run: " + e.getMessage());
        } finally {
            if (dir != null) PythonWorker.deleteTree(dir);
        }
    }

    private static Result stoppedResult() {
        return Result.failed(Status.STOPPED, "the python grader was stopped: its job was cancelled or paused, or the"
                + " server is closing");
    }

    /** Kills a process and its descendants, these first: once the parent is gone they are no longer its children. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * The whole environment of a python process: {@code PATH} (so that the grader can start programs), a UTF-8
     * locale, and {@code HOME} and {@code TMPDIR} in the run's own empty folder. Nothing else of the server's
     * environment passes, so API keys and other secrets set there stay out of the grader's reach.
     */
    static Map<String, String> environment(Map<String, String> server, Path home) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("PATH", "SYSTEMROOT", "SystemRoot")) {
            // Windows needs SYSTEMROOT to start python at all
            String value = server.get(name);
            if (value != null) env.put(name, value);
        }
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        env.put("HOME", home.toString());
        env.put("TMPDIR", home.toString());
        return env;
    }

    private static Result interpret(JsonNode answer) {
        if (answer.path("result").isNumber()) return Result.ok(answer.get("result").doubleValue());
        String details = answer.path("error").asText("no result").strip();
        String output = answer.path("output").asText("").strip();
        if (!output.isEmpty()) details += "\n--- stderr ---\n" + output;
        return Result.failed(Status.RUNTIME_ERROR, truncate(details));
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

}
