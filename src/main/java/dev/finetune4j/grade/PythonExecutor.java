package dev.finetune4j.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
 * <p>As the hosted graders, each process has limits (a {@link Sandbox}, by default the hosted ones): on POSIX
 * systems python sets rlimits on itself before any grader runs: 2 GB of address space, 1 GB per file written, CPU
 * seconds per grade (twice the timeout), 1024 open files; a grader that passes one fails with an error that names
 * the limit (e.g. {@code the grader ran out of its memory limit of 2048 MB}), and a process that ran out of memory
 * or file descriptors is replaced for the next grade. Where {@code unshare -r -n} (util-linux) can create a user and
 * a network namespace, as on most Linux systems, python starts in them and has no network: only a loopback
 * interface that is down, so it reaches neither the internet nor this machine's ports, the server's API included
 * ({@link #networkIsolated()} says whether that is so here; ftserver prints it at start). There the grader sees
 * itself as root, of its own user namespace only: its rights on the machine stay those of the server's user.
 *
 * <p>The sandbox's {@link Sandbox#hiddenPaths() hidden paths} (the local server's data directory: its database,
 * every project's files and the keys) are hidden there too: python starts in a mount namespace of its own in which
 * each hidden folder is an empty read-only tmpfs, mounted so that the grader cannot unmount it (see
 * {@code HiddenPaths}); reading a file there fails with an error that says the server hides the folder. This is
 * probed once, with python started under it, and where it fails (no mount namespace, no {@code mount}) graders run
 * as before, with the paths visible; {@link #pathsHidden()} and {@link #describeSandbox()} say which is the case.
 * A path that holds python's installation or the temporary folder where graders work is not hidden.
 *
 * <p>What is not enforced: the rest of the file system. A grader runs with the rights of the server's user, so it
 * can read any file that user can outside the hidden paths (the user's other files, such as {@code ~/.ssh}, the
 * work folders of other graders in the temporary folder), write outside its folder and the hidden paths, and
 * connect to unix sockets in the file system; the total disk it writes is not capped (only each file), nor the
 * number of processes it starts (programs it starts inherit the limits; some, such as a JVM, reserve more address
 * space than 2 GB and do not start). Without user namespaces (macOS, Windows, containers or distributions that
 * forbid them) the network is open and nothing is hidden; macOS does not enforce the address space limit, and on
 * Windows no limit holds. The CPU limit is a backstop the grader could raise, and the hosted graders' two cores are
 * only a hint: numerical libraries are told to use two threads. So python graders must be trusted code, and the
 * server runs them only for the callers it trusts. The {@code image_tag} is not honoured: the packages available
 * are those of the local {@code python3}.
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

    /** How python is started in a network namespace of its own: unshare execs it, so the pid stays python's. */
    private static final List<String> UNSHARE = List.of("unshare", "-r", "-n");

    private final String executable;
    private final Duration timeout;
    private final Sandbox sandbox;
    private volatile Interpreter interpreter; // the real binary behind executable, found once
    // how python starts here (namespaces, hidden paths): probed once for an executor and the copies made of it
    private final AtomicReference<Launch> launch;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final Set<PythonWorker> workers = ConcurrentHashMap.newKeySet();
    private final Deque<PythonWorker> idle = new ConcurrentLinkedDeque<>();
    private final Semaphore slots = new Semaphore(MAX_WORKERS, true);
    private volatile boolean stopped;

    /** {@code python3} from the PATH, with the default timeout. */
    public PythonExecutor() {
        this("python3", DEFAULT_TIMEOUT);
    }

    /** An interpreter and timeout, with the {@link Sandbox#standard standard} limits for that timeout. */
    public PythonExecutor(String executable, Duration timeout) {
        this(executable, timeout, Sandbox.standard(timeout));
    }

    /**
     * An interpreter, timeout and limits, e.g. {@code new PythonExecutor("python3", Duration.ofSeconds(120),
     * Sandbox.standard(Duration.ofSeconds(120)).withNetwork(true))} for graders that must reach a local service.
     */
    public PythonExecutor(String executable, Duration timeout, Sandbox sandbox) {
        this(executable, timeout, sandbox, new AtomicReference<>());
    }

    private PythonExecutor(String executable, Duration timeout, Sandbox sandbox, AtomicReference<Launch> launch) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        this.executable = executable;
        this.timeout = timeout;
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.launch = launch;
    }

    /**
     * What a python grader's process may use: address space ({@code RLIMIT_AS}), the size of any one file it writes
     * ({@code RLIMIT_FSIZE}), CPU seconds per grade ({@code RLIMIT_CPU}, set anew before each grade), open files
     * ({@code RLIMIT_NOFILE}), whether it may use the network, and the paths it must not see (none by default; the
     * local server adds its data directory). The limits are POSIX rlimits that python sets on itself before any
     * grader runs; programs a grader starts inherit them.
     *
     * <p>Example: {@code Sandbox.standard(Duration.ofSeconds(120)).withMemoryBytes(4L << 30)}.
     */
    public record Sandbox(long memoryBytes, long fileSizeBytes, long cpuSeconds, int openFiles, boolean network,
                          List<Path> hiddenPaths) {
        /** The hosted graders' memory: 2 GB. */
        public static final long MEMORY_BYTES = 2L << 30;
        /** The hosted graders' disk: 1 GB. */
        public static final long FILE_SIZE_BYTES = 1L << 30;
        /** The usual default soft limit of Linux. */
        public static final int OPEN_FILES = 1024;

        public Sandbox {
            // python and the process's own threads take about 160 MB of address space before any grader runs
            if (memoryBytes < (256L << 20)) throw new IllegalArgumentException("memoryBytes must be at least 256 MB");
            if (fileSizeBytes < (1L << 20)) throw new IllegalArgumentException("fileSizeBytes must be at least 1 MB");
            if (cpuSeconds < 1) throw new IllegalArgumentException("cpuSeconds must be at least 1");
            if (openFiles < 32) throw new IllegalArgumentException("openFiles must be at least 32");
            List<Path> paths = new ArrayList<>();
            for (Path p : Objects.requireNonNull(hiddenPaths, "hiddenPaths")) {
                paths.add(Objects.requireNonNull(p, "a hidden path").toAbsolutePath().normalize());
            }
            hiddenPaths = List.copyOf(paths);
        }

        /**
         * The hosted graders' limits for a grade of at most {@code timeout}: 2 GB of memory (as address space, which
         * counts a little more than the memory used), 1 GB per file, twice the timeout in CPU seconds (their two
         * cores), 1024 open files, no network.
         */
        public static Sandbox standard(Duration timeout) {
            long cpu = 2 * Math.max(1, (timeout.toMillis() + 999) / 1000);
            return new Sandbox(MEMORY_BYTES, FILE_SIZE_BYTES, cpu, OPEN_FILES, false, List.of());
        }

        /** The address space of a python process, e.g. {@code withMemoryBytes(4L << 30)} for 4 GB. */
        public Sandbox withMemoryBytes(long bytes) {
            return new Sandbox(bytes, fileSizeBytes, cpuSeconds, openFiles, network, hiddenPaths);
        }

        /** The largest file a grader may write, e.g. {@code withFileSizeBytes(64L << 20)}. */
        public Sandbox withFileSizeBytes(long bytes) {
            return new Sandbox(memoryBytes, bytes, cpuSeconds, openFiles, network, hiddenPaths);
        }

        /** CPU seconds per grade, a backstop behind the wall-clock timeout, e.g. {@code withCpuSeconds(60)}. */
        public Sandbox withCpuSeconds(long seconds) {
            return new Sandbox(memoryBytes, fileSizeBytes, seconds, openFiles, network, hiddenPaths);
        }

        /** Open files per python process, e.g. {@code withOpenFiles(256)}. */
        public Sandbox withOpenFiles(int files) {
            return new Sandbox(memoryBytes, fileSizeBytes, cpuSeconds, files, network, hiddenPaths);
        }

        /** Whether graders may use the network; without it they run in a network namespace of their own. */
        public Sandbox withNetwork(boolean allowed) {
            return new Sandbox(memoryBytes, fileSizeBytes, cpuSeconds, openFiles, allowed, hiddenPaths);
        }

        /**
         * Folders (or files) graders must not see, e.g. {@code sandbox.withHiddenPaths(List.of(dataDir))}: where a
         * mount namespace can be made, each appears to graders as an empty read-only folder (or an empty file). Not
         * hidden are paths that do not exist when the first grader starts, and those that hold python or the
         * graders' temporary folders ({@link PythonExecutor#describeSandbox()} names them).
         */
        public Sandbox withHiddenPaths(List<Path> paths) {
            return new Sandbox(memoryBytes, fileSizeBytes, cpuSeconds, openFiles, network, paths);
        }
    }

    public String executable() {
        return executable;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The limits this executor's graders run under, e.g. {@code python.sandbox().memoryBytes()}. */
    public Sandbox sandbox() {
        return sandbox;
    }

    /**
     * Whether graders run without network: the sandbox forbids it and {@code unshare -r -n} (util-linux) can give
     * them a network namespace of their own here, with only a loopback interface that is down. False on systems
     * without user namespaces (macOS, Windows, a Linux that disables them for unprivileged users), where graders
     * have the server's network. Asked once, e.g. {@code if (!python.networkIsolated()) warn(...)}.
     */
    public boolean networkIsolated() {
        return launch().networkIsolated();
    }

    /**
     * The paths of {@link Sandbox#hiddenPaths()} that graders cannot see here (as real paths): empty when none were
     * asked for or a mount namespace cannot be made, e.g. {@code python.pathsHidden().contains(dataDir)}.
     */
    public List<Path> pathsHidden() {
        return launch().hidden();
    }

    /**
     * One line for an operator, e.g. {@code no network, 2048 MB of memory, files up to 1024 MB, ...; hidden from
     * graders: /home/me/.finetune4j}.
     */
    public String describeSandbox() {
        Launch l = launch();
        if (l.undecided() != null) {
            return "sandbox not checked yet (" + l.undecided() + "): graders will not start until it is";
        }
        String network = sandbox.network() ? "network allowed"
                : l.networkIsolated() ? "no network"
                : "network NOT isolated (unshare -r -n cannot make a network namespace here)";
        return network + ", " + (sandbox.memoryBytes() >> 20) + " MB of memory, files up to "
                + (sandbox.fileSizeBytes() >> 20) + " MB, " + sandbox.cpuSeconds() + " s of CPU and "
                + timeout.toSeconds() + " s per grade, " + sandbox.openFiles() + " open files" + l.hiding();
    }

    /**
     * How python starts: the command before it (empty: python alone), whether it has no network, what it cannot
     * see, and {@code hiding}, the part of {@link #describeSandbox()} about hidden paths. {@code undecided} is null
     * once every probe gave an answer, else why one did not (it ran out of time): such a launch is not kept, and no
     * grader starts from it.
     */
    private record Launch(List<String> launcher, boolean networkIsolated, List<Path> hidden, String hiding,
                          String undecided) {}

    private Launch launch() {
        Launch found = launch.get();
        if (found != null) return found;
        Interpreter python = interpreterFound();
        String binary = python == null ? null : python.path();
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        String undecided = null;
        // python itself is started in the namespaces when there is one: a system may allow them and still keep
        // python from starting there, and then every grade would fail instead of running as before
        Boolean unshared = !sandbox.network() && linux ? canLaunch(UNSHARE, binary) : Boolean.FALSE;
        if (unshared == null) undecided = "the check of a network namespace did not end in time";
        boolean noNetwork = Boolean.TRUE.equals(unshared);
        List<String> launcher = noNetwork ? UNSHARE : List.of();
        List<Path> hidden = List.of();
        StringBuilder hiding = new StringBuilder();
        if (!sandbox.hiddenPaths().isEmpty()) {
            HiddenPaths.Plan plan = HiddenPaths.plan(sandbox.hiddenPaths(),
                    python == null ? List.of() : python.needs(), Path.of(System.getProperty("java.io.tmpdir")));
            if (!plan.hidden().isEmpty()) {
                // with the network forbidden but no namespace for it, a mount namespace is not tried either
                List<String> hides = HiddenPaths.launcher(noNetwork, plan.hidden());
                Boolean works = linux && (noNetwork || sandbox.network()) ? HiddenPaths.work(hides, binary, plan.hidden())
                        : Boolean.FALSE;
                if (works == null) undecided = "the check of a mount namespace did not end in time";
                if (Boolean.TRUE.equals(works)) {
                    launcher = hides;
                    hidden = plan.hidden();
                    hiding.append("; hidden from graders: ").append(join(hidden));
                } else {
                    hiding.append(noNetwork || sandbox.network()
                            ? "; NOT hidden from graders (unshare -m cannot make a mount namespace here): "
                            : "; NOT hidden from graders (no user namespace for the mounts here): ")
                            .append(join(plan.hidden()));
                }
            }
            plan.kept().forEach((path, why) -> hiding.append("; not hidden from graders, as ").append(why)
                    .append(": ").append(path));
        }
        found = new Launch(launcher, noNetwork, hidden, hiding.toString(), undecided);
        // asked again next time: a slow moment, or python not installed yet, must not decide for good
        if (undecided != null || python == null) return found;
        // two threads may both probe the first time: the first answer is kept by all
        launch.compareAndSet(null, found);
        return launch.get();
    }

    private static String join(List<Path> paths) {
        return String.join(", ", paths.stream().map(Path::toString).toList());
    }

    /**
     * Whether {@code launcher python -I -c pass} (e.g. {@code unshare -r -n python3 ...}) succeeds, or {@code launcher
     * true} when python is null: a kernel or a policy may refuse the namespaces, or the command may be missing. Null
     * when it did not end in time (no answer).
     */
    static Boolean canLaunch(List<String> launcher, String python) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(python == null ? List.of("true") : List.of(python, "-I", "-c", "pass"));
        return succeeds(command);
    }

    /**
     * Whether a probe command exits with 0 (false when it cannot be started), or null when it did not end within
     * 10 s. An interrupt does not cut a probe short: its answer decides for every later grade, so it must be one.
     */
    static Boolean succeeds(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return false; // e.g. no unshare on the PATH
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (true) {
                try {
                    if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        p.destroyForcibly();
                        return null;
                    }
                    return p.exitValue() == 0;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * A new executor with the same interpreter and timeout, stopped on its own: e.g. one per training job, so that
     * cancelling a job kills its graders and no one else's.
     */
    public PythonExecutor copy() {
        PythonExecutor copy = new PythonExecutor(executable, timeout, sandbox, launch);
        copy.interpreter = interpreter;
        return copy;
    }

    /**
     * A new executor with the same interpreter and timeout and another sandbox, e.g. {@code
     * python.withSandbox(python.sandbox().withHiddenPaths(List.of(dataDir)))}.
     */
    public PythonExecutor withSandbox(Sandbox other) {
        PythonExecutor changed = new PythonExecutor(executable, timeout, other);
        changed.interpreter = interpreter;
        return changed;
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
        Interpreter found = interpreterFound();
        return found == null ? null : found.path();
    }

    /** The binary python is started as, and the folders it needs: its installation ({@code sys.prefix} and kin). */
    private record Interpreter(String path, List<Path> installation) {
        /** What a hidden path must not cover, or python would not start. */
        List<Path> needs() {
            List<Path> needs = new ArrayList<>(installation);
            needs.add(Path.of(path));
            return needs;
        }
    }

    private Interpreter interpreterFound() {
        Interpreter found = interpreter;
        if (found != null) return found;
        Path answer = null;
        try {
            // the answer goes to a file, not a pipe: reading a pipe would wait for a hung launcher past the timeout
            answer = Files.createTempFile("finetune4j-python", ".txt");
            Process p = new ProcessBuilder(executable, "-I", "-c", "import sys; sys.stdout.write('\\n'.join(["
                    + "sys.executable, sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]))")
                    .redirectErrorStream(true).redirectOutput(answer.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            // one line each, the first (sys.executable) possibly empty
            String[] lines = Files.readString(answer, StandardCharsets.UTF_8).split("\n");
            String out = lines[0].strip();
            List<Path> installation = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isBlank()) installation.add(Path.of(lines[i].strip()));
            }
            found = new Interpreter(out.isEmpty() || !Files.isExecutable(Path.of(out)) ? executable : out,
                    List.copyOf(installation));
            interpreter = found;
            return found;
        } catch (IOException | InvalidPathException e) {
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
        Launch how = launch();
        // no sandbox was decided on: a grader does not run without the limits it may get (the next grade asks again)
        if (how.undecided() != null) throw new IOException("python graders cannot start: " + how.undecided());
        PythonWorker w = PythonWorker.start(how.launcher(), how.networkIsolated(), how.hidden(), python, sandbox,
                System.getenv());
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
     * locale, {@code HOME} and {@code TMPDIR} in the run's own empty folder, and two threads for numerical
     * libraries. Nothing else of the server's environment passes, so API keys and other secrets set there are not
     * handed to the grader. (Without a user namespace, a grader can still read them from {@code /proc/<pid>/environ}
     * of the server, as the server's user.)
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
        // the hosted graders' two cores; and each BLAS thread reserves its own buffers, which on a machine of many
        // cores would take numpy past the address space limit
        for (String threads : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(threads, "2");
        }
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
