package dev.finetune4j.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.ChatCompletion;
import dev.finetune4j.api.ChatCompletionTokenLogprob;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.Json;
import dev.finetune4j.client.BadRequestException;
import dev.finetune4j.client.ChatCompletionCreateParams;
import dev.finetune4j.client.OpenAI;
import dev.finetune4j.client.OpenAIException;
import dev.finetune4j.client.UnprocessableEntityException;
import dev.finetune4j.data.DatasetException;
import dev.finetune4j.data.Example;
import dev.finetune4j.data.ExampleReader;
import dev.finetune4j.data.JsonlLines;
import dev.finetune4j.notebook.kernel.HtmlTable;
import dev.finetune4j.notebook.kernel.MimeBundle;
import dev.finetune4j.notebook.kernel.Renderable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * A model's greedy answers to the examples of a JSONL file, each scored: 1 or 0 for an exact match with the
 * example's answer, or the reward of a grader, run by the graders API as a reinforcement job would. Made by
 * {@code run.evaluate("valid.jsonl")} or {@code ft.evaluate(model, "valid.jsonl", grader)}.
 *
 * <p>The question is the example's messages up to its last assistant message, whose text is the expected answer
 * (a preference example: its input and preferred output; a prompt/completion line: the prompt as the user's
 * message and the completion; a reinforcement example: all its messages, with no
 * expected answer, so it needs a grader, which reads the example's fields as {@code item}). The file is read as it
 * is asked, a few requests at a time.
 */
public final class Evaluation implements Renderable {
    /** Requests in flight at once: a provider answers them in parallel; the local server one after another. */
    static final int PARALLEL_REQUESTS = 4;
    /** How the error column starts for an answer the python grader failed on. */
    private static final String PYTHON_ERROR = "python_grader_runtime_error";

    /**
     * One example: its line in the file, the last message of the question (usually the user's), the expected answer
     * (null without one), the model's answer, its score, the answer's log-probability under the model, the sum
     * over its tokens (null when the service gives none), and what went wrong (null when nothing did): why the
     * service refused the question (the answer is then empty), or the error of a python grader's code on this
     * answer; the score is then 0.
     */
    public record Row(long line, String question, String expected, String answer, double score, Double logprob, String error) {}

    private final String model;
    private final Path source;
    private final String file;
    private final String scoring;
    private final List<Row> rows;

    private Evaluation(String model, Path source, String scoring, List<Row> rows) {
        this.model = model;
        this.source = source.toAbsolutePath().normalize();
        this.file = source.getFileName().toString();
        this.scoring = scoring;
        this.rows = List.copyOf(rows);
    }

    /** The model that answered. Example: {@code eval.model()}. */
    public String model() {
        return model;
    }

    /** One row per example, in file order. Example: {@code eval.rows().get(0).answer()}. */
    public List<Row> rows() {
        return rows;
    }

    /** The number of examples. Example: {@code eval.size()}. */
    public int size() {
        return rows.size();
    }

    /** The mean score: for exact matching, the share of right answers. Example: {@code eval.meanScore()}. */
    public double meanScore() {
        return rows.stream().mapToDouble(Row::score).average().orElse(Double.NaN);
    }

    /** Answers with full marks (score 1 or more): for exact matching, the right ones. Example: {@code eval.correct()}. */
    public int correct() {
        return (int) rows.stream().filter(r -> r.score() >= 1).count();
    }

    /**
     * The rows as a table: {@code line}, {@code question}, {@code expected}, {@code answer}, {@code score} and
     * {@code logprob} (missing where the service gave none). Example: {@code eval.table().sortOn("logprob")}.
     */
    public Table table() {
        return table(rows, model + " on " + file);
    }

    /**
     * The questions the service refused to answer (too long for the model, for instance) and the answers a python
     * grader failed on, with the reason. Example: {@code eval.errors()}.
     */
    public Table errors() {
        return table(rows.stream().filter(r -> r.error() != null).toList(), model + " on " + file + ": errors");
    }

    /** The rows without full marks. Example: {@code eval.mistakes()}. */
    public Table mistakes() {
        return table(rows.stream().filter(r -> r.score() < 1).toList(), model + " on " + file + ": mistakes");
    }

    private static Table table(List<Row> rows, String name) {
        IntColumn line = IntColumn.create("line");
        StringColumn question = StringColumn.create("question");
        StringColumn expected = StringColumn.create("expected");
        StringColumn answer = StringColumn.create("answer");
        DoubleColumn score = DoubleColumn.create("score");
        DoubleColumn logprob = DoubleColumn.create("logprob");
        StringColumn error = StringColumn.create("error");
        for (Row r : rows) {
            line.append(Math.toIntExact(r.line()));
            question.append(r.question());
            expected.append(r.expected() == null ? "" : r.expected());
            answer.append(r.answer());
            score.append(r.score());
            if (r.logprob() == null) logprob.appendMissing();
            else logprob.append(r.logprob());
            error.append(r.error() == null ? "" : r.error());
        }
        score.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
        logprob.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
        for (StringColumn text : List.of(question, expected, answer, error)) text.setPrintFormatter(Tables.oneLine());
        return Table.create(name, line, question, expected, answer, score, logprob, error);
    }

    /**
     * How sure the model was of its right and of its wrong answers: the answers counted by their probability under
     * the model ({@code exp(logprob)}), in ten bins, right ones and others stacked. Example: {@code eval.plot()}.
     */
    public CategoryChart plot() {
        if (rows.stream().anyMatch(r -> r.logprob() == null && r.error() == null)) {
            throw new IllegalStateException(model + " gave no log-probabilities, so there is nothing to plot");
        }
        List<String> bins = new ArrayList<>();
        List<Integer> full = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            bins.add(b * 10 + "-" + (b + 1) * 10 + "%");
            full.add(0);
            other.add(0);
        }
        for (Row r : rows) {
            if (r.error() != null) continue;
            int b = Math.min(9, (int) (Math.exp(r.logprob()) * 10));
            List<Integer> series = r.score() >= 1 ? full : other;
            series.set(b, series.get(b) + 1);
        }
        CategoryChart chart = new CategoryChartBuilder().width(Plot.WIDTH).height(Plot.HEIGHT)
                .title(model + " on " + file).xAxisTitle("probability of the answer under the model")
                .yAxisTitle("answers").build();
        chart.getStyler().setStacked(true);
        // counts are whole: no labels between them
        chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> v == Math.rint(v) ? String.valueOf(v.longValue()) : "");
        boolean exact = scoring.equals(EXACT);
        boolean anyFull = full.stream().anyMatch(n -> n > 0);
        boolean anyOther = other.stream().anyMatch(n -> n > 0);
        // a series with nothing in it would only add a legend entry
        if (anyFull) chart.addSeries(exact ? "right" : "full marks", bins, full);
        if (anyOther || !anyFull) chart.addSeries(exact ? "wrong" : "less", bins, other);
        return chart;
    }

    /**
     * The answers of several evaluations of the same file side by side, a column per model. Example:
     * {@code Evaluation.sideBySide(sft.evaluate(f), dpo.evaluate(f))}.
     */
    public static Table sideBySide(Evaluation... evaluations) {
        if (evaluations.length == 0) throw new IllegalArgumentException("no evaluations to compare");
        Evaluation first = evaluations[0];
        Table t = Table.create("answers",
                IntColumn.create("line", first.rows.stream().mapToInt(r -> Math.toIntExact(r.line())).toArray()),
                StringColumn.create("question", first.rows.stream().map(Row::question).toList()),
                StringColumn.create("expected", first.rows.stream().map(r -> r.expected() == null ? "" : r.expected()).toList()));
        for (Evaluation e : evaluations) {
            if (!e.source.equals(first.source) || !e.rows.stream().map(Row::question).toList()
                    .equals(first.rows.stream().map(Row::question).toList())) {
                throw new IllegalArgumentException("side by side needs evaluations of the same file: " + first.model
                        + " answered " + first.source + ", " + e.model + " " + e.source
                        + (e.source.equals(first.source) ? " (which changed in between)" : ""));
            }
            String name = e.model;
            for (int k = 2; t.columnNames().contains(name); k++) name = e.model + " (" + k + ")";
            // a refused question shows why, so that it does not read as a model that answered nothing
            t.addColumns(StringColumn.create(name, e.rows.stream().map(r -> r.answer().isEmpty() && r.error() != null
                    ? "(no answer: " + r.error() + ")" : r.answer()).toList()));
        }
        for (Column<?> c : t.columns()) {
            if (c instanceof StringColumn text) text.setPrintFormatter(Tables.oneLine());
        }
        return t;
    }

    /** {@code ft:nano:local::abc on valid.jsonl: 21 of 24 right (exact match), mean score 0.875}. */
    @Override
    public String toString() {
        String verdict = scoring.equals(EXACT) ? "right" : "with full marks";
        long failed = rows.stream().filter(r -> r.error() != null && r.error().startsWith(PYTHON_ERROR)).count();
        long refused = rows.stream().filter(r -> r.error() != null).count() - failed;
        return String.format(Locale.ROOT, "%s on %s: %d of %d %s (%s), mean score %.3f%s%s", model, file, correct(),
                size(), verdict, scoring, meanScore(),
                refused == 0 ? "" : "; " + refused + " question" + (refused == 1 ? "" : "s")
                        + " refused by the service, scored 0 (errors() lists them)",
                failed == 0 ? "" : "; " + failed + " answer" + (failed == 1 ? "" : "s") + " the python grader failed"
                        + " on, scored 0 (errors() lists them)");
    }

    @Override
    public Map<String, String> mimeBundle() {
        Table t = table();
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MimeBundle.HTML, "<div class=\"finetune4j-evaluation\"><p>" + HtmlTable.escape(toString()) + "</p>"
                + HtmlTable.of(t) + "</div>");
        m.put(MimeBundle.TEXT, toString() + "\n" + t.print(HtmlTable.MAX_ROWS));
        return m;
    }

    private static final String EXACT = "exact match";

    /** Asks {@code model} every example of {@code file} and scores the answers; {@code grader} null: exact match. */
    static Evaluation run(OpenAI client, String model, Path file, Map<String, ?> grader, PrintStream out) {
        Object name = grader == null ? null : grader.get("name") != null ? grader.get("name") : grader.get("type");
        String scoring = grader == null ? EXACT : "grader " + name;
        String label = "evaluating " + model;
        List<Row> rows = new ArrayList<>();
        Asker asker = new Asker(client, model, grader);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_REQUESTS, r -> {
            Thread t = new Thread(r, "finetune4j-evaluation");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        try (ExampleReader reader = ExampleReader.open(file); Progress progress = Progress.open(out)) {
            int total = countExamples(file);
            Deque<Future<Row>> inFlight = new ArrayDeque<>();
            double sum = 0;
            for (Example e : reader) {
                Question q = Question.of(e, grader != null);
                inFlight.add(pool.submit(() -> asker.ask(q)));
                if (inFlight.size() < 2 * PARALLEL_REQUESTS) continue;
                sum += collect(inFlight.poll(), rows);
                progress.update(snapshot(label, rows.size(), total, sum, started));
            }
            while (!inFlight.isEmpty()) {
                sum += collect(inFlight.poll(), rows);
                progress.update(snapshot(label, rows.size(), total, sum, started));
            }
            progress.update(snapshot("evaluated " + model, rows.size(), rows.size(), sum, started));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        return new Evaluation(model, file, scoring, rows);
    }

    private static double collect(Future<Row> next, List<Row> rows) {
        try {
            Row r = next.get();
            rows.add(r);
            return r.score();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EvaluationStopped stopped) throw stopped;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the evaluation was interrupted");
        }
    }

    private static Progress.Snapshot snapshot(String label, int done, int total, double sum, long started) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Duration eta = done == 0 ? null : elapsed.multipliedBy(Math.max(0, total - done)).dividedBy(done);
        return new Progress.Snapshot(label, done < total ? "running" : "done", done, total,
                done == 0 ? null : sum / done, null, eta, Progress.Kind.SCORES);
    }

    /** The examples the progress counts to: non-blank lines, by the validator's line rule. */
    private static int countExamples(Path file) throws IOException {
        int n = 0;
        try (JsonlLines lines = JsonlLines.open(file)) {
            while (lines.next()) {
                if (!lines.isBlank()) n++;
            }
        }
        return n;
    }

    /**
     * What one example asks: its messages without training-only fields, its expected answer and what a grader reads
     * as {@code item} (the example without {@code messages} and {@code tools}, as in a reinforcement job).
     */
    record Question(long line, ArrayNode messages, String expected, JsonNode item) {
        static Question of(Example e, boolean graded) {
            JsonNode json = e.json();
            long line = e.line();
            if (!json.isObject()) throw new DatasetException(line, "Line " + line + ": an example must be a JSON object", null);
            JsonNode messages;
            String expected = null;
            if (json.has("input")) {
                messages = json.path("input").path("messages");
                expected = text(json.path("preferred_output").path(0).path("content"));
            } else if (!json.has("messages") && json.path("prompt").isTextual() && json.path("completion").isTextual()) {
                // the legacy format of babbage-002 and davinci-002, which train on the prompt as the user's message
                messages = Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                        .put("role", "user").put("content", json.path("prompt").asText()));
                expected = json.path("completion").asText();
            } else {
                messages = json.path("messages");
                int last = -1;
                for (int i = 0; i < messages.size(); i++) {
                    if ("assistant".equals(messages.get(i).path("role").asText())) last = i;
                }
                if (last >= 0) {
                    expected = text(messages.get(last).path("content"));
                    ArrayNode before = Json.MAPPER.createArrayNode();
                    for (int i = 0; i < last; i++) before.add(messages.get(i));
                    messages = before;
                }
            }
            if (!messages.isArray() || messages.isEmpty()) {
                String legacy = json.has("prompt") || json.has("completion") ? "; it is in the legacy prompt/completion"
                        + " format, which ChatConverter.columns().user(\"prompt\").assistant(\"completion\").writeJsonl(in, out)"
                        + " converts" : "";
                throw new DatasetException(line, "Line " + line + ": the example has no messages to ask" + legacy, null);
            }
            if (expected == null && !graded) {
                throw new DatasetException(line, "Line " + line + ": the example has no assistant answer to compare"
                        + " with; evaluate it with a grader, e.g. run.evaluate(file, grader)", null);
            }
            ArrayNode clean = Json.MAPPER.createArrayNode();
            for (JsonNode m : messages) {
                ObjectNode copy = m.deepCopy();
                copy.remove("weight");
                clean.add(copy);
            }
            return new Question(line, clean, expected, e.item());
        }

        /** The text of the last message: what the table shows as the question. */
        String question() {
            return text(messages.get(messages.size() - 1).path("content"));
        }
    }

    /** A message's content as text: a string, or the text of its parts. */
    private static String text(JsonNode content) {
        if (content.isTextual()) return content.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) sb.append(part.path("text").asText());
        return content.isArray() ? sb.toString() : null;
    }

    /** An error that ends the whole evaluation (the service unreachable, the key refused), with the line it stopped at. */
    static final class EvaluationStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EvaluationStopped(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Asks the model and scores the answer; asks without log-probabilities once the service refuses them. */
    private static final class Asker {
        private final OpenAI client;
        private final String model;
        private final Map<String, ?> grader;
        private volatile boolean logprobs = true;

        Asker(OpenAI client, String model, Map<String, ?> grader) {
            this.client = client;
            this.model = model;
            this.grader = grader;
        }

        Row ask(Question q) {
            ChatCompletion c;
            try {
                c = complete(q);
            } catch (BadRequestException | UnprocessableEntityException e) {
                // this question only (too long for the model, filtered): the others may still be answered
                String why = e.code() == null ? e.errorMessage() : e.code() + ": " + e.errorMessage();
                return new Row(q.line(), q.question(), q.expected(), "", 0, null, why);
            } catch (OpenAIException e) {
                throw new EvaluationStopped("the evaluation of " + model + " stopped at line " + q.line() + ": " + e.getMessage(), e);
            }
            if (c.text() == null) {
                // a refusal or a content filter: this question only, listed with the refused ones
                return new Row(q.line(), q.question(), q.expected(), "", 0, null, c.noTextReason());
            }
            String answer = c.text();
            if (grader == null) {
                double score = answer.strip().equals(q.expected().strip()) ? 1 : 0;
                return new Row(q.line(), q.question(), q.expected(), answer, score, logprob(c), null);
            }
            GraderRunResponse r = client.fineTuning().alpha().graders().run(grader, answer, q.item());
            String pythonError = pythonError(r);
            if (pythonError != null) {
                // this answer only (the grader's code failed on it): the others may still be scored
                return new Row(q.line(), q.question(), q.expected(), answer, 0, logprob(c), pythonError);
            }
            return new Row(q.line(), q.question(), q.expected(), answer, reward(r, q), logprob(c), null);
        }

        private ChatCompletion complete(Question q) {
            try {
                return client.chat().completions().create(params(q, logprobs));
            } catch (BadRequestException e) {
                // some models (reasoning ones) refuse log-probabilities: ask them without
                if (!logprobs || !(e.param() + " " + e.errorMessage()).contains("logprobs")) throw e;
                logprobs = false;
                return client.chat().completions().create(params(q, false));
            }
        }

        /** The error of a python grader's code on this answer (an exception, a timeout), or null. */
        private static String pythonError(GraderRunResponse r) {
            GraderRunResponse.Errors e = r.metadata() == null ? null : r.metadata().errors();
            if (e == null || !e.pythonGraderRuntimeError()) return null;
            String details = e.pythonGraderRuntimeErrorDetails();
            return PYTHON_ERROR + ": " + (details == null ? "(no details)" : details.strip());
        }

        /**
         * The grader's reward; an error of the grader itself (a template naming a field the example lacks, a formula
         * error, python missing on the server) stops the evaluation, since it would score every answer 0.
         */
        private double reward(GraderRunResponse r, Question q) {
            GraderRunResponse.Errors e = r.metadata() == null ? null : r.metadata().errors();
            if (e != null) {
                List<String> failed = new ArrayList<>();
                if (e.invalidVariableError()) failed.add("invalid_variable_error (a template names a field the sample or the item lacks)");
                if (e.formulaParseError()) failed.add("formula_parse_error");
                if (e.pythonGraderServerError()) failed.add("python_grader_server_error " + e.pythonGraderServerErrorType());
                if (e.modelGraderServerError()) failed.add("model_grader_server_error " + e.modelGraderServerErrorDetails());
                if (e.otherError()) failed.add("other_error");
                if (!failed.isEmpty()) {
                    throw new IllegalArgumentException("the grader could not score line " + q.line() + ": "
                            + String.join(", ", failed));
                }
            }
            return r.reward();
        }

        private ChatCompletionCreateParams params(Question q, boolean withLogprobs) {
            ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder().model(model)
                    .messages(toList(q.messages())).temperature(0);
            return withLogprobs ? b.logprobs(true).build() : b.build();
        }

        private static List<JsonNode> toList(ArrayNode a) {
            List<JsonNode> out = new ArrayList<>(a.size());
            a.forEach(out::add);
            return out;
        }

        private static Double logprob(ChatCompletion c) {
            if (c.choices().isEmpty() || c.choices().get(0).logprobs() == null) return null;
            List<ChatCompletionTokenLogprob> tokens = c.choices().get(0).logprobs().content();
            return tokens == null ? null : tokens.stream().mapToDouble(ChatCompletionTokenLogprob::logprob).sum();
        }
    }
}
