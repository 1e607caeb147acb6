package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.FilePurpose;
import dev.finetune4j.api.FineTuneMethod;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.JobError;
import dev.finetune4j.api.JobStatus;
import dev.finetune4j.api.Json;
import dev.finetune4j.grade.Grader;
import dev.finetune4j.grade.GraderParts;
import dev.finetune4j.grade.GraderRunner;
import dev.finetune4j.grade.Graders;
import dev.finetune4j.grade.PythonExecutor;
import dev.finetune4j.server.Rows.CheckpointRow;
import dev.finetune4j.server.Rows.JobRow;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs through {@code validating_files → queued → running → succeeded | failed | cancelled}: one thread
 * validates files, a pool of {@code maxConcurrentJobs} low-priority threads trains, projects taking turns and each
 * project's jobs first come first served.
 * Status changes are conditional updates, so an API call (cancel, pause) and a worker never overwrite each
 * other; a worker stops at the next step boundary when asked.
 */
final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** How many epoch-end checkpoints stay usable, as the service keeps them. */
    static final int KEPT_CHECKPOINTS = 3;

    enum Stop { PAUSE, CANCEL, SHUTDOWN }

    /** The stop request of one running job, and the executor of its python graders, killed on a stop. */
    static final class Control {
        final String projectId;
        volatile Stop stop;
        volatile PythonExecutor python;
        private Thread preparing; // the job's thread while it reads and tokenizes its files

        Control(String projectId) {
            this.projectId = projectId;
        }

        /**
         * Marks the calling thread as preparing the job (null: done). Tokenizing a large file takes minutes and
         * checks no step boundary, so a stop interrupts it; an interrupt that arrives as preparation ends is cleared
         * here, as it must not reach the training's file writes.
         */
        synchronized void preparing(Thread thread) {
            preparing = thread;
            if (thread == null) Thread.interrupted();
        }

        void stop(Stop why) {
            synchronized (this) {
                stop = why;
                if (preparing != null) preparing.interrupt();
            }
            // a python grader may take minutes: kill it rather than wait for the step to end
            PythonExecutor p = python;
            if (p != null) p.stop();
        }
    }

    private final JobStore jobs;
    private final FileStore files;
    private final Blobs blobs;
    private final Engine engine;
    private final GraderModels graderModels;
    private final PythonGraderAccess pythonGraders;
    private final String organizationName;
    private final int maxConcurrentJobs;
    private final int stateEverySteps;
    private final ExecutorService validator;
    private String validatingJob;
    private Thread validatingThread;
    private final ExecutorService trainers;
    private final Map<String, Control> active = new ConcurrentHashMap<>();
    /** When each project last started a job, counted in job starts; guarded by {@code dispatch}'s lock. */
    private final Map<String, Long> lastStart = new HashMap<>();
    private long starts;
    private volatile boolean closed;

    Scheduler(JobStore jobs, FileStore files, Blobs blobs, Engine engine, GraderModels graderModels,
              PythonGraderAccess pythonGraders, String organizationName, int maxConcurrentJobs, int stateEverySteps) {
        this.jobs = jobs;
        this.files = files;
        this.blobs = blobs;
        this.engine = engine;
        this.graderModels = graderModels;
        this.pythonGraders = pythonGraders;
        this.organizationName = organizationName;
        this.maxConcurrentJobs = maxConcurrentJobs;
        this.stateEverySteps = stateEverySteps;
        this.validator = Executors.newSingleThreadExecutor(named("finetune4j-validate", Thread.NORM_PRIORITY));
        this.trainers = Executors.newFixedThreadPool(maxConcurrentJobs, named("finetune4j-train", Thread.MIN_PRIORITY));
    }

    private static java.util.concurrent.ThreadFactory named(String prefix, int priority) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(priority);
            return t;
        };
    }

    /** After a restart: re-validate what was validating, re-queue what was running (it resumes). */
    void recover() {
        removeStaleStates();
        for (JobRow j : jobs.withStatus(JobStatus.RUNNING)) {
            jobs.db().transaction(() -> {
                jobs.transition(j.id(), JobStatus.QUEUED, JobStatus.RUNNING);
                jobs.set(j.id(), "queued_at", 0L);
                jobs.info(j.id(), j.resumeStep() == null
                        ? "The server restarted; the job is queued to train from the start"
                        : "The server restarted; the job is queued to resume from step " + j.resumeStep());
            });
        }
        for (JobRow j : jobs.withStatus(JobStatus.VALIDATING_FILES)) validate(j.id());
        dispatch();
    }

    /**
     * Removes resume states no job points to. A crash between recording a new state and deleting the one before
     * leaves the old file behind (megabytes each); nothing trains yet when this runs.
     */
    private void removeStaleStates() {
        Path root = blobs.jobsDir();
        if (!Files.isDirectory(root)) return;
        try (var dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                JobRow j = jobs.get(dir.getFileName().toString());
                if (j == null) continue;
                try (var states = Files.list(dir)) {
                    for (Path state : states.filter(p -> p.getFileName().toString().startsWith("state-")).toList()) {
                        if (!state.toString().equals(j.resumeState())) Files.deleteIfExists(state);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("could not remove stale resume states in {}", root, e);
        }
    }

    /** Starts validating a new job's files. */
    void validate(String jobId) {
        if (!closed) validator.execute(() -> runValidation(jobId));
    }

    /**
     * Interrupts the validation of a job that was cancelled while its files were read: validations run one at a time,
     * so a large cancelled file would hold back every job after it.
     */
    synchronized void stopValidation(String jobId) {
        if (jobId.equals(validatingJob)) validatingThread.interrupt();
    }

    private synchronized void validating(String jobId) {
        validatingJob = jobId;
        validatingThread = jobId == null ? null : Thread.currentThread();
        if (jobId == null) Thread.interrupted(); // an interrupt meant for the job just validated
    }

    private void runValidation(String jobId) {
        JobRow j = jobs.get(jobId);
        if (j == null || !JobStatus.VALIDATING_FILES.equals(j.status())) return;
        validating(jobId);
        try {
            validateFiles(j);
        } finally {
            validating(null);
        }
    }

    private void validateFiles(JobRow j) {
        String jobId = j.id();
        try {
            String method = Json.read(j.method(), FineTuneMethod.class).type();
            JobError error = check(j, j.trainingFile(), "training_file", method);
            if (error == null && j.validationFile() != null) {
                error = check(j, j.validationFile(), "validation_file", method);
            }
            if (error != null) {
                if (jobs.get(jobId).status().equals(JobStatus.VALIDATING_FILES)) jobs.fail(jobId, error);
                return;
            }
            jobs.db().transaction(() -> {
                if (jobs.transition(jobId, JobStatus.QUEUED, JobStatus.VALIDATING_FILES)) {
                    jobs.set(jobId, "queued_at", System.currentTimeMillis());
                    jobs.info(jobId, "Files validated, moving job to queued state");
                    // a queued job says nothing more until it starts: say what it waits for
                    int others = jobs.withStatus(JobStatus.RUNNING).size() + jobs.withStatus(JobStatus.QUEUED).size() - 1;
                    if (others >= maxConcurrentJobs) {
                        jobs.info(jobId, "The job waits for a training slot: " + others + " other"
                                + (others == 1 ? " job is" : " jobs are") + " queued or running, and this server trains "
                                + maxConcurrentJobs + " at a time, projects taking turns");
                    }
                }
            });
            dispatch();
        } catch (Exception e) {
            if (closed) {
                // the server is stopping: the job stays validating_files and is validated again at the next start
                LOG.debug("validation of {} stopped by the server's shutdown", jobId, e);
                return;
            }
            // an interrupt here is a cancel's (stopValidation), and would make the next query fail
            Thread.interrupted();
            JobRow now = jobs.get(jobId);
            if (now == null || !JobStatus.VALIDATING_FILES.equals(now.status())) return; // cancelled meanwhile
            LOG.error("validation of {} failed", jobId, e);
            jobs.fail(jobId, new JobError("server_error", "The server could not validate the files: "
                    + blobs.describe(e), null));
        }
    }

    private JobError check(JobRow j, String fileId, String param, String method) throws IOException {
        jobs.info(j.id(), "Validating " + (param.equals("training_file") ? "training" : "validation") + " file: " + fileId);
        Path path = blobs.file(fileId);
        if (files.get(fileId) == null || !Files.exists(path)) {
            return new JobError("invalid_" + param, "File " + fileId + " was deleted before the job could read it.", param);
        }
        JobError error = engine.validate(path, method, j.model(), j.config(), param);
        if (error != null || !FineTuneMethod.REINFORCEMENT.equals(method)) return error;
        // a field the grader reads but the examples lack would score every answer 0, and the job would succeed
        Grader grader = grader(Json.tree(j.method()));
        return engine.checkItems(path, param, item -> GraderParts.missingItemFields(grader, item));
    }

    /** Starts queued jobs while training slots are free. */
    synchronized void dispatch() {
        if (closed) return;
        List<JobRow> queued = new ArrayList<>(jobs.queued());
        queued.removeIf(j -> active.containsKey(j.id()));
        while (active.size() < maxConcurrentJobs && !queued.isEmpty()) {
            JobRow j = next(queued);
            queued.remove(j);
            Control control = new Control(j.projectId());
            active.put(j.id(), control);
            lastStart.put(j.projectId(), ++starts);
            trainers.execute(() -> {
                try {
                    train(j.id(), control);
                } finally {
                    PythonExecutor python = control.python;
                    if (python != null) python.stop(); // its idle python processes
                    active.remove(j.id());
                    dispatch();
                }
            });
        }
    }

    /**
     * The job to start next. Projects take turns, so that one project's many jobs do not hold back another's:
     * first the projects with the fewest jobs training, then the one whose last job started longest ago; within a
     * project, first come first served.
     */
    private JobRow next(List<JobRow> queued) {
        Map<String, Integer> training = new HashMap<>();
        for (Control c : active.values()) training.merge(c.projectId, 1, Integer::sum);
        Comparator<JobRow> turn = Comparator.comparingInt(j -> training.getOrDefault(j.projectId(), 0));
        // min keeps the first of equal jobs: the queue's order
        return queued.stream().min(turn.thenComparingLong(j -> lastStart.getOrDefault(j.projectId(), 0L)))
                .orElseThrow();
    }

    /** Asks a running job to stop at its next step; returns false when no worker runs it. */
    boolean requestStop(String jobId, Stop stop) {
        Control c = active.get(jobId);
        if (c == null) return false;
        c.stop(stop);
        return true;
    }

    boolean isActive(String jobId) {
        return active.containsKey(jobId);
    }

    private void train(String jobId, Control control) {
        JobRow j = jobs.get(jobId);
        boolean started = jobs.db().transaction(() -> {
            if (!jobs.transition(jobId, JobStatus.RUNNING, JobStatus.QUEUED)) return false;
            if (j.resumeStep() == null) jobs.info(jobId, "Fine-tuning job started");
            else jobs.info(jobId, "Fine-tuning job resumed from step " + j.resumeStep());
            return true;
        });
        if (!started) return;
        try {
            runTraining(j, control);
        } catch (Exception e) {
            if (e instanceof PreparationStopped && preparationStopped(jobId, control.stop)) {
                LOG.debug("preparation of {} stopped", jobId, e);
                return;
            }
            LOG.error("training of {} failed", jobId, e);
            if (jobs.transition(jobId, JobStatus.RUNNING, JobStatus.RUNNING)) {
                jobs.fail(jobId, new JobError("server_error", "Training failed: " + blobs.describe(e), null));
            }
        }
    }

    /** The failure of a job's preparation that a stop interrupted. */
    private static final class PreparationStopped extends RuntimeException {
        PreparationStopped(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * After a stop cut the job's preparation short: a cancelled job is done, a paused one starts again when resumed,
     * and a running one (the server is closing) is queued again at the next start. False when the job's status does
     * not fit the stop, so that the failure is reported.
     */
    private boolean preparationStopped(String jobId, Stop stop) {
        JobRow now = jobs.get(jobId);
        if (now == null) return false;
        return switch (stop) {
            case CANCEL -> JobStatus.CANCELLED.equals(now.status());
            case PAUSE -> {
                if (JobStatus.PAUSED.equals(now.status())) {
                    jobs.info(jobId, "Training paused before its first step; resume the job to start it");
                }
                yield JobStatus.PAUSED.equals(now.status()) || JobStatus.QUEUED.equals(now.status());
            }
            case SHUTDOWN -> JobStatus.RUNNING.equals(now.status());
        };
    }

    private void runTraining(JobRow j, Control control) throws IOException {
        Path dir = blobs.jobDir(j.id());
        Files.createDirectories(dir);
        ObjectNode hp = (ObjectNode) Json.tree(j.hyperparameters());
        JsonNode method = Json.tree(j.method());
        String type = method.path("type").asText();
        GradeFailures failures = new GradeFailures();
        Map<String, Object> methodHp = new LinkedHashMap<>();
        method.path(type).path("hyperparameters").fields().forEachRemaining(e -> {
            if (!Set.of("batch_size", "learning_rate_multiplier", "n_epochs").contains(e.getKey())) {
                methodHp.put(e.getKey(), value(e.getValue()));
            }
        });
        Engine.TrainingSpec spec = new Engine.TrainingSpec(j.config(), type,
                blobs.file(j.trainingFile()), j.validationFile() == null ? null : blobs.file(j.validationFile()),
                value(hp.get("batch_size")), value(hp.get("learning_rate_multiplier")), value(hp.get("n_epochs")),
                methodHp, grading(j, method, control, failures), j.seed(),
                j.baseWeights() == null ? null : Path.of(j.baseWeights()), dir,
                note -> jobs.event(j.id(), "info", note, PREPARING, null));
        Engine.Training prepared;
        control.preparing(Thread.currentThread());
        try {
            if (control.stop != null) throw new IOException("the job was stopped before its files were tokenized");
            prepared = engine.prepare(spec);
        } catch (IOException | RuntimeException e) {
            if (control.stop != null) throw new PreparationStopped(e);
            throw e;
        } finally {
            control.preparing(null);
        }
        try (Engine.Training training = prepared) {
            train(j, control, training, failures);
        }
    }

    private void train(JobRow j, Control control, Engine.Training training, GradeFailures failures)
            throws IOException {
        Engine.Resolved r = training.resolved();
        recordResolved(j, r);

        Path resumeState = null;
        if (j.resumeStep() != null && j.resumeState() != null && Files.exists(Path.of(j.resumeState()))) {
            resumeState = Path.of(j.resumeState());
        } else if (j.resumeStep() != null) {
            jobs.info(j.id(), "No saved training state was found; training restarts from step 0");
        }
        int firstStep = resumeState == null ? 0 : (int) (long) j.resumeStep();
        forgetStepsAfter(j, firstStep, resumeState == null);
        JobProgress progress = new JobProgress(j, control, training, failures, firstStep);
        boolean finished;
        try {
            finished = training.run(resumeState, progress);
        } finally {
            progress.log.flush();
        }
        if (!finished) {
            stopped(j, training, control.stop, progress.log.lastStep);
            return;
        }
        boolean supervised = "supervised".equals(Json.tree(j.method()).path("type").asText());
        finish(j, training, progress.modelName,
                supervised ? progress.loss.unlearned(r.nEpochs(), j.baseWeights() == null) : null);
    }

    /** Steps after the one the run starts from are replayed: forgets what an earlier attempt said of them. */
    private void forgetStepsAfter(JobRow j, long from, boolean fromScratch) throws IOException {
        List<CheckpointRow> dropped = jobs.db().transaction(() -> {
            if (fromScratch) {
                // a state saved at step 0 stays pointed to: the run starts from it, and the next save replaces it
                jobs.set(j.id(), "resume_step", null);
                jobs.set(j.id(), "resume_state", null);
            }
            jobs.forgetAfter(j.id(), from);
            List<CheckpointRow> later = jobs.checkpoints(j.id()).stream().filter(c -> c.step() > from).toList();
            for (CheckpointRow c : later) jobs.deleteCheckpoint(c.id());
            return later;
        });
        for (CheckpointRow c : dropped) Files.deleteIfExists(Path.of(c.weights()));
    }

    /** A training state is saved every {@code stateEverySteps} steps, and at least this often while steps go on. */
    private static final long STATE_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    /**
     * What a running job records as it trains: step metrics, warnings of failed grades, checkpoints at epoch ends,
     * and its training state now and then, so that a restart resumes near where it stopped.
     */
    private final class JobProgress implements Engine.Listener {
        final StepLog log;
        final EpochLoss loss = new EpochLoss();
        final String modelName;
        private final JobRow j;
        private final Control control;
        private final Engine.Training training;
        private final GradeFailures failures;
        private final int totalSteps;
        private int lastSaved;
        private long lastSaveNanos;

        JobProgress(JobRow j, Control control, Engine.Training training, GradeFailures failures, int firstStep) {
            this.j = j;
            this.control = control;
            this.training = training;
            this.failures = failures;
            this.totalSteps = training.resolved().totalSteps();
            this.modelName = fineTunedModelName(j);
            this.lastSaveNanos = System.nanoTime();
            this.log = new StepLog(j.id(), totalSteps, firstStep, lastSaveNanos);
            this.lastSaved = firstStep;
        }

        @Override
        public void onStep(int step, Map<String, Object> metrics) throws IOException {
            log.add(step, metrics);
            loss.add(metrics.get("train_loss"));
            GradeFailures.Count failed = failures.takeStep();
            if (failed != null && !failures.warned && control.stop == null) {
                log.flush();
                jobs.event(j.id(), "warn", "Step " + step + ": " + failed.describe(), null, step);
                failures.warned = true;
            }
            boolean due = step - lastSaved >= stateEverySteps
                    || (System.nanoTime() - lastSaveNanos > STATE_EVERY_NANOS && step > lastSaved);
            if (due && step < totalSteps) {
                log.flush();
                save(step);
            }
        }

        @Override
        public void onEpochEnd(int epoch, int step, Map<String, Object> metrics) throws IOException {
            log.flush();
            GradeFailures.Count failed = failures.takeEpoch();
            if (failed != null && control.stop == null) {
                jobs.event(j.id(), "warn", "Epoch " + epoch + ": " + failed.describe(), null, step);
            }
            checkpoint(j, training, modelName, step, metrics);
            loss.endEpoch();
            if (step < totalSteps) save(step);
        }

        @Override
        public boolean stopRequested() {
            return control.stop != null;
        }

        private void save(int step) throws IOException {
            saveState(j.id(), training, step);
            lastSaved = step;
            lastSaveNanos = System.nanoTime();
        }
    }

    /** The data of the events that tell how a job's preparation goes (a facade shows them while it waits). */
    static final Map<String, Object> PREPARING = Map.of("phase", "preparing");

    /** Above this mean training loss (nats per byte) a byte-level model's answers are mostly noise. */
    static final double UNLEARNED_LOSS = 2.0;

    /**
     * The mean training loss of the last epoch, to tell a supervised job that ended before its model learned: local
     * models start from random weights, and OpenAI's automatic epochs, meant for pretrained models, are often too few.
     */
    private static final class EpochLoss {
        private double sum;
        private int steps;
        private double last = Double.NaN;

        void add(Object loss) {
            if (loss instanceof Number n && Double.isFinite(n.doubleValue())) {
                sum += n.doubleValue();
                steps++;
            }
        }

        void endEpoch() {
            if (steps > 0) last = sum / steps;
            sum = 0;
            steps = 0;
        }

        /**
         * A warning when the last epoch's loss says the model has not learned its examples, else null;
         * {@code fromScratch}: the job trained a base model, not one fine-tuned before.
         */
        String unlearned(int epochs, boolean fromScratch) {
            if (!(last > UNLEARNED_LOSS)) return null;
            return String.format(Locale.ROOT, "The mean training loss of the last epoch is %.2f: the model has not"
                    + " learned its examples yet (a model that has is well below 1). %s%d epoch%s can be too few:"
                    + " train again with more, e.g. n_epochs 50 and learning_rate_multiplier 6 for a few hundred"
                    + " examples", last, fromScratch ? "Local models start from random weights, so " : "",
                    epochs, epochs == 1 ? "" : "s");
        }
    }

    private static final String GRADER_PARAM = "method.reinforcement.grader";

    private static Grader grader(JsonNode method) {
        return Graders.parse(method.path(FineTuneMethod.REINFORCEMENT).path("grader"), GRADER_PARAM);
    }

    /**
     * The grader of a reinforcement job (null for the other methods): each answer is graded against its example's
     * {@code item}; model graders sample the models of the job's project; python graders run on an executor of the
     * job's own, which a stop request kills. Samples the grader could not score go to {@code failures}.
     */
    private Engine.Grading grading(JobRow j, JsonNode method, Control control, GradeFailures failures) {
        if (!FineTuneMethod.REINFORCEMENT.equals(method.path("type").asText())) return null;
        Grader grader = grader(method);
        Caller caller = new Caller(j.projectId(), false);
        if (!GraderParts.python(grader, GRADER_PARAM).isEmpty() && !pythonGraders.allowed(caller)) {
            // the job was created under a more permissive setting than the server has now
            throw new IllegalStateException(pythonGraders.refusal(j.projectId()));
        }
        PythonExecutor python = pythonGraders.forJob();
        control.python = python;
        if (control.stop != null) python.stop();
        GraderRunner runner = new GraderRunner(graderModels.sampler(caller), python);
        return (answer, item) -> {
            GraderRunResponse r = runner.run(grader, answer, Json.tree(item));
            // a grader killed by a stop request failed for that reason only; its step is dropped anyway
            if (!python.stopped()) failures.add(GraderRunner.failure(r));
            return r.reward();
        };
    }

    /**
     * The samples a job's grader could not score (they count as reward 0): per step, for a warning the first time it
     * happens, and per epoch, for one summary each. Written by the grading threads, read on the training thread.
     */
    static final class GradeFailures {
        private final AtomicInteger stepGraded = new AtomicInteger();
        private final AtomicInteger stepFailed = new AtomicInteger();
        private final AtomicReference<String> stepFirst = new AtomicReference<>();
        private int epochGraded;
        private int epochFailed;
        private String epochFirst;
        boolean warned;

        /** How many samples were graded, how many failed, and the first failure's reason. */
        record Count(int graded, int failed, String first) {
            String describe() {
                return failed + " of " + graded + " graded samples could not be scored and count as reward 0;"
                        + " the first error: " + first;
            }
        }

        /** Records one graded sample; {@code failure} is null when it was scored. */
        void add(String failure) {
            stepGraded.incrementAndGet();
            if (failure == null) return;
            stepFailed.incrementAndGet();
            stepFirst.compareAndSet(null, failure);
        }

        /** The failures of the step just done (null if none); they also count towards the epoch. */
        Count takeStep() {
            int graded = stepGraded.getAndSet(0);
            int failed = stepFailed.getAndSet(0);
            String first = stepFirst.getAndSet(null);
            epochGraded += graded;
            epochFailed += failed;
            if (epochFirst == null) epochFirst = first;
            return failed == 0 ? null : new Count(graded, failed, first);
        }

        /** The failures of the epoch just done (null if none), and starts the next epoch's count. */
        Count takeEpoch() {
            Count c = epochFailed == 0 ? null : new Count(epochGraded, epochFailed, epochFirst);
            epochGraded = 0;
            epochFailed = 0;
            epochFirst = null;
            return c;
        }
    }

    private static Object value(JsonNode n) {
        if (n == null || n.isNull()) return "auto";
        if (n.isTextual()) return n.asText();
        return n.numberValue();
    }

    private void recordResolved(JobRow j, Engine.Resolved r) {
        ObjectNode hp = Json.MAPPER.createObjectNode();
        hp.put("batch_size", r.batchSize());
        hp.put("learning_rate_multiplier", r.learningRateMultiplier());
        hp.put("n_epochs", r.nEpochs());
        ObjectNode method = (ObjectNode) Json.tree(j.method());
        String type = method.path("type").asText();
        ObjectNode settings = method.withObjectProperty(type);
        ObjectNode mhp = settings.withObjectProperty("hyperparameters");
        mhp.setAll(hp);
        mhp.setAll((ObjectNode) Json.MAPPER.valueToTree(r.methodHyperparameters()));
        jobs.db().transaction(() -> {
            jobs.set(j.id(), "hyperparameters", Json.write(hp));
            jobs.set(j.id(), "method", Json.write(method));
        });
    }

    static String stepMessage(int step, int total, Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("Step ").append(step).append('/').append(total).append(':');
        if (!m.containsKey("train_loss") && m.containsKey("train_reward_mean")) {
            // reinforcement fine-tuning measures rewards, not losses
            sb.append(" training reward=").append(fmt(m.get("train_reward_mean")));
            if (m.get("valid_reward_mean") != null) {
                sb.append(", validation reward=").append(fmt(m.get("valid_reward_mean")));
            }
            if (m.get("full_valid_reward_mean") != null) {
                sb.append(", full validation reward=").append(fmt(m.get("full_valid_reward_mean")));
            }
            if (m.get("train_kl") != null) sb.append(", KL=").append(fmt(m.get("train_kl")));
            return sb.toString();
        }
        sb.append(" training loss=").append(fmt(m.get("train_loss")));
        if (m.get("valid_loss") != null) sb.append(", validation loss=").append(fmt(m.get("valid_loss")));
        if (m.get("full_valid_loss") != null) {
            sb.append(", full validation loss=").append(fmt(m.get("full_valid_loss")));
        }
        return sb.toString();
    }

    private static String fmt(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.2f", n.doubleValue()) : String.valueOf(v);
    }

    String fineTunedModelName(JobRow j) {
        String base = j.model().startsWith("ft:") ? j.model().split(":")[1] : j.model();
        String suffix = j.suffix() == null ? "" : j.suffix();
        return "ft:" + base + ":" + organizationName + ":" + suffix + ":" + j.id().substring("ftjob-".length(),
                "ftjob-".length() + 8);
    }

    private void saveState(String jobId, Engine.Training training, int step) throws IOException {
        Path dir = blobs.jobDir(jobId);
        Path file = dir.resolve("state-step-" + step + ".bin");
        blobs.write(file, training::saveState);
        String previous = jobs.get(jobId).resumeState();
        jobs.db().transaction(() -> {
            jobs.set(jobId, "resume_step", step);
            jobs.set(jobId, "resume_state", file.toString());
        });
        if (previous != null && !previous.equals(file.toString())) Files.deleteIfExists(Path.of(previous));
    }

    private void checkpoint(JobRow j, Engine.Training training, String modelName, int step,
                            Map<String, Object> metrics) throws IOException {
        Path file = blobs.jobDir(j.id()).resolve("ckpt-step-" + step + ".bin");
        blobs.write(file, training::saveWeights);
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("step", "train_loss", "train_mean_token_accuracy", "valid_loss",
                "valid_mean_token_accuracy", "full_valid_loss", "full_valid_mean_token_accuracy", "train_reward_mean",
                "valid_reward_mean", "full_valid_reward_mean")) {
            Object v = metrics.get(k);
            if (v instanceof Number n) m.put(k, n.doubleValue());
        }
        m.putIfAbsent("step", (double) step);
        CheckpointRow row = new CheckpointRow(Ids.checkpoint(), j.id(), j.projectId(), Projects.now(),
                modelName + ":ckpt-step-" + step, j.config(), step, Json.write(m), file.toString());
        List<CheckpointRow> dropped = jobs.db().transaction(() -> {
            jobs.insertCheckpoint(row);
            jobs.event(j.id(), "info", "Checkpoint created at step " + step, null, step);
            List<CheckpointRow> all = jobs.checkpoints(j.id());
            List<CheckpointRow> old = all.subList(Math.min(KEPT_CHECKPOINTS, all.size()), all.size());
            for (CheckpointRow c : old) jobs.deleteCheckpoint(c.id());
            return List.copyOf(old);
        });
        for (CheckpointRow c : dropped) Files.deleteIfExists(Path.of(c.weights()));
    }

    private void stopped(JobRow j, Engine.Training training, Stop stop, int step) throws IOException {
        JobRow now = jobs.get(j.id());
        if (stop == Stop.CANCEL || JobStatus.CANCELLED.equals(now.status())) {
            discardState(j.id());
            return;
        }
        // Pause or shutdown: keep the exact state so that the job continues where it stopped.
        if (now.resumeStep() == null || now.resumeStep() != step) saveState(j.id(), training, step);
        if (stop == Stop.PAUSE && JobStatus.PAUSED.equals(now.status())) {
            jobs.info(j.id(), "Training paused at step " + step + "; resume the job to continue");
        } else if (stop == Stop.PAUSE) {
            // resumed before training reached a step boundary to stop at: the resume event is already written
            jobs.info(j.id(), "Training stopped at step " + step + " for the pause and continues from there");
        } else {
            jobs.info(j.id(), "The server is stopping; training state saved at step " + step);
        }
    }

    /**
     * Step events, written in batches: one transaction (one fsync) per quarter second instead of one per step,
     * which would cost more than a small model's step. Always flushed before a resume state is recorded, so a
     * crash loses only steps that the resumed run replays anyway.
     */
    private final class StepLog {
        private static final long FLUSH_NANOS = 250_000_000L;
        private final String jobId;
        private final int totalSteps;
        private final int firstStep;
        private final long startNanos;
        private final List<Object[]> pending = new java.util.ArrayList<>();
        private long lastFlush = System.nanoTime();
        int lastStep;

        StepLog(String jobId, int totalSteps, int firstStep, long startNanos) {
            this.jobId = jobId;
            this.totalSteps = totalSteps;
            this.firstStep = firstStep;
            this.startNanos = startNanos;
            this.lastStep = firstStep;
        }

        void add(int step, Map<String, Object> metrics) {
            pending.add(new Object[] {step, Projects.now(), metrics});
            lastStep = step;
            if (System.nanoTime() - lastFlush >= FLUSH_NANOS) flush();
        }

        void flush() {
            lastFlush = System.nanoTime();
            if (pending.isEmpty()) return;
            List<Object[]> batch = List.copyOf(pending);
            pending.clear();
            int done = lastStep - firstStep;
            Long eta = done <= 0 ? null : Projects.now()
                    + Math.round((System.nanoTime() - startNanos) / 1e9 / done * (totalSteps - lastStep));
            jobs.db().transaction(() -> {
                // a cancelled job's story ends with its "cancelled" event: steps not yet written stay untold
                if (jobs.get(jobId).status().equals("cancelled")) return;
                for (Object[] e : batch) {
                    int step = (Integer) e[0];
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) e[2];
                    jobs.event(jobId, (Long) e[1], "info", stepMessage(step, totalSteps, m), m, step);
                }
                if (eta != null) {
                    jobs.db().update("UPDATE jobs SET estimated_finish = ? WHERE id = ? AND status = 'running'", eta, jobId);
                }
            });
        }
    }

    private void discardState(String jobId) throws IOException {
        String state = jobs.get(jobId).resumeState();
        jobs.db().transaction(() -> {
            jobs.set(jobId, "resume_state", null);
            jobs.set(jobId, "resume_step", null);
        });
        if (state != null) Files.deleteIfExists(Path.of(state));
    }

    private void finish(JobRow j, Engine.Training training, String modelName, String warning) throws IOException {
        Path weights = blobs.jobDir(j.id()).resolve("model.bin");
        blobs.write(weights, training::saveWeights);
        String resultId = Ids.file();
        Path csv = blobs.file(resultId);
        long bytes = writeResults(j.id(), csv);
        long now = Projects.now();
        long trainedTokens = training.trainedTokens();
        boolean done = jobs.db().transaction(() -> {
            JobRow current = jobs.get(j.id());
            // queued: paused, then resumed while the last step was saved; the training is done all the same
            if (!Set.of(JobStatus.RUNNING, JobStatus.PAUSED, JobStatus.QUEUED).contains(current.status())) return false;
            files.insert(new Rows.FileRow(resultId, j.projectId(), "step_metrics.csv",
                    FilePurpose.FINE_TUNE_RESULTS, bytes, now, null, "processed"));
            jobs.db().update("INSERT INTO models(id, project_id, job_id, created_at, config, weights)"
                    + " VALUES (?,?,?,?,?,?)", modelName, j.projectId(), j.id(), now, j.config(), weights.toString());
            jobs.db().update("UPDATE jobs SET status = 'succeeded', fine_tuned_model = ?, finished_at = ?,"
                            + " trained_tokens = ?, result_files = ?, estimated_finish = NULL WHERE id = ?",
                    modelName, now, trainedTokens, Json.write(List.of(resultId)), j.id());
            if (warning != null) jobs.event(j.id(), "warn", warning, null, null);
            jobs.info(j.id(), "New fine-tuned model created");
            jobs.info(j.id(), "The job has successfully completed");
            return true;
        });
        if (!done) {
            Files.deleteIfExists(weights);
            Files.deleteIfExists(csv);
        }
        discardState(j.id());
    }

    /**
     * The result file: one CSV row per step, the columns the service's result files have; for reinforcement jobs,
     * which have no loss, the step's mean rewards and the divergence from the starting model.
     */
    private long writeResults(String jobId, Path target) throws IOException {
        List<Map<String, Object>> rows = jobs.stepMetrics(jobId);
        boolean rewards = !rows.isEmpty() && rows.get(0).containsKey("train_reward_mean");
        List<String> keys = rewards
                ? List.of("step", "train_reward_mean", "valid_reward_mean", "full_valid_reward_mean", "train_kl")
                : List.of("step", "train_loss", "train_mean_token_accuracy", "valid_loss", "valid_mean_token_accuracy");
        blobs.write(target, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(rewards ? String.join(",", keys) + "\n"
                        : "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
                for (Map<String, Object> m : rows) {
                    w.write(String.join(",", keys.stream().map(k -> cell(m.get(k))).toList()) + "\n");
                }
            }
        });
        return Files.size(target);
    }

    private static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !(v instanceof Double)) {
            return Long.toString(n.longValue());
        }
        return v instanceof Number n ? String.format(Locale.ROOT, "%.5f", n.doubleValue()) : v.toString();
    }

    /** Stops the workers; running jobs save their state and stay {@code running}, to resume on restart. */
    @Override
    public void close() {
        closed = true;
        for (Control c : active.values()) c.stop(Stop.SHUTDOWN);
        validator.shutdownNow();
        trainers.shutdown();
        try {
            if (!trainers.awaitTermination(60, TimeUnit.SECONDS)) trainers.shutdownNow();
            validator.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
