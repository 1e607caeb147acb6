package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.ErrorResponse;
import dev.finetune4j.api.Json;
import dev.finetune4j.grade.PythonExecutor;
import dev.finetune4j.train.Trainer;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local OpenAI-compatible fine-tuning server: {@code var server = LocalServer.start();} then point any
 * OpenAI client at {@code server.baseUrl()} with {@code server.apiKey()}.
 *
 * <p>State lives in a data directory (default {@code ~/.finetune4j}): {@code finetune4j.db} (SQLite, WAL) holds
 * the metadata, {@code files/} and {@code jobs/} the blobs, {@code keys/default.key} the dev key of the default
 * project and {@code keys/admin.key} the admin key (both readable by the owner only).
 *
 * <p>One server writes a data directory. When another live process already serves it, {@code start} returns
 * a handle attached to that server: {@link #baseUrl()} is the owner's URL (read from {@code server.json}), the
 * keys are read from the {@code keys/} files, and {@link #close()} leaves the owner running.
 */
public final class LocalServer implements AutoCloseable {
    /** A line per request for an operator (INFO in the standalone server; off in notebooks, as the job log). */
    static final String REQUEST_LOG_NAME = "finetune4j.requests";

    static {
        // Jetty and Javalin log every start and stop at INFO, which floods notebooks and JShell; keep their
        // warnings. Users who set these properties themselves keep their choice.
        for (String name : List.of("org.eclipse.jetty", "io.javalin")) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) System.setProperty(key, "warn");
        }
        // the operator's logs of the standalone server (ServerMain turns them on): in a notebook a job's failure
        // already reaches the user through await(), and every log line shows as an error
        for (String name : List.of(JobStore.JOB_LOG_NAME, REQUEST_LOG_NAME)) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) System.setProperty(key, "off");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);
    private static final Logger REQUEST_LOG = LoggerFactory.getLogger(REQUEST_LOG_NAME);
    /** How long a stop waits for the requests under way to finish. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    static final String DEFAULT_KEY_FILE = "default.key";
    static final String ADMIN_KEY_FILE = "admin.key";
    /** Every response carries a unique id, as OpenAI's do; clients show it in errors. */
    static final String REQUEST_ID_HEADER = "x-request-id";

    private final Path dataDir;
    private final String baseUrl;
    private final String apiKey;
    private final String adminKey;
    private final Javalin app;
    private final GracefulHandler requests;
    private final Services services;
    private final Cleanup cleanup;
    private final DataDirLock lock;

    private LocalServer(Path dataDir, String baseUrl, String apiKey, String adminKey, Javalin app,
                        GracefulHandler requests, Services services, Cleanup cleanup, DataDirLock lock) {
        this.dataDir = dataDir;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.adminKey = adminKey;
        this.app = app;
        this.requests = requests;
        this.services = services;
        this.cleanup = cleanup;
        this.lock = lock;
    }

    /** Starts on a free port of 127.0.0.1 with the data in {@code ~/.finetune4j}, e.g. {@code LocalServer.start().baseUrl()}. */
    public static LocalServer start() {
        return builder().start();
    }

    /** Starts (or attaches to the server already running) on a data directory, e.g. {@code LocalServer.start(Path.of("runs"))}. */
    public static LocalServer start(Path dataDir) {
        return builder().dataDir(dataDir).start();
    }

    /** A builder, e.g. {@code LocalServer.builder().port(8080).maxConcurrentJobs(2).start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The API base URL, ending in {@code /v1}, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The dev API key of the default project. */
    /**
     * A note for the user when training runs slower than it could (the JVM lacks the Vector API module), else null.
     * Example: {@code LocalServer.trainingNote()}.
     */
    public static String trainingNote() {
        return Trainer.vectorKernel() ? null : "training on the portable matrix kernel: start Java with --add-modules"
                + " jdk.incubator.vector to train about 1.5x as fast (README, Training speed)";
    }

    public String apiKey() {
        return apiKey;
    }

    /** The admin key: projects and checkpoint permissions. */
    public String adminKey() {
        return adminKey;
    }

    /** Who may run python graders and their sandbox, for ftserver's start-up lines; null when attached. */
    String pythonGradersNote() {
        return attached() ? null : services.pythonGraders().describe();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** True when this handle talks to a server another process (or handle) owns. */
    public boolean attached() {
        return app == null;
    }

    /** Creates a project with its first API key, e.g. {@code server.createProject("team-b").apiKey()}. */
    public ProjectKey createProject(String name) {
        if (!attached()) return services.projects().createProject(name);
        JsonNode n = adminCall("/organization/projects", Json.write(java.util.Map.of("name", name)));
        return new ProjectKey(n.path("id").asText(), n.path("name").asText(), n.path("api_key").asText());
    }

    private JsonNode adminCall(String path, String json) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("the server answered " + r.statusCode() + ": " + r.body());
            return Json.tree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server: running jobs save their state and resume at the next start. Attached handles do nothing. */
    @Override
    public void close() {
        if (attached()) return;
        // first, so that neither a request nor a job waits out a python grader's timeout
        services.pythonGraders().stopAll();
        finishRequests();
        app.stop();
        cleanup.close();
        services.scheduler().close();
        services.db().close();
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("could not release the data directory lock: {}", e.toString());
        }
    }

    /**
     * Lets the requests under way finish, up to {@link #STOP_GRACE}, answering new ones 503 (which clients retry): a
     * file stored is then acknowledged, and one acknowledged is stored. Jetty's own graceful stop would also wait for
     * idle kept-alive connections, which clients hold for minutes.
     */
    private void finishRequests() {
        try {
            requests.shutdown().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("requests still under way after {} s are cut off", STOP_GRACE.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("waiting for the requests under way failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LocalServer[" + baseUrl + (attached() ? ", attached" : "") + ", data=" + dataDir + "]";
    }

    /**
     * The data directory when none is given: {@code FINETUNE4J_DATA} (or the system property {@code finetune4j.data}),
     * else {@code ~/.finetune4j}. CI and notebooks point it at a folder of their own without code changes.
     */
    public static Path defaultDataDir() {
        String dir = System.getProperty("finetune4j.data", System.getenv("FINETUNE4J_DATA"));
        return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".finetune4j");
    }

    /**
     * Who may use python graders, which run their code on the server's machine as the server's user: where Linux
     * lets them run in namespaces of their own the data directory (keys included) is hidden from them, but they can
     * read the user's other files, and elsewhere every file that user can.
     */
    public enum PythonGraders {
        /** The admin key and the default project (the key the server prints at start): the default. */
        OWNER,
        /** Every project: for a server whose every key holder may run code as the server's user. */
        ALL,
        /** Nobody. */
        NONE;

        /** {@code owner}, {@code all} or {@code none}, as the {@code --python-graders} option takes it. */
        public static PythonGraders parse(String value) {
            for (PythonGraders p : values()) if (p.name().equalsIgnoreCase(value)) return p;
            throw new IllegalArgumentException("python graders: expected owner, all or none, got '" + value + "'");
        }
    }

    /** Options of a server. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private Path dataDir = defaultDataDir();
        private int maxConcurrentJobs = 1;
        private int stateEverySteps = 25;
        private Services.Limits limits = Services.Limits.DEFAULT;
        private int trainingThreads = Runtime.getRuntime().availableProcessors();
        private Duration cleanupEvery = Duration.ofMinutes(10);
        private Engine engine;
        private long minBodyBytes = SlowBodyGuard.MIN_BYTES;
        private Duration bodyWindow = SlowBodyGuard.WINDOW;
        private PythonGraders pythonGraders = PythonGraders.OWNER;
        private PythonExecutor python = new PythonExecutor();

        private Builder() {}

        /**
         * Who may use python graders (default {@link PythonGraders#OWNER}: the admin key and the default project),
         * e.g. {@code LocalServer.builder().pythonGraders(PythonGraders.ALL)}. Others get a 403.
         */
        public Builder pythonGraders(PythonGraders who) {
            this.pythonGraders = java.util.Objects.requireNonNull(who);
            return this;
        }

        /**
         * The limits of python graders' processes (default {@link PythonExecutor.Sandbox#standard}, as the hosted
         * graders), e.g. {@code LocalServer.builder().pythonSandbox(PythonExecutor.Sandbox.standard(
         * PythonExecutor.DEFAULT_TIMEOUT).withNetwork(true))} for graders that call a local service. The data
         * directory is hidden from graders in any case, besides the sandbox's own hidden paths.
         */
        public Builder pythonSandbox(PythonExecutor.Sandbox sandbox) {
            this.python = python.withSandbox(Objects.requireNonNull(sandbox));
            return this;
        }

        /** The interpreter and timeout of python graders; tests shorten the timeout. */
        Builder python(PythonExecutor python) {
            this.python = python;
            return this;
        }

        /** The interface to bind; {@code 127.0.0.1} unless told otherwise. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** How many jobs train at once (default 1; the others wait, projects taking turns). */
        public Builder maxConcurrentJobs(int n) {
            if (n < 1) throw new IllegalArgumentException("maxConcurrentJobs must be at least 1, got " + n);
            this.maxConcurrentJobs = n;
            return this;
        }

        /** How often (in steps) a training job saves its resume state besides epoch ends (default 25). */
        public Builder resumeStateEverySteps(int steps) {
            if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
            this.stateEverySteps = steps;
            return this;
        }

        /** Threads of the training maths of one job (default: all cores). */
        public Builder trainingThreads(int threads) {
            if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            this.trainingThreads = threads;
            return this;
        }

        /** The largest file {@code POST /files} accepts (default 512 MB, as the service). */
        public Builder maxFileBytes(long bytes) {
            this.limits = new Services.Limits(bytes, limits.maxPartBytes(), limits.maxUploadBytes());
            return this;
        }

        /**
         * How often expired files and uploads are removed (default every 10 minutes, and at start), e.g.
         * {@code LocalServer.builder().cleanupEvery(Duration.ofMinutes(1))}.
         */
        public Builder cleanupEvery(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the cleanup interval must be positive, got " + interval);
            }
            this.cleanupEvery = interval;
            return this;
        }

        /** A request body slower than {@code minBytes} per {@code window} is refused (408); tests shorten it. */
        Builder minBodyRate(long minBytes, Duration window) {
            this.minBodyBytes = minBytes;
            this.bodyWindow = window;
            return this;
        }

        Builder engine(Engine engine) {
            this.engine = engine;
            return this;
        }

        /** Starts the server, or attaches to the one that already serves the data directory. */
        public LocalServer start() {
            try {
                Path dir = dataDir.toAbsolutePath().normalize();
                DataDirLock lock = DataDirLock.tryAcquire(dir);
                if (lock == null) return attach(dir);
                try {
                    return own(dir, lock);
                } catch (RuntimeException | IOException e) {
                    lock.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the server on " + dataDir + ": " + e.getMessage(), e);
            }
        }

        private LocalServer attach(Path dir) throws IOException {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (true) {
                DataDirLock.Owner owner = DataDirLock.owner(dir);
                if (owner != null && answers(owner.url())) {
                    return new LocalServer(dir, owner.url(), readKey(dir, DEFAULT_KEY_FILE), readKey(dir, ADMIN_KEY_FILE),
                            null, null, null, null, null);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the data directory " + dir + " is locked by another process that does not"
                            + " answer" + (owner == null ? "" : " at " + owner.url() + " (pid " + owner.pid() + ")"));
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the server of " + dir);
                }
            }
        }

        private static boolean answers(String url) {
            try {
                HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                        .send(HttpRequest.newBuilder(URI.create(url + "/models")).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 401 || r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private LocalServer own(Path dir, DataDirLock lock) throws IOException {
            // training data, models and the database are the owner's: no other local user reads them, whatever
            // the umask gave the files inside
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            Blobs blobs = new Blobs(dir);
            blobs.cleanTemp();
            Database db = new Database(dir.resolve("finetune4j.db"));
            try {
                Projects projects = new Projects(db);
                String org = projects.organizationId();
                String defaultProject = projects.defaultProjectId();
                String apiKey = ensureKey(dir, DEFAULT_KEY_FILE, projects, false,
                        () -> projects.createKey(defaultProject, "dev key"));
                String adminKey = ensureKey(dir, ADMIN_KEY_FILE, projects, true, projects::createAdminKey);
                Engine e = engine != null ? engine : new LocalEngine(trainingThreads);
                FileStore files = new FileStore(db);
                JobStore jobs = new JobStore(db);
                ModelCatalog catalog = new ModelCatalog(e.configurations(), db, jobs);
                ChatModels chatModels = new ChatModels(e);
                GraderModels graderModels = new GraderModels(catalog, chatModels);
                PythonGraderAccess pythonAccess = new PythonGraderAccess(pythonGraders, defaultProject,
                        hidingDataDir(python, dir));
                Scheduler scheduler = new Scheduler(jobs, files, blobs, e, graderModels, pythonAccess, "local",
                        maxConcurrentJobs, stateEverySteps);
                Services services = new Services(db, projects, files, jobs, blobs, e, catalog, scheduler,
                        chatModels, graderModels, pythonAccess, org, limits);
                Cleanup cleanup = new Cleanup(services);
                cleanup.start(cleanupEvery);
                Javalin app = null;
                // at a stop it lets requests under way finish and answers new ones 503 (see close)
                GracefulHandler requests = new GracefulHandler(new SlowBodyGuard(minBodyBytes, bodyWindow));
                try {
                    app = createApp(services, dir, requests);
                    app.start(host, port);
                    String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + app.port() + "/v1";
                    lock.publish(blobs, url);
                    scheduler.recover();
                    // debug: FineTune and ServerMain tell the user where the server is; an INFO line here said it twice
                    LOG.debug("finetune4j server on {} (data in {})", url, dir);
                    // FineTune and ServerMain print trainingNote(): a log line on stderr shows as an error in notebooks
                    if (trainingNote() != null) LOG.debug(trainingNote());
                    return new LocalServer(dir, url, apiKey, adminKey, app, requests, services, cleanup, lock);
                } catch (RuntimeException | IOException ex) {
                    if (app != null) app.stop();
                    cleanup.close();
                    scheduler.close(); // a failed recovery may have handed jobs to its threads already
                    throw ex;
                }
            } catch (RuntimeException | IOException ex) {
                db.close();
                throw ex;
            }
        }

        /**
         * The executor with the data directory hidden from graders: with {@code --python-graders all}, a project's
         * grader would otherwise read the other projects' files, the database and the admin key.
         */
        private static PythonExecutor hidingDataDir(PythonExecutor python, Path dir) {
            List<Path> hidden = new ArrayList<>(python.sandbox().hiddenPaths());
            hidden.add(dir);
            return python.withSandbox(python.sandbox().withHiddenPaths(hidden));
        }

        private interface KeyMaker {
            String create();
        }

        private static String ensureKey(Path dir, String file, Projects projects, boolean admin, KeyMaker maker)
                throws IOException {
            Path keys = dir.resolve("keys");
            Path path = keys.resolve(file);
            if (Files.exists(path)) {
                String key = Files.readString(path, StandardCharsets.UTF_8).trim();
                if (projects.isKey(key, admin)) return key;
            }
            String key = maker.create();
            Files.createDirectories(keys);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (posix) Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
            Path tmp = keys.resolve(file + ".tmp");
            Files.deleteIfExists(tmp);
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, key + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return key;
        }
    }

    private static String readKey(Path dir, String file) throws IOException {
        Path p = dir.resolve("keys").resolve(file);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8).trim() : null;
    }

    private static Javalin createApp(Services s, Path dir, GracefulHandler requests) {
        FileRoutes files = new FileRoutes(s);
        long maxMultipart = Math.max(s.limits().maxFileBytes(), s.limits().maxPartBytes());
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.http.maxRequestSize = 16L << 20;
            config.jetty.multipartConfig.cacheDirectory(dir.resolve("tmp").toString());
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.jetty.multipartConfig.maxFileSize(maxMultipart, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(maxMultipart + (1 << 20), SizeUnit.BYTES);
            // set by Jetty before any handler runs, so routes, exception mappers and 404s all answer with it
            config.jetty.modifyHttpConfiguration(http -> http.addCustomizer((request, responseHeaders) -> {
                responseHeaders.put(REQUEST_ID_HEADER, Ids.request());
                return request;
            }));
            config.jetty.modifyServer(server -> {
                // Jetty's own errors (bad URI, bad header, headers too large) as JSON
                server.setErrorHandler(new JsonErrorHandler());
                // Javalin puts its handlers inside these
                server.setHandler(requests);
            });
            config.requestLogger.http((ctx, ms) -> {
                if (!REQUEST_LOG.isInfoEnabled()) return;
                Caller caller = ctx.attribute(RequestParams.CALLER);
                REQUEST_LOG.info("{} {} {} {} ms {}", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms),
                        caller == null ? "-" : caller.admin() ? "admin" : caller.projectId());
            });
            var r = config.routes;
            r.before(ctx -> Auth.authenticate(ctx, s.projects()));
            files.register(r);
            new UploadRoutes(s, files).register(r);
            new JobRoutes(s).register(r);
            new ModelRoutes(s).register(r);
            new ChatRoutes(s).register(r);
            new PermissionRoutes(s).register(r);
            new AdminRoutes(s).register(r);
            new GraderRoutes(s).register(r);
            r.exception(ApiException.class, (e, ctx) -> answer(ctx, e));
            r.exception(Exception.class, (e, ctx) -> {
                ApiException slow = SlowBodyGuard.asApiError(e);
                if (slow != null) {
                    answer(ctx, slow);
                    return;
                }
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.attribute(Auth.ANSWERED, true);
                ctx.status(500).json(ErrorResponse.of("The server had an error while processing your request: "
                        + s.blobs().describe(e) + ". The server's log has the details.",
                        "server_error", null, null));
            });
            for (int status : List.of(404, 405)) {
                r.error(status, ctx -> {
                    if (ctx.attribute(Auth.ANSWERED) != null) return;
                    ctx.status(404).json(ErrorResponse.of("Invalid URL (" + ctx.method() + " " + ctx.path() + ")",
                            ApiException.INVALID_REQUEST, null, null));
                });
            }
        });
    }

    private static void answer(Context ctx, ApiException e) {
        ctx.attribute(Auth.ANSWERED, true);
        // a body refused while it arrives is not read to its end, so the connection cannot serve another request
        if (e.status == 408) ctx.header("Connection", "close");
        ctx.status(e.status).json(e.body());
    }
}
