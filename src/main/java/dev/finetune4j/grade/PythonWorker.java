package dev.finetune4j.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@code python3} process that grades sample after sample: starting Python costs 50-500 ms, grading a sample
 * usually under a millisecond, and a reinforcement job grades thousands. Each request is one JSON line on the
 * process's stdin, each answer one JSON line on its stdout. Every grade runs the source again as a fresh module, as
 * a process of its own would, in the worker's folder, emptied after each grade; what a grader changes in imported
 * modules stays for the next grade of the same worker, which is why the server keeps a project's workers apart from
 * other projects'. A worker leaves by itself, with the programs its graders started, after {@link #IDLE_EXIT}
 * without requests or when the JVM is gone.
 */
final class PythonWorker implements AutoCloseable {
    /** How long an idle worker lives; {@link PythonExecutor} reuses one only well within this. */
    static final Duration IDLE_EXIT = Duration.ofSeconds(60);
    private static final int MAX_OUTPUT_CHARS = 4000;
    private static final long MAX_STDERR_BYTES = 1 << 20;
    /** An answer holds a score, or an error and output clipped to a few thousand characters. */
    private static final int MAX_ANSWER_BYTES = 1 << 20;
    private static final String EOF = new String("EOF"); // a marker compared by identity

    // The protocol uses private copies of fds 0 and 1: fd 0 becomes /dev/null and fd 1 a copy of stderr, so that a
    // grader (or a program it starts) can neither read the next request nor write into an answer by accident. Each
    // answer names its request and the process: a grader that forks and lets the child return would otherwise answer
    // twice, and every later score would go to the sample before it. The process leads a process group of its own so
    // that, leaving (idle, or its JVM gone), it takes the programs its graders started with it. The limits are set
    // before the first request, soft and hard alike so that a grader cannot raise them, except the CPU time: that
    // one counts the whole life of the process, so each grade gets a soft limit of its own, past what the process
    // has used so far. An answer marked "retire" comes from a process that ran out of memory or file descriptors:
    // what the grader left behind may still hold them, so the executor starts a new process for the next grade.
    private static final String SERVER = """
            import errno, gc, io, json, math, numbers, os, signal, sys, threading, time, traceback, types
            def serve():
                # in a function: a grader that imports __main__ finds neither pipe there
                IDLE = float(sys.argv[1])
                MEMORY, FILE_SIZE, CPU, OPEN_FILES = (int(a) for a in sys.argv[2:6])
                NO_NETWORK = sys.argv[6] == 'isolated'
                HIDDEN = sys.argv[7:]  # covered by empty mounts: an error about a path there says so
                PID = os.getpid()
                PARENT = os.getppid()
                WORK = os.getcwd()
                if hasattr(os, 'setpgrp'):
                    os.setpgrp()
                limited = set()
                try:
                    import resource
                except ImportError:
                    resource = None  # not POSIX: nothing below can be enforced
                def limit(name, value, hard=None):
                    kind = getattr(resource, name, None)
                    if kind is None:
                        return
                    try:
                        old = resource.getrlimit(kind)[1]
                        if old != resource.RLIM_INFINITY:
                            value = min(value, old)
                        resource.setrlimit(kind, (value, value if hard is None else old))
                        limited.add(name)
                    except (ValueError, OSError):
                        pass  # e.g. macOS does not enforce RLIMIT_AS
                if resource is not None:
                    limit('RLIMIT_AS', MEMORY)
                    limit('RLIMIT_FSIZE', FILE_SIZE)
                    limit('RLIMIT_NOFILE', OPEN_FILES)
                requests = os.fdopen(os.dup(0), 'rb')
                answers = os.fdopen(os.dup(1), 'wb')
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                os.dup2(2, 1)
                real_stdout, real_stderr = sys.stdout, sys.stderr
                state = {'busy': False, 'grading': False, 'last': time.monotonic()}
                class CpuTimeLimit(BaseException):
                    # not an Exception: a grader's `except Exception` must not swallow it
                    __module__, __qualname__ = 'builtins', 'CpuTimeLimit'  # its name in a traceback
                def over_cpu(signum, frame):
                    if os.getpid() != PID:
                        # a child the grader forked inherited this handler: it ends as a program would
                        signal.signal(signum, signal.SIG_DFL)
                        os.kill(os.getpid(), signum)
                    elif state['grading']:
                        raise CpuTimeLimit()
                    # else the grader's code is not running (the answer is being written): the next grade sets a new
                    # limit, and the loop must not break
                cpu_limited = resource is not None and hasattr(signal, 'SIGXCPU')
                if cpu_limited:
                    signal.signal(signal.SIGXCPU, over_cpu)
                def budget_cpu():
                    # the kernel signals SIGXCPU once the process's CPU time passes the soft limit
                    if cpu_limited:
                        times = os.times()
                        limit('RLIMIT_CPU', int(times.user + times.system) + CPU + 1, hard='keep')
                def leave():
                    if hasattr(os, 'killpg'):
                        try:
                            os.killpg(0, signal.SIGKILL)
                        except OSError:
                            pass
                    os._exit(0)
                def watchdog():
                    # idle too long, or the JVM gone (even in the middle of a grade that never ends)
                    while True:
                        time.sleep(1)
                        if not state['busy'] and time.monotonic() - state['last'] > IDLE or os.getppid() != PARENT:
                            leave()
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
                def failure(e):
                    # the grader's frames only: this loop's are no concern of the grader's author
                    tb = e.__traceback__
                    while tb is not None and tb.tb_frame.f_code.co_filename != 'grader.py':
                        tb = tb.tb_next
                    try:
                        return ''.join(traceback.format_exception(type(e), e, tb))
                    except MemoryError:
                        return type(e).__name__  # what the grader holds leaves no room for the traceback
                def limit_hit(error):
                    # (why, whether the process must be replaced) when the error, or one it wraps (urllib's URLError
                    # holds the OSError as its reason), comes from a limit of this sandbox
                    seen = []
                    while isinstance(error, BaseException) and len(seen) < 8 and not any(error is e for e in seen):
                        seen.append(error)
                        found = limit_of(error)
                        if found[0] is not None:
                            return found
                        reason = getattr(error, 'reason', None)
                        error = reason if isinstance(reason, BaseException) else error.__cause__ or error.__context__
                    return None, False
                def limit_of(e):
                    code = getattr(e, 'errno', None) if isinstance(e, OSError) else None
                    if isinstance(e, CpuTimeLimit):
                        return 'the grader used up its CPU time limit of %d s for one grade' % CPU, False
                    if 'RLIMIT_AS' in limited and (isinstance(e, MemoryError) or code == errno.ENOMEM):
                        return 'the grader ran out of its memory limit of %d MB' % (MEMORY >> 20), True
                    if 'RLIMIT_FSIZE' in limited and code == errno.EFBIG:
                        return 'the grader wrote past its file size limit of %d MB' % (FILE_SIZE >> 20), False
                    if 'RLIMIT_NOFILE' in limited and code == errno.EMFILE:
                        return 'the grader hit its limit of %d open files' % OPEN_FILES, True
                    if NO_NETWORK and (type(e).__name__ == 'gaierror'
                                       or code in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL)):
                        return 'python graders have no network access (as on the hosted graders)', False
                    name = getattr(e, 'filename', None) if isinstance(e, OSError) else None
                    where = hidden_by(name) if isinstance(name, str) and HIDDEN else None
                    if where is not None:
                        return 'python graders cannot see %s: the server hides it from them' % where, False
                    return None, False
                def hidden_by(name):
                    try:
                        path = os.path.realpath(name)
                    except Exception:
                        return None  # only the wording of an error is at stake
                    for h in HIDDEN:
                        if path == h or path.startswith(h.rstrip(os.sep) + os.sep):
                            return h
                    return None
                def failed(e):
                    why, retire = limit_hit(e)
                    text = failure(e)
                    result = {'error': text if why is None else why + '\\n' + text}
                    if retire:
                        result['retire'] = True
                        sys.modules.pop('__grader__', None)
                        gc.collect()
                    return result
                codes = {}
                def grade_one(payload):
                    source = payload['source']
                    code = codes.get(source)
                    if code is None:
                        if len(codes) > 16:
                            codes.clear()
                        code = codes[source] = compile(source, 'grader.py', 'exec')
                    # a module of its own, fresh for each grade, so that multiprocessing can pickle its functions
                    module = types.ModuleType('__grader__')
                    sys.modules['__grader__'] = module
                    exec(code, module.__dict__)
                    grade = module.__dict__.get('grade')
                    if not callable(grade):
                        return {'error': 'the source does not define a function grade(sample, item)'}
                    value = grade(payload['sample'], payload['item'])
                    if isinstance(value, bool) or not isinstance(value, numbers.Real):
                        return {'error': 'grade() returned %s (%r); expected a float' % (type(value).__name__, value)}
                    try:
                        score = float(value)
                    except (OverflowError, ValueError):
                        score = math.inf
                    if not math.isfinite(score):
                        return {'error': 'grade() returned %r; expected a finite float' % (value,)}
                    return {'result': score}
                for line in requests:
                    state['busy'] = True
                    payload = json.loads(line.decode('utf-8'))
                    output = Tail()
                    budget_cpu()
                    sys.stdout = sys.stderr = output
                    try:
                        try:
                            state['grading'] = True
                            result = grade_one(payload)
                        finally:
                            state['grading'] = False  # from here on SIGXCPU raises nothing
                    except BaseException as e:
                        result = failed(e)
                    finally:
                        sys.stdout, sys.stderr = real_stdout, real_stderr
                    if os.getpid() != PID:
                        os._exit(0)  # a child the grader forked: only the worker answers
                    try:
                        os.chdir(WORK)
                    except OSError:
                        pass
                    if 'error' in result:
                        result['error'] = clip(result['error'])
                    result['output'] = output.getvalue()[-MAX:]
                    result['id'] = payload['id']
                    result['pid'] = PID
                    try:
                        answers.write(json.dumps(result).encode('ascii') + b'\\n')
                        answers.flush()
                    except OSError:
                        leave()  # the JVM is gone
                    state['last'] = time.monotonic()
                    state['busy'] = False
                leave()
            serve()
            """.replace("MAX", Integer.toString(MAX_OUTPUT_CHARS));

    /** Every worker not closed yet: the JVM's exit closes them, so no folder and no python process stays behind. */
    private static final Set<PythonWorker> LIVE = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (PythonWorker w : LIVE) w.close();
            }, "finetune4j-python-graders-exit"));
        } catch (IllegalStateException exiting) {
            // the first grade of a JVM that is already exiting: its processes end with their stdin
        }
    }

    private final Process process;
    private final Path dir;
    private final Path work;
    private final Path stderr;
    private final OutputStream requests;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private volatile long idleSince = System.nanoTime();
    private volatile boolean busy;
    private volatile boolean outOfTurn; // an answer came that was not asked for: never reused
    private volatile boolean retired; // it ran out of memory or file descriptors: never reused
    private long lastRequest;

    private PythonWorker(Process process, Path dir, Path work, Path stderr) {
        this.process = process;
        this.dir = dir;
        this.work = work;
        this.stderr = stderr;
        this.requests = process.getOutputStream();
        LIVE.add(this);
        Thread reader = new Thread(this::readAnswers, "python-grader-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a worker in a new empty folder, with the environment {@link PythonExecutor#environment} gives and the
     * sandbox's limits. The {@code launcher} (e.g. {@code unshare -r -n}, or the one of {@link HiddenPaths}) must exec
     * python in its own process, not fork it: the process started here has to be python itself, the leader of its
     * process group. {@code noNetwork} and {@code hidden} say what the launcher takes away, for the graders' errors.
     */
    static PythonWorker start(List<String> launcher, boolean noNetwork, List<Path> hidden, String python,
                              PythonExecutor.Sandbox sandbox, Map<String, String> serverEnvironment)
            throws IOException {
        Path dir;
        try {
            dir = Files.createTempDirectory("finetune4j-python-grader");
        } catch (IOException e) {
            throw new IOException("cannot make a folder for the python grader in " + System.getProperty("java.io.tmpdir")
                    + ": " + e.getMessage(), e);
        }
        try {
            Path work = Files.createDirectory(dir.resolve("work"));
            Path stderr = dir.resolve("stderr.txt");
            List<String> command = new ArrayList<>(launcher);
            command.addAll(List.of(python, "-I", "-c", SERVER, Long.toString(IDLE_EXIT.toSeconds()),
                    Long.toString(sandbox.memoryBytes()), Long.toString(sandbox.fileSizeBytes()),
                    Long.toString(sandbox.cpuSeconds()), Integer.toString(sandbox.openFiles()),
                    noNetwork ? "isolated" : "open"));
            for (Path p : hidden) command.add(p.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(work.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
            builder.environment().clear();
            builder.environment().putAll(PythonExecutor.environment(serverEnvironment, work));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IOException("cannot start '" + python + "': " + e.getMessage(), e);
            }
            return new PythonWorker(process, dir, work, stderr);
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
     * Sends one request (given an {@code id} here) and waits for its answer; null after {@code limit}, when the
     * worker is left busy and must be closed. Lines that are not this request's answer from this process are
     * skipped, and the worker is not reused after them.
     */
    JsonNode ask(ObjectNode request, Duration limit) throws Died, InterruptedException {
        busy = true;
        try {
            long id = ++lastRequest;
            request.put("id", id);
            long stderrBefore = stderrLength();
            try {
                requests.write(Json.MAPPER.writeValueAsBytes(request));
                requests.write('\n');
                requests.flush();
            } catch (IOException e) {
                throw died(stderrBefore);
            }
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                // in slices: a child the grader forked may hold the pipe open after the process died, so no EOF comes
                long wait = Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200));
                String line = answers.poll(wait, TimeUnit.NANOSECONDS);
                if (line == null && !process.isAlive()) line = answers.poll(50, TimeUnit.MILLISECONDS);
                if (line == null && !process.isAlive()) throw died(stderrBefore);
                if (line == null && System.nanoTime() >= deadline) return null;
                if (line == null) continue;
                if (line == EOF) throw died(stderrBefore);
                JsonNode answer = Sample.parseJson(line);
                if (answer != null && answer.path("id").asLong(-1) == id && answer.path("pid").asLong(-1) == pid()) {
                    if (answer.path("retire").asBoolean(false)) retired = true;
                    idleSince = System.nanoTime();
                    emptyFolder();
                    return answer;
                }
                outOfTurn = true;
            }
        } finally {
            busy = false;
        }
    }

    /**
     * Whether the worker can take another request: alive, in turn, not out of memory or file descriptors, and idle
     * for well under its own exit time.
     */
    boolean reusable() {
        return !outOfTurn && !retired && process.isAlive() && System.nanoTime() - idleSince < IDLE_EXIT.toNanos() / 2;
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
        try (InputStream in = new BufferedInputStream(process.getInputStream())) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean tooLong = false;
            for (int b; (b = in.read()) >= 0; ) {
                if (b != '\n') {
                    // an answer is small; a longer line is not one of ours, and must not fill the heap
                    if (line.size() < MAX_ANSWER_BYTES) line.write(b);
                    else tooLong = true;
                    continue;
                }
                answers.add(tooLong ? "" : line.toString(StandardCharsets.UTF_8));
                line.reset();
                tooLong = false;
            }
        } catch (IOException ignored) {
            // the process was killed; EOF below tells the waiting caller
        }
        answers.add(EOF);
        // an idle worker that left by itself: its folder goes now rather than when its executor next looks
        if (!busy) deleteTree(dir);
    }

    /** Kills the process and the programs it started, and removes its folder. */
    @Override
    public void close() {
        LIVE.remove(this);
        killGroup();
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

    /**
     * Kills the process group the python process leads: programs a grader started in the background are no longer
     * its descendants once their parent exits, but stay in its group. Java has no call for a group, so on Unix this
     * runs {@code kill}; elsewhere the descendants are all that can be found.
     */
    private void killGroup() {
        if (File.separatorChar != '/') return;
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: the descendants are killed below all the same
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void emptyFolder() {
        try (Stream<Path> paths = Files.walk(work)) {
            paths.filter(p -> !p.equals(work)).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
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

    /** Deletes a python grader's folder; one deleted meanwhile (close() and the reader both clean up) is fine. */
    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder left behind is harmless: the grade has already been computed
        }
    }
}
