package dev.finetune4j.data;

import dev.finetune4j.api.JobError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a {@link DatasetValidator} found: counts per category, the first problems in full, the detected format
 * and size statistics. {@code toString()} is a short summary for JShell; {@link #problemsTable()} and
 * {@link #toHtml()} are for notebooks.
 */
public final class ValidationReport {
    private final Method format;
    /** A supervised file in the legacy prompt/completion format (babbage-002, davinci-002). */
    private final boolean promptCompletion;
    private final long examples;
    private final long lines;
    private final long bytes;
    private final long nanos;
    private final Map<Category, Long> counts;
    private final Map<Severity, Long> bySeverity;
    private final List<Problem> problems;
    private final Problem firstError;
    private final DatasetStats stats;

    private ValidationReport(Builder b, Method format, boolean promptCompletion, long examples, long lines, long bytes,
                             DatasetStats stats, long nanos) {
        this.format = format;
        this.promptCompletion = promptCompletion;
        this.examples = examples;
        this.lines = lines;
        this.bytes = bytes;
        this.nanos = nanos;
        this.counts = Collections.unmodifiableMap(new EnumMap<>(b.counts));
        this.bySeverity = Collections.unmodifiableMap(new EnumMap<>(b.bySeverity));
        this.problems = List.copyOf(b.problems);
        this.firstError = b.firstError;
        this.stats = stats;
    }

    /** True when no problem has severity ERROR (warnings such as duplicates do not count). */
    public boolean ok() {
        return firstError == null;
    }

    /**
     * The format the file was checked as: the forced method, or the one most of the first 15 examples have (null if
     * none).
     */
    public Method format() {
        return format;
    }

    /**
     * Whether the file was checked as a supervised file in the legacy prompt/completion format (babbage-002,
     * davinci-002). Example: {@code DatasetValidator.forMethod(Method.SUPERVISED).model("davinci-002").validate(p).promptCompletion()}.
     */
    public boolean promptCompletion() {
        return promptCompletion;
    }

    /** Lines that hold a JSON object (valid or not by the format's rules). */
    public long examples() {
        return examples;
    }

    /** Lines read. */
    public long lines() {
        return lines;
    }

    /** Bytes read. */
    public long bytes() {
        return bytes;
    }

    /** Time taken by the validation in milliseconds. */
    public long millis() {
        return nanos / 1_000_000;
    }

    /** Number of problems per category (only categories that occurred). */
    public Map<Category, Long> counts() {
        return counts;
    }

    /** Number of problems of one category. */
    public long count(Category category) {
        return counts.getOrDefault(category, 0L);
    }

    /** Number of problems that make the file unusable. */
    public long errorCount() {
        return bySeverity.getOrDefault(Severity.ERROR, 0L);
    }

    /** Number of warnings. */
    public long warningCount() {
        return bySeverity.getOrDefault(Severity.WARNING, 0L);
    }

    /** The first problems in file order (file-level ones last), up to the validator's {@code maxProblems}. */
    public List<Problem> problems() {
        return problems;
    }

    /** The first problem of severity ERROR, if any. */
    public Optional<Problem> firstError() {
        return Optional.ofNullable(firstError);
    }

    /**
     * The first error as a fine-tuning job's {@code error}: code {@code invalid_<param>}, the problem's message,
     * and {@code param} (e.g. {@code "training_file"}). Empty when the file is ok.
     * Example: {@code report.jobError("training_file").orElseThrow().message()}.
     */
    public Optional<JobError> jobError(String param) {
        return firstError().map(p -> new JobError("invalid_" + param, p.message(), param));
    }

    /** Size statistics (token figures only when tokens were counted). */
    public DatasetStats stats() {
        return stats;
    }

    /** The cookbook's epochs/tokens estimate for this file. Requires token counting. */
    public TrainingEstimate estimate() {
        return TrainingEstimate.of(stats);
    }

    /** Tablesaw table of the kept problems: line (missing for the whole file's), path, category, severity, message, hint. */
    public Table problemsTable() {
        LongColumn line = LongColumn.create("line");
        StringColumn path = StringColumn.create("path");
        StringColumn category = StringColumn.create("category");
        StringColumn severity = StringColumn.create("severity");
        StringColumn message = StringColumn.create("message");
        StringColumn hint = StringColumn.create("hint");
        for (Problem p : problems) {
            if (p.line() > 0) line.append(p.line());
            else line.appendMissing(); // a problem of the whole file (too few examples) has no line
            path.append(p.path());
            category.append(p.category().code());
            severity.append(p.severity().name().toLowerCase());
            message.append(p.message());
            hint.append(p.hint());
        }
        return Table.create("problems", line, path, category, severity, message, hint);
    }

    /** Tablesaw table of counts per category. */
    public Table countsTable() {
        StringColumn category = StringColumn.create("category");
        StringColumn severity = StringColumn.create("severity");
        LongColumn count = LongColumn.create("count");
        for (Map.Entry<Category, Long> e : counts.entrySet()) {
            category.append(e.getKey().code());
            severity.append(firstSeverity(e.getKey()));
            count.append(e.getValue());
        }
        return Table.create("problems per category", category, severity, count);
    }

    private String firstSeverity(Category c) {
        for (Problem p : problems) {
            if (p.category() == c) {
                return p.severity().name().toLowerCase();
            }
        }
        return c.defaultSeverity().name().toLowerCase();
    }

    /** One-line verdict, e.g. {@code OK: 120 supervised examples, 2 warnings}. */
    public String summary() {
        String kind = format == null ? "" : promptCompletion ? "prompt/completion " : format.wireName() + " ";
        String what = examples + " " + kind + (examples == 1 ? "example" : "examples");
        String warn = warningCount() == 0 ? "" : ", " + warningCount() + (warningCount() == 1 ? " warning" : " warnings");
        return ok() ? "OK: " + what + warn
                : "INVALID: " + errorCount() + (errorCount() == 1 ? " error" : " errors") + warn + " in " + what;
    }

    @Override
    public String toString() {
        return toString(10, "see problems() or problemsTable()");
    }

    /**
     * The text form with up to {@code shown} of the kept problems, and {@code seeMore} in the line that counts the
     * others. Example: {@code report.toString(50, "see problemsTable()")}.
     */
    public String toString(int shown, String seeMore) {
        StringBuilder s = new StringBuilder(summary());
        if (!counts.isEmpty()) {
            s.append("\n  by category:");
            counts.forEach((c, n) -> s.append(' ').append(c.code()).append('=').append(n));
        }
        shown = Math.max(0, Math.min(shown, problems.size()));
        for (int i = 0; i < shown; i++) {
            Problem p = problems.get(i);
            s.append("\n  ").append(p.severity() == Severity.ERROR ? "error  " : "warning").append(' ').append(p.message())
                    .append("\n          fix: ").append(p.hint());
        }
        long total = errorCount() + warningCount();
        if (total > shown) {
            s.append("\n  ... ").append(total - shown).append(" more (").append(seeMore).append(')');
        }
        if (stats.examples() > 0) {
            s.append("\n  ").append(stats.toString().replace("\n", "\n  "));
        }
        return s.toString();
    }

    /** HTML summary and problem table for notebooks. */
    public String toHtml() {
        StringBuilder h = new StringBuilder("<div class=\"finetune4j-report\">");
        h.append("<p><b style=\"color:").append(ok() ? "#2a7d2a" : "#b00020").append("\">").append(escape(summary())).append("</b></p>");
        if (!problems.isEmpty()) {
            h.append("<table><thead><tr><th>line</th><th>path</th><th>category</th><th>severity</th><th>message</th><th>fix</th></tr></thead><tbody>");
            for (Problem p : problems) {
                // a problem of the whole file (too few examples, an empty file) has no line to show
                h.append("<tr><td>").append(p.line() > 0 ? String.valueOf(p.line()) : "").append("</td><td><code>").append(escape(p.path())).append("</code></td><td>")
                        .append(p.category().code()).append("</td><td>").append(p.severity().name().toLowerCase()).append("</td><td>")
                        .append(escape(p.message())).append("</td><td>").append(escape(p.hint())).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        if (stats.examples() > 0) {
            // the statistics the text form shows too, one line each
            h.append("<pre>").append(escape(stats.toString())).append("</pre>");
        }
        return h.append("</div>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Collects problems during a validation. */
    static final class Builder {
        private final int maxProblems;
        private final Map<Category, Long> counts = new EnumMap<>(Category.class);
        private final Map<Severity, Long> bySeverity = new EnumMap<>(Severity.class);
        private final List<Problem> problems = new ArrayList<>();
        private Problem firstError;

        Builder(int maxProblems) {
            this.maxProblems = maxProblems;
        }

        void add(Problem p) {
            counts.merge(p.category(), 1L, Long::sum);
            bySeverity.merge(p.severity(), 1L, Long::sum);
            if (firstError == null && p.isError()) {
                firstError = p;
            }
            if (problems.size() < maxProblems) {
                problems.add(p);
            }
        }

        /** Adds counts of problems kept (or not) elsewhere. */
        void count(Category category, Severity severity, long n) {
            counts.merge(category, n, Long::sum);
            bySeverity.merge(severity, n, Long::sum);
        }

        /** Keeps a problem already counted, if there is room. */
        void keep(Problem p) {
            if (problems.size() < maxProblems) {
                problems.add(p);
            }
        }

        boolean full() {
            return problems.size() >= maxProblems;
        }

        /** Records the first error, when none was seen before. */
        void firstError(Problem p) {
            if (firstError == null && p != null && p.isError()) {
                firstError = p;
            }
        }

        ValidationReport build(Method format, boolean promptCompletion, long examples, long lines, long bytes,
                               DatasetStats stats, long nanos) {
            return new ValidationReport(this, format, promptCompletion, examples, lines, bytes, stats, nanos);
        }
    }
}
