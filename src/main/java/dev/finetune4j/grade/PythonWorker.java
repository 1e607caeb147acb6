package dev.finetune4j.grade;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@code python3} process that grades sample after sample: starting Python costs 50-500 ms, grading a sample
 * usually under a millisecond, and a reinforcement job grades thousands. Each request is one JSON line on the
 * process's stdin, each answer one JSON line on its stdout. Every grade runs the source again in fresh globals, as a
 * process of its own would, and the worker's folder is emptied after each grade; what a grader changes in imported
 * modules stays for the next grade of the same worker, which is why the server keeps a project's workers apart from
 * other projects'. A worker exits by itself after {@link #IDLE_EXIT} without requests, or when its stdin closes
 * (the JVM is gone).
 */
final class PythonWorker implements AutoCloseable {
    /** How long an idle worker lives; {@link PythonExecutor} reuses one only well within this. */
    static final Duration IDLE_EXIT = Duration.ofSeconds(60);
    private static final int MAX_OUTPUT_CHARS = 4000;
    private static final long MAX_STDERR_BYTES = 1 << 20;
    private static final String EOF = new String("EOF"); // a marker compared by identity

    // The protocol uses private copies of fds 0 and 1: fd 0 becomes /dev/null and fd 1 a copy of stderr, so that a
    // grader (or a program it starts) can neither read the next request nor write into an answer.
    private static final String SERVER = """
            import io, json, math, numbers, os, sys, threading, time, traceback
            IDLE = float(sys.argv[1])
            requests = os.fdopen(os.dup(0), 'rb')
            answers = os.fdopen(os.dup(1), 'wb')
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(2, 1)
            real_stdout, real_stderr = sys.stdout, sys.stderr
            state = {'busy': False, 'last': time.monotonic()}
            def watchdog():
                while True:
                    time.sleep(1)
                    if not state['busy'] and time.monotonic() - state['last'] > IDLE:
                        os._exit(0)
            threading.Thread(target=watchdog, daemon=True).start()
            class Tail(io.StringIO):
                # what the grader prints: the last MAX characters
                def write(self, s):
                    n = super().write(s)
                    if self.tell() > 16 * MAX:
                        keep = self.getvalue()[-MAX:]
                        self.seek(0)
                        self.truncate()
                        super().write(keep)
                    return n
            def clip(text):
                return text if len(text) <= 2 * MAX else text[:MAX] + '\\n...\\n' + text[-MAX:]
            codes = {}
            def grade_one(payload):
                source = payload['source']
                code = codes.get(source)
                if code is None:
                    if len(codes) > 16:
                        codes.clear()
                    code = codes[source] = compile(source, 'grader.py', 'exec')
                scope = {'__name__': '__grader__'}
                exec(code, scope)
                grade = scope.get('grade')
                if not callable(grade):
                    return {'error': 'the source does not define a function grade(sample, item)'}
                value = grade(payload['sample'], payload['item'])
                if isinstance(value, bool) or not isinstance(value, numbers.Real):
                    return {'error': 'grade() returned %s (%r); expected a float' % (type(value).__name__, value)}
                if not math.isfinite(float(value)):
                    return {'error': 'grade() returned %r; expected a finite float' % (value,)}
                return {'result': float(value)}
            for line in requests:
                state['busy'] = True
                output = Tail()
                sys.stdout = sys.stderr = output
                try:
                    result = grade_one(json.loads(line.decode('utf-8')))
                except BaseException:
                    result = {'error': traceback.format_exc()}
                finally:
                    sys.stdout, sys.stderr = real_stdout, real_stderr
                if 'error' in result:
                    result['error'] = clip(result['error'])
                result['output'] = output.getvalue()[-MAX:]
                answers.write(json.dumps(result).encode('ascii') + b'\\n')
                answers.flush()
                state['last'] = time.monotonic()
                state['busy'] = False
            """.replace("MAX", Integer.toString(MAX_OUTPUT_CHARS));

    private final Process process;
    private final Path dir;
    private final Path work;
    private final Path stderr;
    private final OutputStream requests;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private volatile long idleSince = System.nanoTime();

    private PythonWorker(Process process, Path dir, Path work, Path stderr) {
        this.process = process;
        this.dir = dir;
        this.work = work;
        this.stderr = stderr;
        this.requests = process.getOutputStream();
        Thread reader = new Thread(this::readAnswers, "python-grader-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a worker in a new empty folder, with the environment {@link PythonExecutor#environment} gives. */
    static PythonWorker start(String python, Map<String, String> serverEnvironment) throws IOException {
        Path dir = Files.createTempDirectory("finetune4j-python-grader");
        try {
            Path work = Files.createDirectory(dir.resolve("work"));
            Path stderr = dir.resolve("stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(python, "-I", "-c", SERVER, Long.toString(IDLE_EXIT.toSeconds()))
                    .directory(work.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
            builder.environment().clear();
            builder.environment().putAll(PythonExecutor.environment(serverEnvironment, work));
            return new PythonWorker(builder.start(), dir, work, stderr);
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** Thrown when the process ended before it answered (it crashed, called {@code os._exit}, or was killed). */
    static final class Died extends Exception {
        Died(String message) {
            super(message);
        }
    }

    /**
     * Sends one request line (JSON without line breaks) and waits for its answer line; null after {@code limit},
     * when the worker is left busy and must be closed.
     */
    String ask(byte[] request, Duration limit) throws Died, InterruptedException {
        long stderrBefore = stderrLength();
        try {
            requests.write(request);
            requests.write('\n');
            requests.flush();
        } catch (IOException e) {
            throw died(stderrBefore);
        }
        String answer = answers.poll(limit.toNanos(), TimeUnit.NANOSECONDS);
        if (answer == EOF) throw died(stderrBefore);
        if (answer != null) {
            idleSince = System.nanoTime();
            emptyFolder();
        }
        return answer;
    }

    /** Whether the worker can take another request: alive, and idle for well under its own exit time. */
    boolean reusable() {
        return process.isAlive() && System.nanoTime() - idleSince < IDLE_EXIT.toNanos() / 2;
    }

    private Died died(long stderrBefore) {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String code = process.isAlive() ? "" : " with code " + process.exitValue();
        String err = stderrSince(stderrBefore).strip();
        return new Died("the python process exited" + code + " without a result"
                + (err.isEmpty() ? "" : "\n--- stderr ---\n" + err));
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) answers.add(line);
        } catch (IOException ignored) {
            // the process was killed; EOF below tells the waiting caller
        }
        answers.add(EOF);
    }

    /** Kills the process and the programs it started, and removes its folder. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    long pid() {
        return process.pid();
    }

    private void emptyFolder() {
        try (Stream<Path> paths = Files.walk(work)) {
            paths.filter(p -> !p.equals(work)).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a file the grader keeps open may resist; the next grade sees it, as a process of its own would not
        }
        try {
            // programs a grader started may keep printing; the log keeps only what a failure report needs
            if (stderrLength() > MAX_STDERR_BYTES) Files.write(stderr, new byte[0]);
        } catch (IOException ignored) {
            // the log only feeds failure details
        }
    }

    private long stderrLength() {
        try {
            return Files.size(stderr);
        } catch (IOException e) {
            return 0;
        }
    }

    private String stderrSince(long from) {
        try (RandomAccessFile f = new RandomAccessFile(stderr.toFile(), "r")) {
            long start = Math.max(from > f.length() ? 0 : from, f.length() - MAX_OUTPUT_CHARS);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
