package dev.finetune4j.notebook;

import dev.finetune4j.api.ChatCompletion;
import dev.finetune4j.api.ChatMessage;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FilePurpose;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.client.ApiException;
import dev.finetune4j.client.ApiStatusException;
import dev.finetune4j.client.ChatCompletionCreateParams;
import dev.finetune4j.client.FileService;
import dev.finetune4j.client.JobListParams;
import dev.finetune4j.client.NotFoundException;
import dev.finetune4j.client.OpenAI;
import dev.finetune4j.client.OpenAIException;
import dev.finetune4j.client.UploadService;
import dev.finetune4j.data.DatasetCleaner;
import dev.finetune4j.data.DatasetValidator;
import dev.finetune4j.data.Method;
import dev.finetune4j.data.ModelLimits;
import dev.finetune4j.data.ValidationReport;
import dev.finetune4j.notebook.kernel.Kernel;
import dev.finetune4j.notebook.kernel.MimeBundle;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * The notebook facade, {@code ft}: fine-tune models from JShell and notebooks, against the local server that
 * ships with finetune4j or against OpenAI (or any compatible service), and get runs back as tables and charts.
 * Example: {@code var ft = FineTune.fromEnv(); ft.create("gpt-4o-mini", "train.jsonl").await().plot();}
 *
 * <p>Everything here is a thin layer over the plain client, {@link #client()}: a notebook can mix both.
 */
public final class FineTune implements AutoCloseable {
    private final OpenAI client;
    private final LocalService server;
    private final String where;
    private final Map<String, String> uploaded = new ConcurrentHashMap<>();
    private volatile Duration pollInterval;
    private volatile PrintStream out = System.out;
    private volatile Boolean isFinetune4jServer;
    private volatile boolean modelNoteShown;
    private final Map<String, String> deployments = new ConcurrentHashMap<>();
    private volatile String systemPrompt;

    private FineTune(OpenAI client, LocalService server, String where, Duration pollInterval) {
        this.client = client;
        this.server = server;
        this.where = where;
        this.pollInterval = pollInterval;
        // IJava finds renderers only by registration: detecting the kernel registers them
        Kernel.current();
        String note = OpenAIShutdown.notice(client.baseUrl(), LocalDate.now(ZoneOffset.UTC));
        if (note != null) out.println(note);
    }

    /**
     * Starts (or attaches to) the local fine-tuning server, data in {@code ~/.finetune4j} (or {@code $FINETUNE4J_DATA}):
     * no key, no network.
     * Example: {@code var ft = FineTune.local();}
     */
    public static FineTune local() {
        return local((Path) null);
    }

    /** The local server with its data in {@code dataDir} (null: the default). Example: {@code FineTune.local(Path.of("runs"))}. */
    public static FineTune local(Path dataDir) {
        LocalService.Starter starter = starter();
        return local(starter.start(dataDir), starter.trainingNote());
    }

    /**
     * The server {@code local()} starts, found on the class path: the facade does not depend on the server package.
     * Everything else goes through the client, over HTTP, exactly as against OpenAI.
     */
    private static LocalService.Starter starter() {
        // the interface's own loader, not the thread's: notebook kernels load jars in loaders of their own
        return ServiceLoader.load(LocalService.Starter.class, LocalService.Starter.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("No local server on the class path: finetune4j-all.jar"
                        + " holds one. Without it, connect to a running server with FineTune.connect(url, key)."));
    }

    private static FineTune local(LocalService server, String trainingNote) {
        // the key picks the project; OPENAI_PROJECT_ID and OPENAI_ADMIN_KEY are OpenAI's, not this server's
        OpenAI c = OpenAI.builder().baseUrl(server.baseUrl()).apiKey(server.apiKey()).project("").adminKey("")
                .build();
        // a second notebook or JShell on the same folder shares the first one's server: say so, since it ends with it
        String where = server.attached()
                ? "local server at " + server.baseUrl() + " (data in " + server.dataDir() + "), started by another"
                        + " notebook, shell or facade: it stops when that one ends; FineTune.local(Path.of(\"another-folder\"))"
                        + " starts one of this facade's own"
                : "local server at " + server.baseUrl() + " (data in " + server.dataDir() + ")";
        FineTune ft = new FineTune(c, server, where, Duration.ofMillis(500));
        if (trainingNote != null) ft.out.println("note: " + trainingNote);
        return ft;
    }

    /**
     * OpenAI (or the service {@code OPENAI_BASE_URL} names), with {@code OPENAI_API_KEY} and the other variables
     * the official SDKs read. Example: {@code var ft = FineTune.openai();}
     */
    public static FineTune openai() {
        OpenAI c = OpenAI.fromEnv();
        boolean openai = c.baseUrl().startsWith(OpenAI.DEFAULT_BASE_URL);
        return new FineTune(c, null, (openai ? "OpenAI API at " : "OpenAI-compatible API at ") + c.baseUrl(),
                isLoopback(c.baseUrl()) ? Duration.ofMillis(500) : Duration.ofSeconds(5));
    }

    /** Any OpenAI-compatible service. Example: {@code FineTune.connect("http://127.0.0.1:7080/v1", "sk-local")}. */
    public static FineTune connect(String baseUrl, String apiKey) {
        // the service and its key are given: OpenAI's organisation and project from the environment are not its own
        OpenAI c = OpenAI.builder().baseUrl(baseUrl).apiKey(apiKey).organization("").project("").build();
        return new FineTune(c, null, "API at " + c.baseUrl(), isLoopback(baseUrl) ? Duration.ofMillis(500) : Duration.ofSeconds(5));
    }

    /** Wraps a client configured elsewhere (Azure, custom headers, ...). Example: {@code FineTune.of(OpenAI.azure()...build())}. */
    public static FineTune of(OpenAI client) {
        return new FineTune(client, null, "API at " + client.baseUrl(),
                isLoopback(client.baseUrl()) ? Duration.ofMillis(500) : Duration.ofSeconds(5));
    }

    /**
     * OpenAI when {@code OPENAI_API_KEY} is set, else the local server; prints one line saying which. Example:
     * {@code var ft = FineTune.fromEnv();}
     */
    public static FineTune fromEnv() {
        String key = System.getenv("OPENAI_API_KEY");
        FineTune ft = key != null && !key.isBlank() ? openai() : local();
        System.out.println("finetune4j: " + ft.where
                + (key != null && !key.isBlank() ? " (OPENAI_API_KEY is set)" : " (no OPENAI_API_KEY: local)"));
        return ft;
    }

    /** The plain client, for anything the facade does not cover. Example: {@code ft.client().models().list()}. */
    public OpenAI client() {
        return client;
    }

    /**
     * A client with the admin key, for admin-only calls such as checkpoint permissions: the local server's admin key,
     * else {@code OPENAI_ADMIN_KEY}. Example: {@code ft.adminClient().fineTuning().checkpoints().permissions().list(ckpt)}.
     */
    public OpenAI adminClient() {
        if (server == null && !OpenAI.isOpenAI(client.baseUrl())) {
            // OPENAI_ADMIN_KEY is an OpenAI organisation's key: it is not sent to another service
            throw new IllegalStateException("adminClient() sends OPENAI_ADMIN_KEY to api.openai.com only; for "
                    + client.baseUrl() + " make a client with that service's admin key:"
                    + " OpenAI.builder().baseUrl(...).apiKey(adminKey).build()");
        }
        String key = server != null ? server.adminKey() : System.getenv("OPENAI_ADMIN_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("no admin key: set OPENAI_ADMIN_KEY (an organisation owner's admin key)");
        }
        OpenAI.Builder b = OpenAI.builder().baseUrl(client.baseUrl()).apiKey(key).adminKey(""); // the key for every call
        // OpenAI's organisation and project from the environment are not the local server's
        return (server != null ? b.organization("").project("") : b).build();
    }

    /**
     * Where this facade sends requests. Example: {@code ft.where()} →
     * {@code "local server at http://127.0.0.1:40123/v1 (data in /home/me/.finetune4j)"}.
     */
    public String where() {
        return where;
    }

    /** How often {@code await()} polls the job (default 0.5 s locally, 5 s remotely). Example: {@code ft.pollEvery(Duration.ofSeconds(10))}. */
    public FineTune pollEvery(Duration interval) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("poll interval must be positive");
        this.pollInterval = interval;
        return this;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    /** Where progress and notes are printed (default {@code System.out}). Example: {@code ft.printTo(System.err)}. */
    public FineTune printTo(PrintStream out) {
        this.out = Objects.requireNonNull(out);
        return this;
    }

    PrintStream out() {
        return out;
    }

    /** Uploads a JSONL file for fine-tuning. Example: {@code ft.upload("data/train.jsonl").id()}. */
    public FileObject upload(String path) {
        return upload(Path.of(path));
    }

    /** Uploads a JSONL file for fine-tuning. Example: {@code ft.upload(Path.of("data/train.jsonl"))}. */
    public FileObject upload(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("cannot upload " + path + ": no such file (looked in " + path.toAbsolutePath() + ")");
        }
        FileObject f;
        try {
            f = sizeOf(path) > FileService.MAX_FILE_BYTES ? uploadInParts(path) : client.files().create(path, FilePurpose.FINE_TUNE);
        } catch (ApiStatusException e) {
            // a service whose file limit is lower than OpenAI's still takes the file through the uploads API
            if (e.statusCode() != 413) throw e;
            f = uploadInParts(path);
        }
        uploaded.put(uploadKey(path), f.id());
        return f;
    }

    private FileObject uploadInParts(Path path) {
        long size = sizeOf(path);
        long parts = Math.max(1, (size + UploadService.MAX_PART_BYTES - 1) / UploadService.MAX_PART_BYTES);
        out.printf("Uploading %s (%,d bytes) in %d part%s of up to 64 MB%n", path.getFileName(), size, parts, parts == 1 ? "" : "s");
        long[] part = {0};
        return client.uploads().uploadFile(path, FilePurpose.FINE_TUNE, "text/jsonl", UploadService.MAX_PART_BYTES,
                sent -> out.printf("  part %d of %d sent (%,d MB)%n", ++part[0], parts, sent >> 20)).file();
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot upload " + path + ": " + e.getMessage(), e);
        }
    }

    /** Validates a training file locally (format, roles, tokens, duplicates, ...) with line numbers. Example: {@code ft.validate("data/train.jsonl")}. */
    public ValidationReport validate(String path) {
        return validate(Path.of(path));
    }

    /** Validates a training file locally. Example: {@code ft.validate(Path.of("data/train.jsonl")).ok()}. */
    public ValidationReport validate(Path path) {
        return validateWithoutModel(path, Method.AUTO);
    }

    /** Without a model the token limit is OpenAI's; a local model's is far smaller, so the facade of one says so. */
    private ValidationReport validateWithoutModel(Path path, Method method) {
        ValidationReport report = DatasetValidator.forMethod(method).validate(path);
        if (!modelNoteShown && localServer()) {
            modelNoteShown = true; // once per facade: it is the same every time
            out.println("note: without a model, tokens are counted for OpenAI's limit; a local model takes 128 (nano),"
                    + " 256 (micro) or 512 (mini): ft.validate(file, \"nano\") checks for one");
        }
        return report;
    }

    /**
     * Validates a training file with the tokens and limits of a model: the local server's own rules for its models
     * (the checks it runs before a job starts), else the model's OpenAI encoding and limit; for {@code babbage-002}
     * and {@code davinci-002}, in their prompt/completion format. Example: {@code ft.validate("train.jsonl", "gpt-4.1-mini")}.
     */
    public ValidationReport validate(String path, String model) {
        return validate(path, model, Method.AUTO);
    }

    /** Validates a training file as one method (no detection), e.g. {@code ft.validate("train.jsonl", Method.SUPERVISED)}. */
    public ValidationReport validate(String path, Method method) {
        return validateWithoutModel(Path.of(path), method);
    }

    /**
     * Validates a training file as one method, with a model's tokens, limits and format (prompt/completion lines for
     * {@code babbage-002} and {@code davinci-002}). Example: {@code ft.validate("t.jsonl", "nano", Method.DPO)}.
     */
    public ValidationReport validate(String path, String model, Method method) {
        return validatorFor(model, method).validate(Path.of(path));
    }

    /** The local server's rules for its models, else the model's OpenAI encoding, limit and format. */
    private DatasetValidator validatorFor(String model, Method method) {
        DatasetValidator v = DatasetValidator.forMethod(method);
        Integer context = localContextLength(model);
        if (context != null) {
            // the local server's rules: its byte tokens and context, and the format the model's name asks for
            v.localModel(context).promptCompletion(ModelLimits.usesPromptCompletion(model));
        } else {
            v.model(model);
        }
        return v;
    }

    /**
     * Writes the lines of a training file that can train to a new file (lines with errors, blank lines and repeated
     * examples dropped, by the rules of {@link #validate(String)}) and says what was dropped. Example:
     * {@code ft.clean("train.jsonl", "train.clean.jsonl")}.
     */
    public DatasetCleaner.Result clean(String input, String output) {
        return DatasetCleaner.forMethod(Method.AUTO).clean(Path.of(input), Path.of(output));
    }

    /** Cleans a training file by the rules of one method, e.g. {@code ft.clean("t.jsonl", "t.clean.jsonl", Method.DPO)}. */
    public DatasetCleaner.Result clean(String input, String output, Method method) {
        return DatasetCleaner.forMethod(method).clean(Path.of(input), Path.of(output));
    }

    /**
     * Cleans a training file by a model's rules, as {@link #validate(String, String)} checks them (a local model's
     * context drops longer examples). Example: {@code ft.clean("train.jsonl", "train.clean.jsonl", "nano")}.
     */
    public DatasetCleaner.Result clean(String input, String output, String model) {
        return clean(input, output, model, Method.AUTO);
    }

    /** Cleans a training file as one method with a model's rules. Example: {@code ft.clean("t.jsonl", "t.clean.jsonl", "nano", Method.DPO)}. */
    public DatasetCleaner.Result clean(String input, String output, String model, Method method) {
        return DatasetCleaner.using(validatorFor(model, method)).clean(Path.of(input), Path.of(output));
    }

    /** The context length a finetune4j server gives for its model, or null for any other service. */
    private Integer localContextLength(String model) {
        try {
            Object n = client.models().retrieve(model).extra().get("context_length");
            return n instanceof Number c ? c.intValue() : null;
        } catch (NotFoundException e) {
            throw new IllegalArgumentException("cannot validate for model '" + model + "': " + e.errorMessage()
                    + " (ft.models() lists the models)", e);
        } catch (OpenAIException e) {
            return null; // offline, or the service does not say: the OpenAI rules
        }
    }

    /** Whether the service is a finetune4j server, whose models give their context length. */
    private boolean localServer() {
        Boolean known = isFinetune4jServer;
        if (known == null) {
            try {
                known = client.models().list().stream().anyMatch(m -> m.extra().get("context_length") != null);
            } catch (OpenAIException e) {
                return false; // not remembered: the next call asks again, once the service answers
            }
            isFinetune4jServer = known;
        }
        return known;
    }

    /** The uploaded files as a table. Example: {@code ft.files()}. */
    public Table files() {
        List<FileObject> files = client.files().list().stream().toList();
        Map<String, String> jobOf = new LinkedHashMap<>();
        // result files are all called step_metrics.csv: say whose they are
        if (files.stream().anyMatch(f -> FilePurpose.FINE_TUNE_RESULTS.equals(f.purpose()))) {
            for (FineTuningJob j : client.fineTuning().jobs().list(JobListParams.builder().limit(100).build())) {
                for (String file : j.resultFiles()) jobOf.put(file, j.id());
            }
        }
        return Tables.files(files, jobOf);
    }

    /** The models this key can use (base, fine-tuned, checkpoints) as a table. Example: {@code ft.models()}. */
    public Table models() {
        return Tables.models(client.models().list().stream().toList());
    }

    /** Starts a job on a training file (a local path, uploaded if needed, or a file id). Example: {@code ft.create("gpt-4o-mini", "train.jsonl")}. */
    public Run create(String model, String trainingFile) {
        return job(model).train(trainingFile).create();
    }

    /** Starts a job with training and validation files (paths or file ids). Example: {@code ft.create("nano", "train.jsonl", "valid.jsonl")}. */
    public Run create(String model, String trainingFile, String validationFile) {
        return job(model).train(trainingFile).validate(validationFile).create();
    }

    /**
     * Starts a job from the API's parameters as a map, as the Python SDK takes them ({@code training_file} and
     * {@code validation_file} may be local paths). Example:
     * {@code ft.create(Map.of("model", "gpt-4o-mini", "training_file", "train.jsonl", "hyperparameters", Map.of("n_epochs", 3)))}.
     */
    public Run create(Map<String, ?> params) {
        Map<String, Object> body = new LinkedHashMap<>(params);
        for (String key : List.of("training_file", "validation_file")) {
            Object v = body.get(key);
            if (v instanceof Path p) body.put(key, fileId(p.toString()));
            else if (v instanceof String s) body.put(key, fileId(s));
        }
        FineTuningJob job;
        try {
            job = client.fineTuning().jobs().create(body);
        } catch (ApiException e) {
            if (OpenAIShutdown.closed(client.baseUrl(), LocalDate.now(ZoneOffset.UTC))) {
                out.println(OpenAIShutdown.notice(client.baseUrl(), LocalDate.now(ZoneOffset.UTC)));
            }
            throw e;
        }
        return new Run(this, job);
    }

    /** Describes a job fluently. Example: {@code ft.job("nano").train("t.jsonl").epochs(2).lrMultiplier(0.5).create()}. */
    public JobBuilder job(String model) {
        return new JobBuilder(this, model);
    }

    /** Re-attaches to any job by id (e.g. after a kernel restart). Example: {@code ft.run("ftjob-abc123").metrics()}. */
    public Run run(String jobId) {
        return new Run(this, client.fineTuning().jobs().retrieve(jobId));
    }

    /**
     * Jobs as a table: id, model, method, status, created/finished, duration, trained tokens, hyperparameters,
     * suffix, seed, fine-tuned model, metadata; newest first. Example: {@code ft.runs()}.
     */
    public Table runs() {
        return runs(Map.of());
    }

    /** Jobs whose metadata has all the given pairs. Example: {@code ft.runs(Map.of("experiment", "lr"))}. */
    public Table runs(Map<String, String> metadata) {
        return Tables.jobs(jobs(metadata));
    }

    /** Runs of the jobs whose metadata has all the given pairs. Example: {@code ft.compare(ft.runList(Map.of("sweep", id)))}. */
    public List<Run> runList(Map<String, String> metadata) {
        return jobs(metadata).stream().map(j -> new Run(this, j)).toList();
    }

    private List<FineTuningJob> jobs(Map<String, String> metadata) {
        JobListParams.Builder p = JobListParams.builder().limit(100);
        if (!metadata.isEmpty()) p.metadata(metadata);
        return client.fineTuning().jobs().list(p.build()).stream()
                .filter(j -> metadata.entrySet().stream().allMatch(e ->
                        j.metadata() != null && e.getValue().equals(j.metadata().get(e.getKey()))))
                .toList();
    }

    /** Compares runs: overlays, config differences, final/best metrics. Example: {@code ft.compare(a, b).plot("valid_loss")}. */
    public Comparison compare(Run... runs) {
        return new Comparison(Arrays.asList(runs));
    }

    /** Compares runs. Example: {@code ft.compare(List.of(a, b)).table()}. */
    public Comparison compare(List<Run> runs) {
        return new Comparison(runs);
    }

    /** Compares jobs by id. Example: {@code ft.compare("ftjob-a", "ftjob-b")}. */
    public Comparison compare(String... jobIds) {
        List<Run> runs = new ArrayList<>();
        for (String id : jobIds) runs.add(run(id));
        return new Comparison(runs);
    }

    /**
     * Starts one run per combination of the grid (hyperparameter names as in the API) and returns their
     * comparison. Names and values are checked before the first job starts; if the service refuses a later run, the
     * runs already started are cancelled ({@link SweepFailedException} names them). Example:
     * {@code ft.sweep(ft.job("nano").train("t.jsonl"), Map.of("learning_rate_multiplier", List.of(0.5, 2.0))).await().plot()}.
     */
    public Comparison sweep(JobBuilder job, Map<String, ? extends List<?>> grid) {
        return new Comparison(Sweep.start(job, grid));
    }

    /**
     * Sets the system message that {@code chat(prompt)} sends before each question (none by default): a model answers
     * best the way it was trained. Example: {@code ft.systemPrompt("Answer briefly.")}.
     */
    public FineTune systemPrompt(String system) {
        this.systemPrompt = system;
        return this;
    }

    /**
     * Asks any model (base, fine-tuned or checkpoint) one question, after the {@link #systemPrompt} if set; greedy
     * decoding. Example: {@code ft.chat("ft:nano:org::abc", "Hi")}.
     */
    public String chat(String model, String prompt) {
        return chat(model, messages(prompt));
    }

    private List<ChatMessage> messages(String prompt) {
        List<ChatMessage> messages = new ArrayList<>();
        if (systemPrompt != null) messages.add(ChatMessage.system(systemPrompt));
        messages.add(ChatMessage.user(prompt));
        return messages;
    }

    /**
     * How sure a model is of its greedy answer: a row per token with its probability and the five most likely tokens
     * at that position (see {@link Tables#logprobs}). Example: {@code ft.logprobs("ft:nano:org::abc", "Capital of Peru?")}.
     */
    public Table logprobs(String model, String prompt) {
        return logprobs(model, messages(prompt));
    }

    /** {@link #logprobs(String, String)} for whole messages. Example: {@code ft.logprobs(model, List.of(ChatMessage.user("Hi")))}. */
    public Table logprobs(String model, List<ChatMessage> messages) {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(servedAs(model)).messages(messages).temperature(0).logprobs(true).topLogprobs(5).build());
        ChatCompletion.Logprobs logprobs = c.choices().isEmpty() ? null : c.choices().get(0).logprobs();
        if (logprobs == null || logprobs.content() == null) {
            throw new IllegalStateException(model + " answered without log-probabilities");
        }
        String answer = Tables.visible(c.text() == null ? "" : c.text());
        if (answer.length() > 60) answer = answer.substring(0, 59) + "…";
        return Tables.logprobs(logprobs.content()).setName("logprobs of \"" + answer + "\"");
    }

    /**
     * Sends whole messages to any model; greedy decoding. Example:
     * {@code ft.chat(model, List.of(ChatMessage.system("Answer briefly."), ChatMessage.user("Capital of Peru?")))}.
     */
    public String chat(String model, List<ChatMessage> messages) {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(servedAs(model)).messages(messages).temperature(0).build());
        if (c.text() == null) throw new IllegalStateException(model + " gave no answer: " + c.noTextReason());
        return c.text();
    }

    /**
     * Asks {@code model} every example of a JSONL file (greedy) and scores each answer 1 or 0 by exact match with the
     * example's last assistant message. Example: {@code ft.evaluate("ft:nano:org::abc", "data/sample_valid.jsonl")}.
     */
    public Evaluation evaluate(String model, String file) {
        return Evaluation.run(client, servedAs(model), Path.of(file), null, out);
    }

    /**
     * Like {@link #evaluate(String, String)}, scored by a grader (the example's fields are its {@code item}), as a
     * reinforcement job grades. Example: {@code ft.evaluate(model, "prompts.jsonl", Map.of("type", "string_check", ...))}.
     */
    public Evaluation evaluate(String model, String file, Map<String, ?> grader) {
        return Evaluation.run(client, servedAs(model), Path.of(file), Objects.requireNonNull(grader, "grader"), out);
    }

    /**
     * The name a model answers chat requests under. On Azure OpenAI a fine-tuned model answers once deployed, as its
     * deployment: {@code ft.deployment(run.model(), "my-ft")} makes {@code run.chat}, {@code run.evaluate} and
     * {@code run.logprobs} ask that deployment. Example: {@code ft.deployment("gpt-4o-mini-2024-07-18.ft-abc", "support-bot")}.
     */
    public FineTune deployment(String model, String deployment) {
        deployments.put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(deployment, "deployment"));
        return this;
    }

    private String servedAs(String model) {
        return deployments.getOrDefault(model, model);
    }

    /**
     * Shows a table, chart, run or comparison: inline in a notebook, a chart in a window from JShell when a display
     * exists, else printed. Example: {@code ft.show(run.plot())}.
     */
    public void show(Object value) {
        if (Kernel.current().display(value)) return;
        if (value instanceof Chart<?, ?> c) {
            Charts.show(c);
        } else {
            Map<String, String> bundle = MimeBundle.of(value);
            out.println(bundle == null ? String.valueOf(value) : bundle.get(MimeBundle.TEXT));
        }
    }

    /** Closes the client and, for {@link #local()}, stops the server (jobs resume at its next start). Example: {@code ft.close()}. */
    @Override
    public void close() {
        client.close();
        if (server != null) server.close();
    }

    @Override
    public String toString() {
        return "FineTune[" + where + "]";
    }

    /**
     * A file reference: an existing local path is uploaded (once per facade and file version); anything else is
     * taken as a file id, which must look like one.
     */
    String fileId(String pathOrId) {
        Path p = Path.of(pathOrId);
        if (Files.isRegularFile(p)) {
            String known = uploaded.get(uploadKey(p));
            return known != null ? known : upload(p).id();
        }
        if (pathOrId.startsWith("file-") || pathOrId.startsWith("file_")) return pathOrId;
        throw new IllegalArgumentException("'" + pathOrId + "' is neither a file (looked in "
                + p.toAbsolutePath() + ") nor a file id (file-...)");
    }

    private static String uploadKey(Path p) {
        try {
            return p.toAbsolutePath().normalize() + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service on this machine answers at once: progress is polled more often. */
    private static boolean isLoopback(String baseUrl) {
        return baseUrl.contains("://127.0.0.1") || baseUrl.contains("://localhost");
    }
}
