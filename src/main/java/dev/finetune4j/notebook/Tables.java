package dev.finetune4j.notebook;

import dev.finetune4j.api.ChatCompletionTokenLogprob;
import dev.finetune4j.api.CheckpointMetrics;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.Model;
import dev.finetune4j.notebook.kernel.HtmlTable;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;
import tech.tablesaw.columns.strings.StringColumnFormatter;

/**
 * Wire objects as Tablesaw tables: what {@code run.metrics()}, {@code run.events()}, {@code ft.runs()} and the
 * others return. Usable on their own with objects fetched through the plain client, e.g.
 * {@code Tables.metrics(client.fineTuning().jobs().listEvents(id).stream().toList())}.
 */
public final class Tables {
    private Tables() {}

    /**
     * One row per step with an int {@code step} column and a double column per metric key found in the metric
     * events (missing where a step lacks that metric), sorted by step. When a step was reported twice (a job
     * resumed from a checkpoint repeats steps) the latest report wins. Example: {@code Tables.metrics(events)}.
     */
    public static Table metrics(Collection<FineTuningJobEvent> events) {
        TreeMap<Long, Map<String, Double>> byStep = new TreeMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (FineTuningJobEvent e : chronological(events)) {
            Map<String, Double> values = metricValues(e);
            if (values == null) continue;
            long step = Math.round(values.remove(Metrics.STEP));
            values.remove(Metrics.TOTAL_STEPS);
            keys.addAll(values.keySet());
            byStep.put(step, values);
        }
        IntColumn step = IntColumn.create(Metrics.STEP);
        List<String> ordered = Metrics.ordered(keys);
        List<DoubleColumn> columns = new ArrayList<>();
        for (String k : ordered) columns.add(readable(DoubleColumn.create(k)));
        byStep.forEach((s, values) -> {
            step.append(Math.toIntExact(s));
            for (int i = 0; i < ordered.size(); i++) {
                Double v = values.get(ordered.get(i));
                if (v == null) columns.get(i).appendMissing();
                else columns.get(i).append(v);
            }
        });
        Table t = Table.create("metrics", step);
        columns.forEach(t::addColumns);
        return t;
    }

    /**
     * The numeric entries of a metric event's {@code data} (with {@code step}), or null when the event carries no
     * step metrics. Example: {@code Tables.metricValues(event).get("train_loss")}.
     */
    public static Map<String, Double> metricValues(FineTuningJobEvent e) {
        if (e.data() == null || !(e.isMetrics() || e.type() == null)) return null;
        if (number(e.data().get(Metrics.STEP)) == null) return null;
        Map<String, Double> values = new LinkedHashMap<>();
        e.data().forEach((k, v) -> {
            Double d = number(v);
            if (d != null && Double.isFinite(d)) values.put(k, d);
        });
        return values;
    }

    /** A metric value: a JSON number, or a number written as a string (some services send {@code "0.5"}). */
    private static Double number(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Every event, oldest first: {@code created_at}, {@code level}, {@code type}, {@code step} (metric events),
     * {@code message}, {@code id}. Example: {@code Tables.events(events).where(t -> t.stringColumn("level").isEqualTo("error"))}.
     */
    public static Table events(Collection<FineTuningJobEvent> events) {
        InstantColumn created = InstantColumn.create("created_at");
        StringColumn level = StringColumn.create("level");
        StringColumn type = StringColumn.create("type");
        IntColumn step = IntColumn.create(Metrics.STEP);
        StringColumn message = StringColumn.create("message");
        StringColumn id = StringColumn.create("id");
        for (FineTuningJobEvent e : chronological(events)) {
            created.append(Instant.ofEpochSecond(e.createdAt()));
            level.append(e.level());
            type.append(e.type());
            Map<String, Double> values = metricValues(e);
            if (values == null) step.appendMissing();
            else step.append(Math.toIntExact(Math.round(values.get(Metrics.STEP))));
            message.append(e.message());
            id.append(e.id());
        }
        return Table.create("events", created, level, type, step, message, id);
    }

    /**
     * Checkpoints sorted by step: {@code step}, {@code model} (the name to chat with), {@code created_at},
     * {@code id} and a double column per metric they carry. Example: {@code Tables.checkpoints(list)}.
     */
    public static Table checkpoints(Collection<FineTuningJobCheckpoint> checkpoints) {
        List<FineTuningJobCheckpoint> sorted = checkpoints.stream()
                .sorted(Comparator.comparingLong(FineTuningJobCheckpoint::stepNumber)).toList();
        List<Map<String, Double>> rows = sorted.stream().map(c -> checkpointMetrics(c.metrics())).toList();
        Set<String> keys = new LinkedHashSet<>();
        rows.forEach(r -> keys.addAll(r.keySet()));
        keys.remove(Metrics.STEP);
        IntColumn step = IntColumn.create(Metrics.STEP);
        StringColumn model = StringColumn.create("model");
        InstantColumn created = InstantColumn.create("created_at");
        StringColumn id = StringColumn.create("id");
        for (FineTuningJobCheckpoint c : sorted) {
            step.append(Math.toIntExact(c.stepNumber()));
            model.append(c.fineTunedModelCheckpoint());
            created.append(Instant.ofEpochSecond(c.createdAt()));
            id.append(c.id());
        }
        Table t = Table.create("checkpoints", step, model, created, id);
        for (String k : Metrics.ordered(keys)) t.addColumns(doubles(k, rows.stream().map(r -> r.get(k)).toList()));
        return t;
    }

    /** A checkpoint's metrics as a map of the keys present, snake_case as on the wire. */
    static Map<String, Double> checkpointMetrics(CheckpointMetrics m) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (m == null) return out;
        putIfPresent(out, Metrics.STEP, m.step());
        putIfPresent(out, Metrics.TRAIN_LOSS, m.trainLoss());
        putIfPresent(out, Metrics.TRAIN_ACCURACY, m.trainMeanTokenAccuracy());
        putIfPresent(out, Metrics.VALID_LOSS, m.validLoss());
        putIfPresent(out, Metrics.VALID_ACCURACY, m.validMeanTokenAccuracy());
        putIfPresent(out, Metrics.FULL_VALID_LOSS, m.fullValidLoss());
        putIfPresent(out, Metrics.FULL_VALID_ACCURACY, m.fullValidMeanTokenAccuracy());
        m.extra().forEach((k, v) -> {
            if (v instanceof Number n) putIfPresent(out, k, n.doubleValue());
        });
        return out;
    }

    /**
     * Jobs as rows: id, model, method, status, created/finished, duration, trained tokens, hyperparameters
     * flattened, suffix, seed, fine-tuned model, metadata. Example: {@code Tables.jobs(client.fineTuning().jobs().list().data())}.
     */
    public static Table jobs(Collection<FineTuningJob> jobs) {
        List<RunConfig> configs = jobs.stream().map(RunConfig::of).toList();
        StringColumn id = StringColumn.create("id");
        StringColumn model = StringColumn.create("model");
        StringColumn method = StringColumn.create("method");
        StringColumn status = StringColumn.create("status");
        InstantColumn created = InstantColumn.create("created_at");
        InstantColumn finished = InstantColumn.create("finished_at");
        DoubleColumn duration = readable(DoubleColumn.create("duration_s"));
        LongColumn tokens = LongColumn.create("trained_tokens");
        StringColumn suffix = StringColumn.create("suffix");
        LongColumn seed = LongColumn.create("seed");
        StringColumn fineTuned = StringColumn.create("fine_tuned_model");
        StringColumn metadata = StringColumn.create("metadata");
        Set<String> hyper = new LinkedHashSet<>();
        configs.forEach(c -> hyper.addAll(c.hyperparameters().keySet()));
        for (RunConfig c : configs) {
            FineTuningJob j = c.job();
            id.append(j.id());
            model.append(j.model());
            method.append(c.method());
            status.append(j.status());
            created.append(Instant.ofEpochSecond(j.createdAt()));
            if (j.finishedAt() == null) finished.appendMissing();
            else finished.append(Instant.ofEpochSecond(j.finishedAt()));
            Double d = c.durationSeconds();
            if (d == null) duration.appendMissing();
            else duration.append(d);
            if (j.trainedTokens() == null) tokens.appendMissing();
            else tokens.append(j.trainedTokens());
            suffix.append(c.suffix());
            seed.append(j.seed());
            fineTuned.append(j.fineTunedModel());
            metadata.append(j.metadata() == null ? "" : j.metadata().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        }
        Table t = Table.create("runs", id, model, method, status, created, finished, duration, tokens);
        for (String h : hyper) t.addColumns(mixed(h, configs.stream().map(c -> c.hyperparameters().get(h)).toList()));
        return t.addColumns(suffix, seed, fineTuned, metadata);
    }

    /** Files as rows: id, filename, purpose, bytes, created_at, status. Example: {@code Tables.files(list)}. */
    public static Table files(Collection<FileObject> files) {
        return files(files, Map.of());
    }

    /**
     * Files as rows, with the job each result file belongs to ({@code job}, from the jobs' {@code result_files}).
     * Example: {@code Tables.files(files, Map.of("file-res1", "ftjob-abc"))}.
     */
    public static Table files(Collection<FileObject> files, Map<String, String> jobOfResultFile) {
        StringColumn job = StringColumn.create("job");
        StringColumn id = StringColumn.create("id");
        StringColumn name = StringColumn.create("filename");
        StringColumn purpose = StringColumn.create("purpose");
        LongColumn bytes = LongColumn.create("bytes");
        InstantColumn created = InstantColumn.create("created_at");
        StringColumn status = StringColumn.create("status");
        for (FileObject f : files) {
            id.append(f.id());
            name.append(f.filename());
            purpose.append(f.purpose());
            bytes.append(f.bytes());
            created.append(Instant.ofEpochSecond(f.createdAt()));
            status.append(f.status());
            job.append(jobOfResultFile.getOrDefault(f.id(), ""));
        }
        Table t = Table.create("files", id, name, purpose, bytes, created, status);
        return jobOfResultFile.isEmpty() ? t : t.addColumns(job);
    }

    /** Models as rows: id, created, owned_by. Example: {@code Tables.models(client.models().list().data())}. */
    public static Table models(Collection<Model> models) {
        StringColumn id = StringColumn.create("id");
        InstantColumn created = InstantColumn.create("created");
        StringColumn owner = StringColumn.create("owned_by");
        IntColumn context = IntColumn.create("context_length");
        for (Model m : models) {
            id.append(m.id());
            // Azure's classic API names the field created_at
            long seconds = m.created() == 0 && m.extra().get("created_at") instanceof Number n ? n.longValue() : m.created();
            created.append(Instant.ofEpochSecond(seconds));
            owner.append(m.ownedBy());
            if (m.extra().get("context_length") instanceof Number n) context.append(n.intValue());
            else context.appendMissing();
        }
        Table t = Table.create("models", id, created, owner);
        // a finetune4j server gives each model's context length; OpenAI does not
        return context.countMissing() == context.size() ? t : t.addColumns(context);
    }

    /**
     * An answer's tokens as rows: {@code position}, {@code token}, {@code logprob}, {@code probability} and the most
     * likely tokens at that position with their probabilities ({@code alternatives}). Example:
     * {@code Tables.logprobs(completion.choices().get(0).logprobs().content())}.
     */
    public static Table logprobs(Collection<ChatCompletionTokenLogprob> tokens) {
        IntColumn position = IntColumn.create("position");
        StringColumn token = StringColumn.create("token");
        DoubleColumn logprob = DoubleColumn.create("logprob");
        DoubleColumn probability = DoubleColumn.create("probability");
        StringColumn alternatives = StringColumn.create("alternatives");
        int i = 0;
        for (ChatCompletionTokenLogprob t : tokens) {
            position.append(i++);
            token.append(visible(t.token()));
            logprob.append(t.logprob());
            probability.append(t.probability());
            alternatives.append(t.topLogprobs().stream()
                    .map(a -> quoted(a.token()) + String.format(Locale.ROOT, " %.1f%%", 100 * a.probability()))
                    .collect(Collectors.joining("  ")));
        }
        logprob.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(4));
        probability.setPrintFormatter(NumberColumnFormatter.percent(1));
        token.setPrintFormatter(new StringColumnFormatter(text -> '"' + text + '"')); // so a space shows
        return Table.create("logprobs", position, token, logprob, probability, alternatives);
    }

    /** A token in quotes, with line breaks and tabs shown as {@code \n} and {@code \t}. */
    private static String quoted(String token) {
        return '"' + visible(token) + '"';
    }

    /**
     * Text on one line, as a reader can see it: line breaks and tabs as {@code \n}, {@code \r} and {@code \t}, other
     * control characters as {@code \}{@code u001b} (a terminal would act on them: an escape sequence recolours it).
     */
    static String visible(String token) {
        StringBuilder out = null;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!Character.isISOControl(c)) {
                if (out != null) out.append(c);
                continue;
            }
            if (out == null) out = new StringBuilder(token.length() + 8).append(token, 0, i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? token : out.toString();
    }

    /**
     * A wide table turned on its side: a row per column, the first column naming the field and one column per row
     * of the table, every value as text. For one-row summaries and comparisons too wide to read. Example:
     * {@code Tables.vertical(run.summary())}.
     */
    public static Table vertical(Table t) {
        StringColumn field = StringColumn.create("field", t.columnNames());
        Table out = new PrintsWhole(t.name(), field);
        for (int r = 0; r < t.rowCount(); r++) {
            StringColumn values = StringColumn.create(t.rowCount() == 1 ? "value" : rowName(t, r));
            for (Column<?> c : t.columns()) values.append(c.isMissing(r) ? "" : c.getString(r));
            for (int k = 2; out.columnNames().contains(values.name()); k++) values.setName(rowName(t, r) + " (" + k + ")");
            out.addColumns(values);
        }
        return out;
    }

    /**
     * A table that prints every row: Tablesaw prints 20 and hides the rest behind "...", and the rows of a vertical
     * table are a run's fields, whichever of them a reader looks for.
     */
    private static final class PrintsWhole extends Table {
        PrintsWhole(String name, Column<?>... columns) {
            super(name, columns);
        }

        @Override
        public String toString() {
            return printAll();
        }
    }

    /** A row's name for {@link #vertical}: its label or id column when the table has one, else its number. */
    private static String rowName(Table t, int r) {
        for (String name : List.of("label", "id")) {
            if (t.columnNames().contains(name)) return t.column(name).getString(r);
        }
        return "row " + r;
    }

    /** Prints text on one line, cut after 60 characters; the values keep all of it. Example: {@code col.setPrintFormatter(Tables.oneLine())}. */
    static StringColumnFormatter oneLine() {
        return new StringColumnFormatter(text -> {
            String line = visible(text);
            return line.length() <= 60 ? line : line.substring(0, 57) + "...";
        });
    }

    /** A double column from nullable values (null is missing). */
    static DoubleColumn doubles(String name, List<? extends Number> values) {
        DoubleColumn c = readable(DoubleColumn.create(name));
        for (Number v : values) {
            if (v == null) c.appendMissing();
            else c.append(v.doubleValue());
        }
        return c;
    }

    /** Prints at most six significant digits ({@code 5.24693}, not {@code 5.2469301748602115}), as notebooks show them; the values keep theirs. */
    static DoubleColumn readable(DoubleColumn c) {
        c.setPrintFormatter(new NumberColumnFormatter(new SixDigits(), ""));
        return c;
    }

    /** {@link HtmlTable#number} as the {@link NumberFormat} a Tablesaw column prints with. */
    private static final class SixDigits extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            return to.append(HtmlTable.number(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return to.append(number);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("for printing only");
        }
    }

    /**
     * A double column when every present value is a number or {@code "auto"} (a hyperparameter the service has not
     * chosen yet, then missing), so its type does not depend on which jobs are listed; else a string column.
     */
    static Column<?> mixed(String name, List<?> values) {
        boolean numeric = values.stream().allMatch(v -> v == null || v instanceof Number || "auto".equals(v));
        if (numeric) return doubles(name, values.stream().map(v -> v instanceof Number n ? n : null).toList());
        StringColumn c = StringColumn.create(name);
        for (Object v : values) c.append(v == null ? "" : String.valueOf(v));
        return c;
    }

    private static void putIfPresent(Map<String, Double> out, String key, Double v) {
        if (v != null && Double.isFinite(v)) out.put(key, v);
    }

    /**
     * Events oldest first. Lists arrive newest first from the API, so a list that starts later than it ends is
     * reversed before the (stable) sort by time; events of the same second then keep their emission order.
     */
    static List<FineTuningJobEvent> chronological(Collection<FineTuningJobEvent> events) {
        List<FineTuningJobEvent> list = new ArrayList<>(events);
        if (list.size() > 1 && list.get(0).createdAt() > list.get(list.size() - 1).createdAt()) {
            java.util.Collections.reverse(list);
        }
        list.sort(Comparator.comparingLong(FineTuningJobEvent::createdAt));
        return list;
    }
}
