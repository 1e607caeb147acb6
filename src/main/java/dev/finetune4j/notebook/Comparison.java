package dev.finetune4j.notebook;

import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.notebook.kernel.HtmlTable;
import dev.finetune4j.notebook.kernel.MimeBundle;
import dev.finetune4j.notebook.kernel.Renderable;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Several runs side by side: any metric overlaid on one chart, a table of what differs in their configs, their
 * final and best metrics, and the best run or checkpoint by a chosen metric. Example:
 * {@code ft.compare(a, b).plot("valid_loss")}.
 */
public final class Comparison implements Renderable {
    private final List<Run> runs;

    Comparison(List<Run> runs) {
        if (runs.isEmpty()) throw new IllegalArgumentException("nothing to compare: no runs");
        this.runs = List.copyOf(runs);
    }

    /** The runs compared, in order. Example: {@code cmp.runs().get(0).id()}. */
    public List<Run> runs() {
        return runs;
    }

    /**
     * Waits for every run to end. A run that fails or is cancelled does not stop the wait: it is reported in a
     * line and shows its status in the tables. Example: {@code ft.sweep(job, grid).await().table()}.
     */
    public Comparison await() {
        for (Run r : runs) {
            try {
                r.await();
            } catch (RunFailedException e) {
                r.out().println(e.getMessage());
            }
        }
        return this;
    }

    /**
     * The train loss of every run on one chart, or the train reward of reinforcement runs; a chart saying "no metrics
     * yet" while no run has reported either (just started, or failed before training). Example:
     * {@code Charts.save(cmp.plot(), "compare.png")}.
     */
    public XYChart plot() {
        String metric = defaultMetric();
        return metric == null ? Plot.overlay().chart() : plot(metric);
    }

    /** What {@link #plot()} draws: the train loss if a run reported it, else the train reward; null for neither. */
    private String defaultMetric() {
        Set<String> reported = new LinkedHashSet<>();
        for (Run r : runs) reported.addAll(r.metrics().columnNames());
        if (reported.contains(Metrics.TRAIN_LOSS)) return Metrics.TRAIN_LOSS;
        if (reported.contains(Metrics.TRAIN_REWARD)) return Metrics.TRAIN_REWARD;
        return null;
    }

    /** One metric of every run on one chart, a line per run labelled by what differs. Example: {@code cmp.plot("valid_loss")}. */
    public XYChart plot(String metric) {
        return plot(metric, 0);
    }

    /** One metric of every run, EMA-smoothed with weight {@code smoothing} in [0, 1). Example: {@code cmp.plot("train_loss", 0.8)}. */
    public XYChart plot(String metric, double smoothing) {
        return plotter(metric).smooth(smoothing).chart();
    }

    /**
     * A {@link Plot} of one metric of every run to customise before drawing, e.g. against epochs, which lines up
     * runs of different batch sizes. Runs that did not report the metric are named in a line and left out.
     * Example: {@code cmp.plotter("valid_loss").x("epoch").logScale().chart()}.
     */
    public Plot plotter(String metric) {
        Plot p = Plot.overlay().metrics(metric).title(metric);
        List<String> labels = labels();
        List<String> without = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            Table m = runs.get(i).metrics();
            if (m.columnNames().contains(metric)) p.add(labels.get(i), m);
            else without.add(runs.get(i).id());
            m.columnNames().stream().filter(c -> !c.equals(Metrics.STEP) && !c.equals(Metrics.EPOCH)).forEach(reported::add);
        }
        if (without.size() == runs.size() && !reported.isEmpty()) {
            throw new IllegalArgumentException("no run reported " + metric + "; they report " + Metrics.ordered(reported));
        }
        if (!without.isEmpty() && !reported.isEmpty()) runs.get(0).out().println("not plotted, no " + metric + ": " + String.join(", ", without));
        return p;
    }

    /**
     * Every run's step metrics in one long table, a row per run and step, led by the run's {@code label} and
     * {@code id} (as a concatenation of data frames would be), for grouping and filtering across runs. Example:
     * {@code cmp.steps().where(t -> t.intColumn("step").isGreaterThan(100))}.
     */
    public Table steps() {
        List<String> labels = labels();
        Table all = null;
        for (int i = 0; i < runs.size(); i++) {
            Table m = runs.get(i).metrics().copy();
            m.insertColumn(0, StringColumn.create("id", java.util.Collections.nCopies(m.rowCount(), runs.get(i).id())));
            m.insertColumn(0, StringColumn.create("label", java.util.Collections.nCopies(m.rowCount(), labels.get(i))));
            all = all == null ? m : appendAligned(all, m);
        }
        return all.setName("steps");
    }

    /**
     * A row per run: its id, a label, and the config fields whose values differ between the runs (model, method,
     * hyperparameters, seed, suffix, files, metadata). Example: {@code cmp.config()}.
     */
    public Table config() {
        List<Map<String, Object>> configs = configs();
        Table t = Table.create("config", StringColumn.create("id", runs.stream().map(Run::id).toList()),
                StringColumn.create("label", labels()));
        List<String> keys = differing(configs);
        for (String key : keys) {
            if (repeatsSetting(key, keys, configs)) continue;
            t.addColumns(Tables.mixed(key, configs.stream().map(c -> c.get(key)).toList()));
        }
        return t;
    }

    /**
     * A row per run: id, status, steps, and the final and best value of every metric (lowest loss, highest
     * accuracy). Example: {@code cmp.metrics().sortAscendingOn("final_valid_loss")}.
     */
    public Table metrics() {
        List<Table> summaries = runs.stream().map(Run::summary).toList();
        Set<String> columns = new LinkedHashSet<>();
        for (Table s : summaries) {
            for (String c : s.columnNames()) if (c.startsWith("final_") || c.startsWith("best_")) columns.add(c);
        }
        Table t = Table.create("metrics", StringColumn.create("id", runs.stream().map(Run::id).toList()),
                StringColumn.create("status", summaries.stream().map(s -> s.stringColumn("status").get(0)).toList()),
                IntColumn.create("steps", summaries.stream().mapToInt(s -> s.intColumn("steps").get(0)).toArray()),
                Tables.doubles("duration_s", summaries.stream().map(s -> value(s, "duration_s")).toList()),
                Tables.doubles("train_s", summaries.stream().map(s -> value(s, "train_s")).toList()));
        if (summaries.stream().anyMatch(s -> s.columnNames().contains("error"))) {
            t.insertColumn(2, StringColumn.create("error", summaries.stream()
                    .map(s -> s.columnNames().contains("error") ? s.stringColumn("error").get(0) : "").toList()));
        }
        for (String c : orderMetricColumns(columns)) {
            t.addColumns(Tables.doubles(c, summaries.stream().map(s -> value(s, c)).toList()));
        }
        return t;
    }

    /** {@link #config()} and {@link #metrics()} in one table. Example: {@code cmp.table()}. */
    public Table table() {
        Table t = config().copy().setName("comparison");
        Table m = metrics();
        for (Column<?> c : m.columns()) if (!c.name().equals("id")) t.addColumns(c.copy());
        return t;
    }

    /**
     * The run whose final value of {@code metric} is best (lowest loss, highest accuracy); runs without it are
     * skipped. Example: {@code cmp.best("valid_loss").chat("Hi")}.
     */
    public Run best(String metric) {
        Table m = metrics();
        String col = "final_" + metric;
        if (!m.columnNames().contains(col)) {
            List<String> reported = m.columnNames().stream().filter(c -> c.startsWith("final_"))
                    .map(c -> c.substring("final_".length())).toList();
            throw new IllegalArgumentException("no run reported " + metric + "; they report " + reported);
        }
        DoubleColumn values = m.doubleColumn(col);
        int best = -1;
        for (int i = 0; i < values.size(); i++) {
            if (values.isMissing(i)) continue;
            if (best < 0 || Metrics.better(metric, values.get(i), values.get(best))) best = i;
        }
        if (best < 0) throw new IllegalArgumentException("no run reported " + metric);
        return runs.get(best);
    }

    /** Every run's checkpoints in one table, with a {@code run} column. Example: {@code cmp.checkpoints()}. */
    public Table checkpoints() {
        Table all = null;
        for (Run r : runs) {
            Table c = r.checkpoints();
            c.insertColumn(0, StringColumn.create("run", java.util.Collections.nCopies(c.rowCount(), r.id())));
            all = all == null ? c : appendAligned(all, c);
        }
        return all.setName("checkpoints");
    }

    /**
     * The checkpoint, over all runs, with the best value of {@code metric} (lowest loss, highest accuracy); chat
     * with it through {@code run.chat(prompt, checkpoint)}. Example: {@code cmp.bestCheckpoint("full_valid_loss")}.
     */
    public FineTuningJobCheckpoint bestCheckpoint(String metric) {
        FineTuningJobCheckpoint best = null;
        double bestValue = Double.NaN;
        for (Run r : runs) {
            for (FineTuningJobCheckpoint c : r.checkpointList()) {
                Double v = Tables.checkpointMetrics(c.metrics()).get(metric);
                if (v != null && (best == null || Metrics.better(metric, v, bestValue))) {
                    best = c;
                    bestValue = v;
                }
            }
        }
        if (best == null) {
            Set<String> kept = new LinkedHashSet<>();
            for (Run r : runs) r.checkpointList().forEach(c -> kept.addAll(Tables.checkpointMetrics(c.metrics()).keySet()));
            throw new IllegalArgumentException("no checkpoint of these runs has metric " + metric
                    + (kept.isEmpty() ? " (they have no checkpoint)" : "; their checkpoints have " + Metrics.ordered(kept)));
        }
        return best;
    }

    /** The run a checkpoint belongs to. Example: {@code cmp.runOf(cmp.bestCheckpoint("valid_loss"))}. */
    public Run runOf(FineTuningJobCheckpoint checkpoint) {
        return runs.stream().filter(r -> r.id().equals(checkpoint.fineTuningJobId())).findFirst().orElseThrow(() ->
                new IllegalArgumentException(checkpoint.id() + " belongs to none of these runs"));
    }

    /**
     * Evaluates each run's model on a JSONL file by exact match (see {@link Run#evaluate(String)}): a row per run with
     * its right answers and mean score. A run without a fine-tuned model (failed, cancelled, still training) is not
     * asked: its row has no scores and a {@code note} saying why. Example: {@code cmp.evaluate("data/sample_valid.jsonl")}.
     */
    public Table evaluate(String file) {
        return evaluate(file, null);
    }

    /**
     * {@link #evaluate(String)} with the answers scored by a grader (see {@link Run#evaluate(String, Map)}); correct
     * counts the answers with full marks. Example: {@code cmp.evaluate("prompts.jsonl", Map.of("type", "string_check", ...))}.
     */
    public Table evaluate(String file, Map<String, ?> grader) {
        List<Evaluation> evaluations = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Run r : runs) {
            String model = r.model();
            evaluations.add(model == null ? null : grader == null ? r.evaluate(file) : r.evaluate(file, grader));
            notes.add(model == null ? withoutModel(r) : "");
        }
        IntColumn correct = IntColumn.create("correct");
        IntColumn examples = IntColumn.create("examples");
        for (Evaluation e : evaluations) {
            if (e == null) {
                correct.appendMissing();
                examples.appendMissing();
            } else {
                correct.append(e.correct());
                examples.append(e.size());
            }
        }
        DoubleColumn mean = Tables.doubles("mean_score", evaluations.stream().map(e -> e == null ? null : e.meanScore()).toList());
        mean.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
        Table t = Table.create("evaluation on " + file, StringColumn.create("label", labels()),
                StringColumn.create("model", evaluations.stream().map(e -> e == null ? "" : e.model()).toList()),
                correct, examples, mean);
        if (evaluations.contains(null)) t.addColumns(StringColumn.create("note", notes));
        return t;
    }

    /** Why a run has no model to evaluate: {@code "failed: invalid_file: ...; not evaluated"}. */
    private static String withoutModel(Run r) {
        var job = r.job();
        String why = job.status();
        if (job.error() != null && job.error().message() != null) {
            why += ": " + (job.error().code() == null ? "" : job.error().code() + ": ") + job.error().message();
        }
        return why + (job.isTerminal() ? "; no fine-tuned model, not evaluated" : "; no fine-tuned model yet, not evaluated");
    }

    /** Legend labels: what differs in each run's config, else its id. Example: {@code cmp.labels()} → {@code [learning_rate_multiplier=0.5, learning_rate_multiplier=2]}. */
    public List<String> labels() {
        List<Map<String, Object>> configs = configs();
        List<String> keys = differing(configs).stream().filter(k -> !k.equals("suffix") && !k.startsWith("metadata."))
                // runs of other methods than reinforcement have no grader: their method tells them apart already
                .filter(k -> !k.equals("grader") || configs.stream().allMatch(c -> c.get(k) != null)).toList();
        // files only when nothing else tells the runs apart: their ids are long and say little
        List<String> settings = keys.stream().filter(k -> !k.endsWith("_file")).toList();
        if (!settings.isEmpty()) keys = settings;
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Map<String, Object> c = configs.get(i);
            String label = String.join(" ", keys.stream().map(k -> k + "=" + format(c.get(k))).toList());
            labels.add(label.isEmpty() ? runs.get(i).id() : label);
        }
        if (new LinkedHashSet<>(labels).size() < labels.size()) {
            for (int i = 0; i < labels.size(); i++) {
                if (!labels.get(i).equals(runs.get(i).id())) labels.set(i, labels.get(i) + " " + runs.get(i).id());
            }
        }
        return labels;
    }

    @Override
    public Map<String, String> mimeBundle() {
        Table t = table();
        Map<String, String> m = new LinkedHashMap<>();
        // the table alone while no run has a curve to show (all failed, or none has reached its first step)
        String chart = "";
        String metric = defaultMetric();
        if (metric != null) {
            try {
                chart = "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(Charts.png(plot(metric))) + "\"/>";
            } catch (RuntimeException e) {
                // showing the comparison must not fail for its chart: the table is still worth seeing
                chart = "<div>no chart: " + HtmlTable.escape(String.valueOf(e.getMessage())) + "</div>";
            }
        }
        m.put(MimeBundle.HTML, "<div class=\"finetune4j-comparison\">" + HtmlTable.of(t) + chart + "</div>");
        m.put(MimeBundle.TEXT, t.print());
        return m;
    }

    @Override
    public String toString() {
        return "Comparison" + runs.stream().map(r -> r.id() + " " + r.job().status()).toList();
    }

    private List<Map<String, Object>> configs() {
        return runs.stream().map(r -> {
            if (!r.job().isTerminal()) r.refresh();
            return RunConfig.of(r.job()).describe();
        }).toList();
    }

    /** A metadata entry that only repeats a setting shown anyway, as a sweep tags its runs ({@code metadata.batch_size}). */
    private static boolean repeatsSetting(String key, List<String> keys, List<Map<String, Object>> configs) {
        if (!key.startsWith("metadata.")) return false;
        String setting = key.substring("metadata.".length());
        if (!keys.contains(setting)) return false;
        return configs.stream().allMatch(c -> Objects.equals(normal(parsed(c.get(key))), normal(c.get(setting))));
    }

    /** Metadata values are strings: {@code "0.5"} stands for the number. */
    private static Object parsed(Object v) {
        if (v instanceof String str) {
            try {
                return Double.parseDouble(str);
            } catch (NumberFormatException e) {
                return str;
            }
        }
        return v;
    }

    private static List<String> differing(List<Map<String, Object>> configs) {
        Set<String> keys = new LinkedHashSet<>();
        configs.forEach(c -> keys.addAll(c.keySet()));
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            Object first = normal(configs.get(0).get(k));
            if (configs.stream().anyMatch(c -> !Objects.equals(normal(c.get(k)), first))) out.add(k);
        }
        return out;
    }

    /** Numbers compare by value whatever their Java type ({@code 2} and {@code 2.0} are the same setting). */
    private static Object normal(Object v) {
        return v instanceof Number n ? (Object) n.doubleValue() : v;
    }

    /** A setting as a label shows it: {@code 2}, {@code 0.7071}, {@code none}. */
    private static String format(Object v) {
        if (v == null) return "none";
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString(d.longValue());
        if (v instanceof Double || v instanceof Float) return HtmlTable.number(((Number) v).doubleValue());
        return String.valueOf(v);
    }

    private static Double value(Table summary, String column) {
        if (!summary.columnNames().contains(column)) return null;
        DoubleColumn c = summary.doubleColumn(column);
        return c.isMissing(0) ? null : c.get(0);
    }

    /** final_ and best_ columns grouped by metric, metrics in the usual order. */
    private static List<String> orderMetricColumns(Set<String> columns) {
        Set<String> metrics = new LinkedHashSet<>();
        for (String c : columns) metrics.add(c.substring(c.indexOf('_') + 1));
        List<String> out = new ArrayList<>();
        for (String m : Metrics.ordered(metrics)) {
            if (columns.contains("final_" + m)) out.add("final_" + m);
            if (columns.contains("best_" + m)) out.add("best_" + m);
        }
        return out;
    }

    /** Appends {@code b} to {@code a}, adding to each the (missing-valued) columns only the other has. */
    private static Table appendAligned(Table a, Table b) {
        for (Column<?> c : b.columns()) {
            if (!a.columnNames().contains(c.name())) a.addColumns(c.emptyCopy(a.rowCount()).setName(c.name()));
        }
        for (Column<?> c : a.columns()) {
            if (!b.columnNames().contains(c.name())) b.addColumns(c.emptyCopy(b.rowCount()).setName(c.name()));
        }
        return a.append(b.selectColumns(a.columnNames().toArray(String[]::new)));
    }
}
