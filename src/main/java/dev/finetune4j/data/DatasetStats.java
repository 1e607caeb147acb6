package dev.finetune4j.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Size statistics of a dataset, gathered while it is validated: messages, tokens and trained (assistant) tokens
 * per example, tokens per role, as Tablesaw tables ({@code Charts.histogram} draws a measure's bins).
 * Example: {@code report.stats().table()} or {@code report.stats().bins(DatasetStats.Metric.TOKENS, 20)}.
 */
public final class DatasetStats {

    /** A per-example measure. */
    public enum Metric {
        MESSAGES("messages per example"),
        TOKENS("tokens per example"),
        ASSISTANT_TOKENS("assistant tokens per example");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final IntDistribution messages = new IntDistribution();
    private final IntDistribution tokens = new IntDistribution();
    private final IntDistribution assistantTokens = new IntDistribution();
    private final Map<String, long[]> roles = new LinkedHashMap<>();
    private final String tokenizer;
    private final int tokenLimit;
    private final boolean tokensCounted;
    private final boolean promptCompletion;
    private long examplesWithImages;

    DatasetStats(String tokenizer, int tokenLimit, boolean tokensCounted, boolean promptCompletion) {
        this.tokenizer = tokenizer;
        this.tokenLimit = tokenLimit;
        this.tokensCounted = tokensCounted;
        this.promptCompletion = promptCompletion;
    }

    void addExample(int messageCount) {
        messages.add(messageCount);
    }

    void addExampleWithImages() {
        examplesWithImages++;
    }

    void addTokens(int exampleTokens, int trainedTokens) {
        tokens.add(exampleTokens);
        assistantTokens.add(trainedTokens);
    }

    void addRole(String role, int messageTokens) {
        long[] r = roles.computeIfAbsent(role == null ? "(none)" : role, k -> new long[2]);
        r[0]++;
        r[1] += messageTokens;
    }

    /** Adds another part's figures (chunks of one file are measured apart, then merged in order). */
    void merge(DatasetStats other) {
        messages.merge(other.messages);
        tokens.merge(other.tokens);
        assistantTokens.merge(other.assistantTokens);
        examplesWithImages += other.examplesWithImages;
        other.roles.forEach((k, v) -> {
            long[] r = roles.computeIfAbsent(k, x -> new long[2]);
            r[0] += v[0];
            r[1] += v[1];
        });
    }

    /** The distribution of one measure. */
    public IntDistribution distribution(Metric metric) {
        return switch (metric) {
            case MESSAGES -> messages;
            case TOKENS -> tokens;
            case ASSISTANT_TOKENS -> assistantTokens;
        };
    }

    /**
     * The measure's name for this dataset: a legacy prompt/completion example has no messages, and its trained
     * tokens are the completion's. Example: {@code stats.label(Metric.ASSISTANT_TOKENS)}.
     */
    public String label(Metric metric) {
        return promptCompletion && metric == Metric.ASSISTANT_TOKENS ? "completion tokens per example" : metric.label();
    }

    /**
     * Examples with image parts, whose images count no tokens here (OpenAI bills an image by its size and detail):
     * token figures and estimates cover their text only. Example: {@code report.stats().examplesWithImages()}.
     */
    public long examplesWithImages() {
        return examplesWithImages;
    }

    /** Whether token figures are available (the validator counted tokens). */
    public boolean tokensCounted() {
        return tokensCounted;
    }

    /** Name of the tokenizer used, e.g. {@code o200k_base}. */
    public String tokenizer() {
        return tokenizer;
    }

    /** Per-example token limit applied. */
    public int tokenLimit() {
        return tokenLimit;
    }

    /** Number of examples measured. */
    public long examples() {
        return messages.count();
    }

    /** Examples longer than the token limit. */
    public long examplesOverLimit() {
        return tokens.count() - tokens.countBetween(0, (long) tokenLimit + 1);
    }

    /** Tokens billed per epoch as the cookbook counts them: each example's tokens, capped at the token limit. */
    public long billingTokensPerEpoch() {
        return tokens.sumCappedAt(tokenLimit);
    }

    /** Total tokens per role: role, messages, tokens. */
    public Map<String, long[]> roleTotals() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        roles.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Tablesaw table: one row per measure with min, p5, p50, mean, p95, max (token rows only when counted). */
    public Table table() {
        List<Metric> metrics = new ArrayList<>();
        if (!promptCompletion) metrics.add(Metric.MESSAGES);
        if (tokensCounted) {
            metrics.add(Metric.TOKENS);
            metrics.add(Metric.ASSISTANT_TOKENS);
        }
        StringColumn name = StringColumn.create("metric");
        LongColumn min = LongColumn.create("min");
        DoubleColumn p5 = DoubleColumn.create("p5");
        DoubleColumn p50 = DoubleColumn.create("p50");
        DoubleColumn mean = DoubleColumn.create("mean");
        DoubleColumn p95 = DoubleColumn.create("p95");
        LongColumn max = LongColumn.create("max");
        LongColumn total = LongColumn.create("total");
        for (Metric m : metrics) {
            IntDistribution d = distribution(m);
            name.append(label(m));
            min.append(d.min());
            p5.append(d.percentile(0.05));
            p50.append(d.percentile(0.5));
            mean.append(d.mean());
            p95.append(d.percentile(0.95));
            max.append(d.max());
            total.append(d.sum());
        }
        for (DoubleColumn c : List.of(p5, p50, mean, p95)) {
            c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(1));
        }
        return Table.create("dataset stats (" + examples() + " examples" + (tokensCounted ? ", " + tokenizer : "") + ")",
                name, min, p5, p50, mean, p95, max, total);
    }

    /**
     * Tablesaw table of tokens per role: role, messages, tokens, share of all tokens. A message's tokens include its
     * role and markers, so a role's tokens exceed its text's (the assistant's trained tokens in {@link #table()} are
     * its text only); the tokens of no message (the reply's priming, tool definitions) make a last row, {@code (other)},
     * so that the rows add up to the examples' tokens. Example: {@code report.stats().rolesTable()}.
     */
    public Table rolesTable() {
        StringColumn role = StringColumn.create("role");
        LongColumn count = LongColumn.create("messages");
        LongColumn tok = LongColumn.create("tokens");
        DoubleColumn share = DoubleColumn.create("share");
        long inMessages = roles.values().stream().mapToLong(v -> v[1]).sum();
        long other = tokensCounted ? Math.max(0, tokens.sum() - inMessages) : 0;
        long all = inMessages + other;
        roles.forEach((k, v) -> {
            role.append(k);
            count.append(v[0]);
            tok.append(v[1]);
            share.append(all == 0 ? 0 : (double) v[1] / all);
        });
        if (other > 0) {
            role.append("(other)");
            count.appendMissing();
            tok.append(other);
            share.append((double) other / all);
        }
        share.setPrintFormatter(NumberColumnFormatter.percent(1));
        return Table.create("tokens per role (with each message's role and markers)", role, count, tok, share);
    }

    /**
     * A measure counted in about {@code bins} equal-width bins: a row per bin with its {@code bin} label, its first and
     * last value ({@code from}, {@code to}) and its number of {@code examples}; {@code Charts.histogram} draws it.
     * Example: {@code stats.bins(Metric.TOKENS, 20)}.
     */
    public Table bins(Metric metric, int bins) {
        IntDistribution d = distribution(metric);
        long lo = d.min();
        long hi = d.max();
        long width = Math.max(1, (long) Math.ceil((hi - lo + 1) / (double) Math.max(1, bins)));
        StringColumn label = StringColumn.create("bin");
        LongColumn from = LongColumn.create("from");
        LongColumn to = LongColumn.create("to");
        LongColumn examples = LongColumn.create("examples");
        for (long first = lo; first <= hi; first += width) {
            long last = first + width - 1;
            label.append(width == 1 ? Long.toString(first) : first + "-" + last);
            from.append(first);
            to.append(last);
            examples.append(d.countBetween(first, last + 1));
        }
        if (label.isEmpty()) {
            label.append("0");
            from.append(0);
            to.append(0);
            examples.append(0);
        }
        return Table.create(label(metric), label, from, to, examples);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (!promptCompletion) s.append("messages/example: ").append(messages).append('\n');
        if (tokensCounted) {
            s.append("tokens/example (").append(tokenizer).append("): ").append(tokens);
            s.append(promptCompletion ? "\ncompletion tokens/example: " : "\nassistant tokens/example: ")
                    .append(assistantTokens);
            s.append("\nover the ").append(tokenLimit).append("-token limit: ").append(examplesOverLimit());
            if (examplesWithImages > 0) {
                s.append("\nimage tokens are not counted: ").append(examplesWithImages)
                        .append(examplesWithImages == 1 ? " example has" : " examples have")
                        .append(" images, so token figures and estimates cover their text only");
            }
        }
        return s.toString().strip();
    }
}
