package dev.finetune4j.notebook;

import dev.finetune4j.api.ChatCompletion;
import dev.finetune4j.api.ChatMessage;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.JobStatus;
import dev.finetune4j.client.ApiConnectionException;
import dev.finetune4j.client.BadRequestException;
import dev.finetune4j.client.ChatCompletionCreateParams;
import dev.finetune4j.client.InternalServerException;
import dev.finetune4j.client.ListParams;
import dev.finetune4j.client.OpenAI;
import dev.finetune4j.client.RateLimitException;
import dev.finetune4j.client.UnprocessableEntityException;
import dev.finetune4j.notebook.kernel.HtmlTable;
import dev.finetune4j.notebook.kernel.MimeBundle;
import dev.finetune4j.notebook.kernel.Renderable;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * One fine-tuning job, followed from a notebook or JShell: its status, live progress while it trains, its metrics,
 * events, checkpoints and results as tables, its loss curves as charts, and chat with the model it produced.
 * A run is only a handle on the job's id: {@code ft.run(id)} re-attaches to it after a restart. Example:
 * {@code Run run = ft.create("gpt-4o-mini", "train.jsonl").await(); run.metrics(); run.plot();}
 */
public final class Run implements Renderable {
    /** Consecutive failed polls (connection lost, 5xx after the client's retries) that {@link #await()} survives. */
    static final int POLL_FAILURES_TOLERATED = 5;

    private final FineTune ft;
    private final String id;
    private final EventLog log;
    private volatile FineTuningJob job;
    /** Set once a poll began after the job had ended: no event can follow, so no request is needed. */
    private volatile boolean eventsComplete;
    /** How many of the events read so far a wait has looked at for its notes. */
    private int noted;

    Run(FineTune ft, FineTuningJob job) {
        this.ft = ft;
        this.id = job.id();
        this.job = job;
        OpenAI client = ft.client();
        this.log = new EventLog(
                (after, limit) -> {
                    ListParams.Builder p = ListParams.builder().limit(limit);
                    if (after != null) p.after(after);
                    return client.fineTuning().jobs().listEvents(id, p.build()).envelope();
                },
                e -> e instanceof BadRequestException || e instanceof UnprocessableEntityException);
    }

    /** The job id. Example: {@code run.id()} → {@code "ftjob-abc123"}. */
    public String id() {
        return id;
    }

    /** The job object as last fetched (see {@link #refresh()}). Example: {@code run.job().trainedTokens()}. */
    public FineTuningJob job() {
        return job;
    }

    /** The current status, fetched unless the job has already ended. Example: {@code run.status()} → {@code "running"}. */
    public String status() {
        if (!job.isTerminal()) refreshJob();
        return job.status();
    }

    /** Fetches the job and its new events, so status, metrics and {@code toString()} are current. Example: {@code run.refresh().job().estimatedFinish()}. */
    public Run refresh() {
        refreshJob();
        pollEvents();
        return this;
    }

    private void refreshJob() {
        job = ft.client().fineTuning().jobs().retrieve(id);
    }

    /**
     * Waits until the job ends, showing live progress (status, step/total, loss, ETA). Returns the run when it
     * succeeded; throws {@link RunFailedException} with the job's error when it failed or was cancelled. An
     * interrupt (Ctrl-C in JShell, interrupt in a notebook) stops the waiting, never the job. A paused job is
     * waited on until it is resumed. Example:
     * {@code ft.create("gpt-4o-mini", "train.jsonl").await().plot()}.
     */
    public Run await() {
        return await(null);
    }

    /**
     * Waits at most {@code timeout} for the job to end; returns the run (check {@link #status()}) when the time is
     * up, and behaves as {@link #await()} otherwise. Example: {@code run.await(Duration.ofMinutes(5))}.
     */
    public Run await(Duration timeout) {
        long start = System.nanoTime();
        long deadline = timeout == null ? Long.MAX_VALUE : start + timeout.toNanos();
        StepRate rate = new StepRate();
        int failures = 0;
        // a preparation note older than the wait is history; warnings are shown once, whoever read them first
        long liveSince = Instant.now().getEpochSecond() - 15;
        try (Progress progress = Progress.open(ft.out())) {
            while (true) {
                try {
                    refreshJob();
                    pollEvents();
                    for (String note : notes(liveSince)) progress.note(note);
                    failures = 0;
                } catch (ApiConnectionException | InternalServerException | RateLimitException e) {
                    // an interrupt that hit a request in flight surfaces as a connection error: stop waiting
                    if (interrupted(e)) throw new InterruptedException();
                    // a long wait survives a network blip; the client has already retried this call
                    if (++failures > POLL_FAILURES_TOLERATED) throw e;
                }
                progress.update(snapshot(rate));
                if (job.isTerminal()) break;
                long left = deadline - System.nanoTime();
                if (left <= 0) return this;
                Thread.sleep(Math.max(1, Math.min(ft.pollInterval().toMillis(), left / 1_000_000)));
            }
        } catch (InterruptedException e) {
            // The exception ends the cell or snippet and says why. The interrupt flag is not set again: a REPL runs
            // the next snippet on the same thread, whose first wait would otherwise fail at once.
            Thread.interrupted();
            throw new CancellationException("stopped waiting for " + id + "; the job goes on (status " + job.status()
                    + "): ft.run(\"" + id + "\").await() waits again");
        }
        if (!JobStatus.SUCCEEDED.equals(job.status())) throw new RunFailedException(job);
        return this;
    }

    PrintStream out() {
        return ft.out();
    }

    /** Reads the events that appeared since the last read, unless the job had ended before that read. */
    private void pollEvents() {
        if (eventsComplete) return;
        boolean ended = job.isTerminal();
        log.poll();
        if (ended) eventsComplete = true;
    }

    /**
     * The lines a wait shows beside its progress, from the events no wait has looked at yet: warnings and errors, and
     * how the preparation goes (a large file's tokenizing) when it is recent.
     */
    private List<String> notes(long liveSince) {
        List<FineTuningJobEvent> events = log.events();
        List<String> notes = new ArrayList<>();
        for (int i = noted; i < events.size(); i++) {
            FineTuningJobEvent e = events.get(i);
            if (!"info".equals(e.level())) {
                notes.add(id + " " + e.level() + ": " + e.message());
            } else if (e.createdAt() >= liveSince && e.data() != null && "preparing".equals(e.data().get("phase"))) {
                notes.add(id + " " + e.message());
            }
        }
        noted = events.size();
        return latest(notes, id);
    }

    /**
     * The last {@link #MAX_NOTES} notes, after a line counting the others: a wait attached to a long job's history
     * shows its latest news, not a screenful of old warnings.
     */
    static List<String> latest(List<String> notes, String id) {
        if (notes.size() <= MAX_NOTES) return notes;
        int earlier = notes.size() - MAX_NOTES;
        List<String> shown = new ArrayList<>();
        shown.add(id + " (" + earlier + " earlier " + (earlier == 1 ? "warning" : "warnings")
                + ": run.events() lists every event)");
        shown.addAll(notes.subList(earlier, notes.size()));
        return shown;
    }

    /** The most notes one poll of a wait prints. */
    static final int MAX_NOTES = 10;

    /** True when a failed request was cut short by an interrupt of this thread (not by a timeout). */
    private static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) return true;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) return true;
            if (t instanceof InterruptedException) return true;
        }
        return false;
    }

    /** Cancels the job. Example: {@code run.cancel()}. */
    public Run cancel() {
        job = ft.client().fineTuning().jobs().cancel(id);
        return this;
    }

    /** Pauses a running job (it keeps its progress). Example: {@code run.pause()}. */
    public Run pause() {
        job = ft.client().fineTuning().jobs().pause(id);
        return this;
    }

    /** Resumes a paused job. Example: {@code run.resume().await()}. */
    public Run resume() {
        job = ft.client().fineTuning().jobs().resume(id);
        return this;
    }

    /** The fine-tuned model's name, or null until the job has succeeded. Example: {@code run.model()} → {@code "ft:gpt-4o-mini:org:x:abc"}. */
    public String model() {
        if (job.fineTunedModel() == null && !job.isTerminal()) refreshJob();
        return job.fineTunedModel();
    }

    /**
     * Asks the fine-tuned model and returns its answer (greedy decoding: temperature 0). Example:
     * {@code run.chat("What is the capital of France?")}.
     */
    public String chat(String prompt) {
        return ft.chat(fineTunedModel(), prompt);
    }

    /**
     * Sends whole messages to the fine-tuned model (greedy decoding). Example:
     * {@code run.chat(List.of(ChatMessage.system("Answer briefly."), ChatMessage.user("Capital of Peru?")))}.
     */
    public String chat(List<ChatMessage> messages) {
        return ft.chat(fineTunedModel(), messages);
    }

    /**
     * How sure the fine-tuned model is of its greedy answer, token by token (see {@link Tables#logprobs}). Example:
     * {@code run.logprobs("What is the capital of France?")}.
     */
    public Table logprobs(String prompt) {
        return ft.logprobs(fineTunedModel(), prompt);
    }

    /** {@link #logprobs(String)} for whole messages. Example: {@code run.logprobs(List.of(ChatMessage.system("Answer briefly."), ChatMessage.user("Hi")))}. */
    public Table logprobs(List<ChatMessage> messages) {
        return ft.logprobs(fineTunedModel(), messages);
    }

    /**
     * The fine-tuned model's answers to a JSONL file, scored by exact match (see {@link Evaluation}). Example:
     * {@code run.evaluate("data/sample_valid.jsonl")}.
     */
    public Evaluation evaluate(String file) {
        return ft.evaluate(fineTunedModel(), file);
    }

    /** The fine-tuned model's answers to a JSONL file, scored by a grader. Example: {@code run.evaluate("prompts.jsonl", grader)}. */
    public Evaluation evaluate(String file, Map<String, ?> grader) {
        return ft.evaluate(fineTunedModel(), file, grader);
    }

    private String fineTunedModel() {
        String model = model();
        if (model == null && job.isTerminal()) {
            List<Integer> steps = checkpointList().stream().map(c -> (int) c.stepNumber()).sorted().toList();
            throw new IllegalStateException(id + " ended without a fine-tuned model (status " + job.status() + ")"
                    + (steps.isEmpty() ? " and saved no checkpoint"
                            : "; its checkpoints can answer: run.chat(prompt, step) with step one of " + steps));
        }
        if (model == null) {
            throw new IllegalStateException(id + " has no fine-tuned model yet (status " + job.status()
                    + "): await() it first, or chat with a checkpoint: run.chat(prompt, step)");
        }
        return model;
    }

    /** Asks the model of the checkpoint saved at {@code step}. Example: {@code run.chat("Hi", 120)}. */
    public String chat(String prompt, int step) {
        return chat(prompt, checkpoint(step));
    }

    /** Asks the model of a checkpoint. Example: {@code run.chat("Hi", run.bestCheckpoint("full_valid_loss"))}. */
    public String chat(String prompt, FineTuningJobCheckpoint checkpoint) {
        return ft.chat(checkpoint.fineTunedModelCheckpoint(), prompt);
    }

    /**
     * Step metrics as a table: {@code step} and one double column per metric the job reported (train, valid, full
     * valid), sorted by step. Only events not read before are fetched. Example: {@code run.metrics().last(5)}.
     */
    public Table metrics() {
        pollEvents();
        Table t = Tables.metrics(log.events()).setName(id + " metrics");
        addEpochs(t);
        return t;
    }

    /**
     * Adds {@code epoch} after {@code step} (step / steps per epoch, from the total steps the events give and the
     * job's number of epochs), so runs of different batch sizes line up: {@code plotter().x("epoch")}.
     */
    private void addEpochs(Table t) {
        Object epochs = RunConfig.of(job).hyperparameters().get("n_epochs");
        long total = 0;
        List<FineTuningJobEvent> events = log.events();
        for (int i = events.size() - 1; i >= 0 && total == 0; i--) {
            Map<String, Double> v = Tables.metricValues(events.get(i));
            if (v != null) total = Math.round(v.getOrDefault(Metrics.TOTAL_STEPS, 0.0));
        }
        if (!(epochs instanceof Number n) || n.doubleValue() <= 0 || total <= 0) return;
        double stepsPerEpoch = total / n.doubleValue();
        IntColumn steps = t.intColumn(Metrics.STEP);
        DoubleColumn epoch = Tables.readable(DoubleColumn.create(Metrics.EPOCH));
        for (int r = 0; r < t.rowCount(); r++) epoch.append(steps.get(r) / stepsPerEpoch);
        t.insertColumn(1, epoch);
    }

    /** Every event of the job, oldest first. Example: {@code run.events().where(t -> t.stringColumn("level").isEqualTo("error"))}. */
    public Table events() {
        pollEvents();
        return Tables.events(log.events()).setName(id + " events");
    }

    /** The job's events as records, oldest first. Example: {@code run.eventList().get(0).message()}. */
    public List<FineTuningJobEvent> eventList() {
        pollEvents();
        return log.events();
    }

    /** Requests made so far to read this run's events. Example: {@code run.eventRequests()}. */
    public long eventRequests() {
        return log.requests();
    }

    /** The checkpoints, sorted by step, with their metrics and model names. Example: {@code run.checkpoints()}. */
    public Table checkpoints() {
        return Tables.checkpoints(checkpointList()).setName(id + " checkpoints");
    }

    /** The checkpoints as records, sorted by step. Example: {@code run.checkpointList().get(0).fineTunedModelCheckpoint()}. */
    public List<FineTuningJobCheckpoint> checkpointList() {
        List<FineTuningJobCheckpoint> list = new ArrayList<>(ft.client().fineTuning().jobs().checkpoints()
                .list(id, ListParams.builder().limit(100).build()).stream().toList());
        list.sort(java.util.Comparator.comparingLong(FineTuningJobCheckpoint::stepNumber));
        return list;
    }

    /** The checkpoint saved at {@code step}. Example: {@code run.checkpoint(120).fineTunedModelCheckpoint()}. */
    public FineTuningJobCheckpoint checkpoint(int step) {
        List<FineTuningJobCheckpoint> all = checkpointList();
        return all.stream().filter(c -> c.stepNumber() == step).findFirst().orElseThrow(() ->
                new IllegalArgumentException(id + " has no checkpoint at step " + step + "; it has steps "
                        + all.stream().map(FineTuningJobCheckpoint::stepNumber).toList()));
    }

    /**
     * The kept checkpoint with the best value of a metric (lowest loss, highest accuracy): services keep a job's last
     * three, so an earlier epoch's better value may be gone. Example: {@code run.bestCheckpoint("full_valid_loss")}.
     */
    public FineTuningJobCheckpoint bestCheckpoint(String metric) {
        FineTuningJobCheckpoint best = null;
        double bestValue = Double.NaN;
        for (FineTuningJobCheckpoint c : checkpointList()) {
            Double v = Tables.checkpointMetrics(c.metrics()).get(metric);
            if (v == null) continue;
            if (best == null || Metrics.better(metric, v, bestValue)) {
                best = c;
                bestValue = v;
            }
        }
        if (best == null) throw new IllegalArgumentException(id + " has no checkpoint with metric " + metric);
        return best;
    }

    /**
     * The result file (CSV of step metrics the service attaches when the job ends) as a table. Example:
     * {@code run.results().columnNames()}.
     */
    public Table results() {
        if (job.resultFiles().isEmpty()) refreshJob();
        if (job.resultFiles().isEmpty()) {
            throw new IllegalStateException(job.isTerminal()
                    ? id + " ended without a result file (status " + job.status() + "); run.metrics() has the steps it reported"
                    : id + " has no result file yet (status " + job.status() + "); the service attaches it when the job ends");
        }
        String fileId = job.resultFiles().get(0);
        try (InputStream in = csvStream(ft.client().files().content(fileId))) {
            return Table.read().usingOptions(CsvReadOptions.builder(in).tableName(id + " results"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read result file " + fileId, e);
        }
    }

    /**
     * One row: the config (model, method, hyperparameters, seed, suffix), status, duration, trained tokens, steps,
     * and the final and best value of each metric. Example: {@code run.summary()}.
     */
    public Table summary() {
        Table metrics = metrics();
        return summaryOf(RunConfig.of(refreshIfRunning().job), metrics, trainSeconds()).setName(id + " summary");
    }

    /**
     * Seconds from the job's start (its "Fine-tuning job started" event, else its first step) to its end, so the
     * time spent queued behind other jobs is left out; null until it has ended.
     */
    private Double trainSeconds() {
        if (job.finishedAt() == null) return null;
        Long start = null;
        for (FineTuningJobEvent e : Tables.chronological(log.events())) {
            if (e.message() != null && e.message().startsWith("Fine-tuning job started")) {
                start = e.createdAt();
                break;
            }
            if (start == null && Tables.metricValues(e) != null) start = e.createdAt();
        }
        return start == null ? null : (double) Math.max(0, job.finishedAt() - start);
    }

    /** The loss curves (train, valid, full valid) against step, checkpoints marked. Example: {@code Charts.save(run.plot(), "loss.png")}. */
    public XYChart plot() {
        return plotter().chart();
    }

    /** Chosen metric curves against step. Example: {@code run.plot("train_mean_token_accuracy", "valid_mean_token_accuracy")}. */
    public XYChart plot(String... metrics) {
        return plotter().metrics(metrics).chart();
    }

    /** Chosen metrics smoothed by an EMA of weight {@code smoothing} in [0, 1) (see {@link Plot}). Example: {@code run.plot(0.9, "train_loss")}. */
    public XYChart plot(double smoothing, String... metrics) {
        return plotter().metrics(metrics).smooth(smoothing).chart();
    }

    /** A {@link Plot} of this run to customise before drawing. Example: {@code run.plotter().size(1200, 600).chart()}. */
    public Plot plotter() {
        List<Integer> steps = checkpointList().stream().map(c -> (int) c.stepNumber()).toList();
        String title = job.fineTunedModel() != null ? job.fineTunedModel() : id;
        return Plot.of(metrics()).checkpoints(steps).title(title);
    }

    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        Progress.Snapshot s = snapshot(new StepRate());
        StringBuilder html = new StringBuilder("<div class=\"finetune4j-run\"><b>").append(HtmlTable.escape(id))
                .append("</b> <code>").append(HtmlTable.escape(job.status())).append("</code><br>")
                .append("model ").append(HtmlTable.escape(job.model()));
        if (job.fineTunedModel() != null) {
            html.append(" &rarr; <code>").append(HtmlTable.escape(job.fineTunedModel())).append("</code>");
        }
        if (s.totalSteps() > 0) {
            html.append("<br><progress max=\"").append(s.totalSteps()).append("\" value=\"").append(s.step())
                    .append("\"></progress> ").append(HtmlTable.escape(s.line()));
        }
        if (job.error() != null && job.error().message() != null) {
            html.append("<br><span style=\"color: #b00;\">").append(HtmlTable.escape(job.error().message()))
                    .append("</span>");
        }
        m.put(MimeBundle.HTML, html.append("</div>").toString());
        m.put(MimeBundle.TEXT, toString());
        return m;
    }

    /** {@code Run[ftjob-abc succeeded ft:nano:org::abc step 120/120 train_loss 0.0312]}. */
    @Override
    public String toString() {
        boolean stale = false;
        try {
            // a paused or running job moves on after the call that printed it: show where it is now
            if (!job.isTerminal()) refresh();
        } catch (RuntimeException e) {
            // the service cannot be reached now: show what was read last, marked as such
            stale = true;
        }
        Progress.Snapshot s = snapshot(new StepRate());
        StringBuilder sb = new StringBuilder("Run[").append(id).append(' ').append(job.status());
        if (stale) sb.append(" (last known)");
        if (job.fineTunedModel() != null) sb.append(' ').append(job.fineTunedModel());
        if (s.totalSteps() > 0) sb.append(" step ").append(s.step()).append('/').append(s.totalSteps());
        if (s.trainLoss() != null) {
            sb.append(String.format(java.util.Locale.ROOT, s.rewards() ? " train_reward %.3f" : " train_loss %.4f",
                    s.trainLoss()));
        }
        return sb.append(']').toString();
    }

    private Run refreshIfRunning() {
        if (!job.isTerminal()) refreshJob();
        return this;
    }

    /** The latest step metrics read so far, with the ETA from the step rate seen by this wait. */
    private Progress.Snapshot snapshot(StepRate rate) {
        List<FineTuningJobEvent> events = log.events();
        long step = 0;
        long total = 0;
        Double train = null;
        Double valid = null;
        boolean rewards = false; // a reinforcement run: rewards, no losses
        for (int i = events.size() - 1; i >= 0 && (train == null || valid == null); i--) {
            Map<String, Double> v = Tables.metricValues(events.get(i));
            if (v == null) continue;
            if (train == null) {
                step = Math.round(v.get(Metrics.STEP));
                total = Math.round(v.getOrDefault(Metrics.TOTAL_STEPS, 0.0));
                train = v.get(Metrics.TRAIN_LOSS);
                if (train == null && v.get(Metrics.TRAIN_REWARD) != null) {
                    train = v.get(Metrics.TRAIN_REWARD);
                    rewards = true;
                }
            }
            if (valid == null) valid = v.get(rewards ? Metrics.VALID_REWARD : Metrics.VALID_LOSS);
        }
        Duration eta = null;
        if (JobStatus.RUNNING.equals(job.status())) {
            eta = rate.eta(step, total);
            if (eta == null && job.estimatedFinish() != null) {
                eta = Duration.between(Instant.now(), Instant.ofEpochSecond(job.estimatedFinish()));
            }
        }
        if (JobStatus.SUCCEEDED.equals(job.status()) && total > 0) step = Math.max(step, total);
        return new Progress.Snapshot(id, job.status(), step, total, train, valid, eta, rewards);
    }

    /** Steps per second as seen from this process, for the ETA. */
    private static final class StepRate {
        private long firstStep = -1;
        private long firstNanos;

        Duration eta(long step, long total) {
            long now = System.nanoTime();
            if (firstStep < 0 || step < firstStep) {
                firstStep = step;
                firstNanos = now;
                return null;
            }
            if (step == firstStep || total <= step) return null;
            double perStep = (now - firstNanos) / (double) (step - firstStep);
            return Duration.ofNanos((long) (perStep * (total - step)));
        }
    }

    /** The job's error as {@code code: message}, or "" when it has none. */
    static String errorText(FineTuningJob j) {
        if (j.error() == null || j.error().message() == null) return "";
        return j.error().code() == null ? j.error().message() : j.error().code() + ": " + j.error().message();
    }

    static Table summaryOf(RunConfig c, Table metrics, Double trainSeconds) {
        FineTuningJob j = c.job();
        Table t = Table.create("summary");
        t.addColumns(StringColumn.create("id", j.id()), StringColumn.create("model", j.model()),
                StringColumn.create("method", c.method()), StringColumn.create("status", j.status()));
        // why a failed run failed, where its status says that it did; a run without an error has no such column
        String error = errorText(j);
        if (!error.isEmpty()) t.addColumns(StringColumn.create("error", error));
        t.addColumns(StringColumn.create("fine_tuned_model", j.fineTunedModel() == null ? "" : j.fineTunedModel()));
        t.addColumns(InstantColumn.create("created_at", Instant.ofEpochSecond(j.createdAt())));
        InstantColumn finished = InstantColumn.create("finished_at");
        if (j.finishedAt() == null) finished.appendMissing();
        else finished.append(Instant.ofEpochSecond(j.finishedAt()));
        t.addColumns(finished, Tables.doubles("duration_s", java.util.Collections.singletonList(c.durationSeconds())),
                Tables.doubles("train_s", java.util.Collections.singletonList(trainSeconds)));
        LongColumn tokens = LongColumn.create("trained_tokens");
        if (j.trainedTokens() == null) tokens.appendMissing();
        else tokens.append(j.trainedTokens());
        t.addColumns(tokens);
        c.hyperparameters().forEach((k, v) -> t.addColumns(Tables.mixed(k, java.util.Collections.singletonList(v))));
        t.addColumns(LongColumn.create("seed", new long[] {j.seed()}), StringColumn.create("suffix", c.suffix() == null ? "" : c.suffix()));
        IntColumn steps = metrics.intColumn(Metrics.STEP);
        t.addColumns(IntColumn.create("steps", new int[] {steps.isEmpty() ? 0 : (int) steps.max()}));
        for (String m : metrics.columnNames()) {
            if (m.equals(Metrics.STEP) || m.equals(Metrics.EPOCH)) continue;
            double[][] xy = Plot.points(metrics, m);
            int n = xy[1].length;
            Double last = n == 0 ? null : xy[1][n - 1];
            Double best = null;
            for (double v : xy[1]) if (best == null || Metrics.better(m, v, best)) best = v;
            t.addColumns(Tables.doubles("final_" + m, java.util.Collections.singletonList(last)),
                    Tables.doubles("best_" + m, java.util.Collections.singletonList(best)));
        }
        return t;
    }

    /**
     * The result file's bytes as CSV: the service may send the CSV itself or (as some have) base64 of it; a file
     * whose first bytes are not CSV text with a comma is decoded as base64 while streaming.
     */
    static InputStream csvStream(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 8192);
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf('\n');
        String firstLine = eol < 0 ? text : text.substring(0, eol);
        if (firstLine.contains(",")) return in;
        return Base64.getMimeDecoder().wrap(in);
    }
}
