package dev.finetune4j.notebook;

import dev.finetune4j.api.FineTuneMethod;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fine-tuning job being described, started with {@link #create()}. Files are given as local paths (uploaded
 * when the job is created, once per session) or as file ids. Example:
 * {@code ft.job("gpt-4o-mini").train("data/train.jsonl").validate("data/valid.jsonl").epochs(3).lrMultiplier(0.5).create()}.
 */
public final class JobBuilder {
    /** Hyperparameter names the API knows, for {@link #set} and sweep grids. */
    static final List<String> HYPERPARAMETERS = List.of("n_epochs", "batch_size", "learning_rate_multiplier", "beta",
            "reasoning_effort", "compute_multiplier", "eval_interval", "eval_samples");

    private final FineTune ft;
    private String model;
    private String training;
    private String validation;
    private String suffix;
    private Long seed;
    private String method = FineTuneMethod.SUPERVISED;
    /** The grader of a reinforcement job. */
    private Map<String, Object> grader;
    private final Map<String, Object> hyperparameters = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    JobBuilder(FineTune ft, String model) {
        this.ft = ft;
        this.model = Objects.requireNonNull(model, "model");
    }

    private JobBuilder(JobBuilder other) {
        this.ft = other.ft;
        this.model = other.model;
        this.training = other.training;
        this.validation = other.validation;
        this.suffix = other.suffix;
        this.seed = other.seed;
        this.method = other.method;
        this.grader = other.grader;
        this.hyperparameters.putAll(other.hyperparameters);
        this.metadata.putAll(other.metadata);
    }

    /** The training file: a local JSONL path or a file id. Example: {@code .train("data/train.jsonl")}. */
    public JobBuilder train(String pathOrFileId) {
        this.training = Objects.requireNonNull(pathOrFileId, "training file");
        return this;
    }

    /** The training file as a path. Example: {@code .train(Path.of("data/train.jsonl"))}. */
    public JobBuilder train(Path path) {
        return train(path.toString());
    }

    /** The validation file (a path or a file id), for validation metrics. Example: {@code .validate("data/valid.jsonl")}. */
    public JobBuilder validate(String pathOrFileId) {
        this.validation = pathOrFileId;
        return this;
    }

    /** The validation file as a path. Example: {@code .validate(Path.of("data/valid.jsonl"))}. */
    public JobBuilder validate(Path path) {
        return validate(path.toString());
    }

    /** Number of epochs, 1..50. Example: {@code .epochs(3)}. */
    public JobBuilder epochs(int n) {
        return hyperparameter("n_epochs", n);
    }

    /** Batch size, 1..256. Example: {@code .batchSize(8)}. */
    public JobBuilder batchSize(int n) {
        return hyperparameter("batch_size", n);
    }

    /** Learning-rate multiplier, &gt; 0. Example: {@code .lrMultiplier(0.5)}. */
    public JobBuilder lrMultiplier(double m) {
        return hyperparameter("learning_rate_multiplier", m);
    }

    /** Any hyperparameter by its API name, a number or {@code "auto"}. Example: {@code .hyperparameter("n_epochs", "auto")}. */
    public JobBuilder hyperparameter(String name, Object value) {
        if (!HYPERPARAMETERS.contains(name)) {
            throw new IllegalArgumentException("unknown hyperparameter '" + name + "'; known: " + HYPERPARAMETERS);
        }
        if (value == null) hyperparameters.remove(name);
        else hyperparameters.put(name, checked(name, value));
        return this;
    }

    /** The values {@code reasoning_effort} takes (it has no {@code "auto"}). */
    static final List<String> REASONING_EFFORTS = List.of("default", "low", "medium", "high");

    /**
     * A hyperparameter's value if it is in the API's documented range: checked here so that a mistyped value fails
     * where it is written, and a sweep's before any of its jobs starts. Whole numbers given as {@code 2.0} become 2.
     */
    static Object checked(String name, Object value) {
        if (name.equals("reasoning_effort")) {
            if (REASONING_EFFORTS.contains(value)) return value;
            throw new IllegalArgumentException("reasoning_effort must be one of " + REASONING_EFFORTS + ", not " + shown(value));
        }
        if ("auto".equals(value)) return value;
        String range = switch (name) {
            case "n_epochs" -> "a whole number from 1 to 50";
            case "batch_size" -> "a whole number from 1 to 256";
            case "eval_interval", "eval_samples" -> "a whole number of at least 1";
            case "beta" -> "a number above 0 and at most 2";
            case "compute_multiplier" -> "a number above 0.00001 and at most 10";
            default -> "a number above 0";
        };
        boolean whole = range.startsWith("a whole");
        double d = value instanceof Number n ? n.doubleValue() : Double.NaN;
        boolean ok = switch (name) {
            case "n_epochs" -> d >= 1 && d <= 50;
            case "batch_size" -> d >= 1 && d <= 256;
            case "eval_interval", "eval_samples" -> d >= 1 && d <= Integer.MAX_VALUE;
            case "beta" -> d > 0 && d <= 2;
            case "compute_multiplier" -> d > 0.00001 && d <= 10;
            default -> d > 0 && !Double.isInfinite(d);
        };
        if (!ok || (whole && d != Math.rint(d))) {
            throw new IllegalArgumentException(name + " must be " + range + " or \"auto\", not " + shown(value));
        }
        return whole && !(value instanceof Integer || value instanceof Long) ? (Object) (int) d : value;
    }

    private static String text(String name, Object value) {
        if (value == null || value instanceof String) return (String) value;
        throw new IllegalArgumentException(name + " must be text, not " + value + " (" + value.getClass().getSimpleName() + ")");
    }

    /** A value as an error message shows it: strings quoted, so that {@code "2"} is not taken for the number. */
    private static String shown(Object value) {
        return value instanceof String str ? "\"" + str + "\" (text)" : String.valueOf(value);
    }

    /** Up to 64 characters added to the fine-tuned model's name. Example: {@code .suffix("support-bot")}. */
    public JobBuilder suffix(String suffix) {
        this.suffix = suffix;
        return this;
    }

    /** The training seed, for reproducible runs. Example: {@code .seed(1)}. */
    public JobBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Metadata pairs stored with the job (and filterable in {@code ft.runs(...)}). Example: {@code .metadata(Map.of("experiment", "lr"))}. */
    public JobBuilder metadata(Map<String, String> pairs) {
        metadata.putAll(pairs);
        return this;
    }

    /** One metadata pair. Example: {@code .metadata("experiment", "lr")}. */
    public JobBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Supervised fine-tuning (the default). Example: {@code .supervised()}. */
    public JobBuilder supervised() {
        method = FineTuneMethod.SUPERVISED;
        grader = null;
        hyperparameters.remove("beta");
        return this;
    }

    /** Direct preference optimisation with the service's default beta. Example: {@code .dpo()}. */
    public JobBuilder dpo() {
        method = FineTuneMethod.DPO;
        grader = null;
        return this;
    }

    /** Direct preference optimisation with beta in (0, 2]. Example: {@code .dpo(0.1)}. */
    public JobBuilder dpo(double beta) {
        dpo();
        return hyperparameter("beta", beta);
    }

    /**
     * Reinforcement fine-tuning: answers are sampled and scored by {@code grader} (as the graders API takes it), the
     * training file holding prompts and the fields the grader reads as {@code item}. Example:
     * {@code .reinforcement(Map.of("type", "string_check", "name", "exact", "operation", "eq",
     * "input", "{{sample.output_text}}", "reference", "{{item.answer}}"))}.
     */
    public JobBuilder reinforcement(Map<String, ?> grader) {
        method = FineTuneMethod.REINFORCEMENT;
        this.grader = new LinkedHashMap<>(Objects.requireNonNull(grader, "grader"));
        hyperparameters.remove("beta");
        return this;
    }

    /**
     * Sets a field by name, as sweep grids do: a hyperparameter ({@code n_epochs}, {@code batch_size},
     * {@code learning_rate_multiplier}, {@code beta}, ...), {@code seed}, {@code suffix} or {@code model}; the
     * builder's camelCase names ({@code epochs}, {@code batchSize}, {@code lrMultiplier}) work too. Example:
     * {@code .set("learning_rate_multiplier", 0.5)}.
     */
    public JobBuilder set(String name, Object value) {
        switch (name) {
            case "epochs" -> hyperparameter("n_epochs", value);
            case "batchSize" -> hyperparameter("batch_size", value);
            case "lrMultiplier", "learningRateMultiplier" -> hyperparameter("learning_rate_multiplier", value);
            case "seed" -> {
                if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new IllegalArgumentException("seed must be a whole number, not " + shown(value));
                }
                seed = n.longValue();
            }
            case "suffix" -> suffix = text(name, value);
            case "model" -> model = Objects.requireNonNull(text(name, value), "model must not be null");
            default -> hyperparameter(name, value);
        }
        return this;
    }

    /** An independent copy to vary. Example: {@code var b = base.copy().lrMultiplier(2)}. */
    public JobBuilder copy() {
        return new JobBuilder(this);
    }

    /**
     * The request body (snake_case, as {@code POST /fine_tuning/jobs} takes it), files still as given (paths
     * are uploaded by {@link #create()}). Example: {@code ft.job("nano").train("t.jsonl").epochs(2).params()}.
     */
    public Map<String, Object> params() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        if (training != null) body.put("training_file", training);
        if (validation != null) body.put("validation_file", validation);
        if (suffix != null) body.put("suffix", suffix);
        if (seed != null) body.put("seed", seed);
        if (!metadata.isEmpty()) body.put("metadata", new LinkedHashMap<>(metadata));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", method);
        Map<String, Object> settings = new LinkedHashMap<>();
        if (grader != null) settings.put("grader", new LinkedHashMap<>(grader));
        if (!hyperparameters.isEmpty()) settings.put("hyperparameters", new LinkedHashMap<>(hyperparameters));
        if (!settings.isEmpty()) m.put(method, settings);
        body.put("method", m);
        return body;
    }

    /** Uploads local files if needed and starts the job. Example: {@code Run run = ft.job("nano").train("t.jsonl").create()}. */
    public Run create() {
        if (training == null) throw new IllegalStateException("no training file: call .train(path or file id) first");
        return ft.create(params());
    }

    @Override
    public String toString() {
        return "JobBuilder" + params();
    }
}
