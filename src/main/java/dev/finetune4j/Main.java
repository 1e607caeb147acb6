package dev.finetune4j;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.Json;
import dev.finetune4j.data.ChatConverter;
import dev.finetune4j.data.DatasetCleaner;
import dev.finetune4j.data.DatasetException;
import dev.finetune4j.data.DatasetSplit;
import dev.finetune4j.data.DatasetStats;
import dev.finetune4j.data.DatasetValidator;
import dev.finetune4j.data.IntDistribution;
import dev.finetune4j.data.Method;
import dev.finetune4j.data.ModelLimits;
import dev.finetune4j.data.Problem;
import dev.finetune4j.data.TrainingEstimate;
import dev.finetune4j.data.ValidationReport;
import dev.finetune4j.server.ServerMain;
import dev.finetune4j.train.GptConfig;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The runnable jar's command line: {@code java -jar finetune4j-all.jar validate train.jsonl --model gpt-4.1-mini}
 * checks a training file before an upload (in CI, for instance: the exit status says whether it has errors),
 * {@code clean IN OUT} writes the lines that can train to another file, {@code split} and {@code convert} prepare
 * files, and {@code serve} runs the local server.
 * Notebooks and JShell use the facade instead.
 */
public final class Main {
    /** Exit status of a file with errors; usage and unreadable files give {@link #USAGE}. */
    static final int INVALID = 1;
    static final int USAGE = 2;
    /** The validation ran out of memory: says nothing of the file, so it must not look like {@link #INVALID}. */
    static final int OUT_OF_MEMORY = 3;

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("serve")) {
            ServerMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int status = run(args, System.out, System.err);
        if (status != 0) System.exit(status);
    }

    /** Runs a command other than {@code serve}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("-h") || args[0].equals("--help")) {
            out.print(USAGE_TEXT);
            return args.length == 0 ? USAGE : 0;
        }
        String command = args[0];
        if (!List.of("validate", "clean", "split", "convert").contains(command)) {
            err.println("unknown command '" + command + "'");
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            if (command.equals("split")) return split(rest, out, err);
            if (command.equals("convert")) return convert(rest, out, err);
            Options options = Options.parse(command, rest);
            return command.equals("clean") ? clean(options, out) : validate(options, out);
        } catch (IllegalArgumentException | IllegalStateException | DatasetException | UncheckedIOException e) {
            err.println("finetune4j " + command + ": " + e.getMessage());
            return USAGE;
        } catch (OutOfMemoryError e) {
            err.println("finetune4j " + command + ": out of memory (heap limit " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB): give java a larger heap (java -Xmx1g -jar ...) or skip token counting with --no-tokens");
            return OUT_OF_MEMORY;
        }
    }

    /** The options of {@code validate} and {@code clean}: {@code files} are the input, then the output to clean into. */
    private record Options(List<Path> files, String model, Method method, boolean tokens, int problems, boolean json) {
        static Options parse(String command, String[] args) {
            List<Path> files = new ArrayList<>();
            String model = null;
            Method method = Method.AUTO;
            boolean tokens = true;
            int problems = 20;
            boolean json = false;
            int wanted = command.equals("clean") ? 2 : 1;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--model" -> model = value(args, ++i, "--model");
                    case "--method" -> method = Main.method(value(args, ++i, "--method"));
                    case "--no-tokens" -> tokens = false;
                    case "--problems" -> problems = number(value(args, ++i, "--problems"), "--problems");
                    case "--json" -> {
                        if (!command.equals("validate")) throw new IllegalArgumentException("--json is an option of validate");
                        json = true;
                    }
                    default -> {
                        if (args[i].startsWith("--")) throw new IllegalArgumentException("unknown option " + args[i]);
                        if (files.size() == wanted) {
                            throw new IllegalArgumentException(wanted == 1 ? "one file at a time, got " + files.get(0) + " and " + args[i]
                                    : "clean takes an input and an output file, got a third: " + args[i]);
                        }
                        files.add(Path.of(args[i]));
                    }
                }
            }
            if (files.size() < wanted) {
                throw new IllegalArgumentException(wanted == 1 ? "no file to validate; usage: validate FILE [--model M]"
                        : files.isEmpty() ? "no file to clean; usage: clean IN OUT [--model M]"
                        : "no output file; usage: clean IN OUT [--model M] (OUT must be another file than IN)");
            }
            requireReadable(files.get(0));
            return new Options(files, model, method, tokens, problems, json);
        }

        /** A validator with the options' method, model and token counting, keeping {@code problems} in full. */
        DatasetValidator validator() {
            DatasetValidator v = DatasetValidator.forMethod(method).maxProblems(problems);
            if (model != null) {
                GptConfig local = localModel(model);
                v = local != null ? v.localModel(local.contextLength()) : v.model(model);
            }
            return v.countTokens(tokens);
        }
    }

    private static void requireReadable(Path file) {
        // not only regular files: /dev/stdin and <(zcat train.jsonl.gz) are pipes, which the validator reads as streams
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("cannot read " + file + ": it is a directory; name a JSONL file in it");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file (looked in " + file.toAbsolutePath() + ")");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file + ": permission denied");
        }
    }

    private static int validate(Options options, PrintStream out) {
        ValidationReport report = options.validator().validate(options.files().get(0));
        boolean estimate = report.ok() && options.tokens() && report.stats() != null && report.stats().examples() > 0;
        if (options.json()) {
            out.println(json(report, options.problems(), estimate));
            return report.ok() ? 0 : INVALID;
        }
        int problems = options.problems();
        out.println(report.toString(problems, "--problems " + Math.max(problems, report.errorCount() + report.warningCount())
                + " shows them"));
        if (estimate) {
            out.println(TrainingEstimate.of(report.stats())
                    + (report.stats().examplesWithImages() > 0 ? " (text only: image tokens are not counted)" : ""));
        }
        return report.ok() ? 0 : INVALID;
    }

    /** Exit status 0 when the cleaned file can train, 1 when it still cannot (too few examples left, say). */
    private static int clean(Options options, PrintStream out) {
        DatasetCleaner.Result r = DatasetCleaner.using(options.validator()).maxDropped(options.problems())
                .clean(options.files().get(0), options.files().get(1));
        out.println(r);
        return r.ok() ? 0 : INVALID;
    }

    /** {@code split IN TRAIN VALID [--valid-fraction F] [--seed S]}; a line that is not a JSON object gives status 1. */
    private static int split(String[] args, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        double fraction = 0.1;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--valid-fraction" -> fraction = fraction(value(args, ++i, "--valid-fraction"));
                case "--seed" -> seed = number(value(args, ++i, "--seed"), "--seed");
                default -> files.add(fileArgument(args[i], files.size(), 3, "split IN TRAIN VALID"));
            }
        }
        if (files.size() < 3) throw new IllegalArgumentException("usage: split IN TRAIN VALID [--valid-fraction F] [--seed S]");
        requireReadable(files.get(0));
        try {
            out.println(DatasetSplit.split(files.get(0), files.get(1), files.get(2), fraction, seed));
            return 0;
        } catch (DatasetException e) {
            err.println("finetune4j split: " + e.getMessage());
            return INVALID;
        }
    }

    /**
     * {@code convert IN OUT --user COL --assistant COL [--system COL | --system-prompt TEXT] [--skip-incomplete]}:
     * a CSV (by its extension) or a JSONL of flat records to chat JSONL; a row that cannot convert gives status 1.
     */
    private static int convert(String[] args, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        ChatConverter converter = ChatConverter.columns();
        boolean system = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--system")) {
                if (system) throw new IllegalArgumentException("--system and --system-prompt exclude each other: give one");
                system = true;
            }
            switch (args[i]) {
                case "--user" -> converter.user(value(args, ++i, "--user"));
                case "--assistant" -> converter.assistant(value(args, ++i, "--assistant"));
                case "--system" -> converter.system(value(args, ++i, "--system"));
                case "--system-prompt" -> converter.systemPrompt(value(args, ++i, "--system-prompt"));
                case "--skip-incomplete" -> converter.skipIncompleteRows();
                default -> files.add(fileArgument(args[i], files.size(), 2, "convert IN OUT"));
            }
        }
        List<String> given = List.of(args);
        if (files.size() < 2 || !given.contains("--user") || !given.contains("--assistant")) {
            throw new IllegalArgumentException((files.size() < 2 ? "" : "--user and --assistant name the columns of the"
                    + " question and the answer: ") + "usage: convert IN OUT --user COL --assistant COL [--system COL |"
                    + " --system-prompt TEXT] [--skip-incomplete]");
        }
        requireReadable(files.get(0));
        Path in = files.get(0);
        try {
            boolean csv = in.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
            long n = csv ? converter.writeCsv(in, files.get(1)) : converter.writeJsonl(in, files.get(1));
            out.printf("wrote %,d example%s to %s%s%n", n, n == 1 ? "" : "s", files.get(1), converter.skippedRows() == 0 ? ""
                    : String.format(" (%,d incomplete row%s skipped)", converter.skippedRows(),
                    converter.skippedRows() == 1 ? "" : "s"));
            return 0;
        } catch (DatasetException e) {
            err.println("finetune4j convert: " + e.getMessage());
            return INVALID;
        }
    }

    private static Path fileArgument(String arg, int given, int wanted, String usage) {
        if (arg.startsWith("--")) throw new IllegalArgumentException("unknown option " + arg);
        if (given == wanted) throw new IllegalArgumentException("too many files: usage: " + usage);
        return Path.of(arg);
    }

    private static double fraction(String value) {
        try {
            double f = Double.parseDouble(value);
            if (f >= 0 && f <= 1) return f;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--valid-fraction wants a number from 0 to 1, got '" + value + "'");
    }

    /** The report as one JSON object, for scripts: what the text form says, with the same names as the tables. */
    private static String json(ValidationReport report, int problems, boolean withEstimate) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("ok", report.ok());
        o.put("format", report.format() == null ? null : report.format().wireName());
        o.put("prompt_completion", report.promptCompletion());
        o.put("examples", report.examples());
        o.put("lines", report.lines());
        o.put("bytes", report.bytes());
        o.put("errors", report.errorCount());
        o.put("warnings", report.warningCount());
        ObjectNode counts = o.putObject("counts");
        report.counts().forEach((c, n) -> counts.put(c.code(), n));
        ArrayNode list = o.putArray("problems");
        List<Problem> kept = report.problems().subList(0, Math.min(problems, report.problems().size()));
        for (Problem p : kept) {
            ObjectNode j = list.addObject();
            if (p.line() > 0) j.put("line", p.line());
            else j.putNull("line"); // a problem of the whole file
            j.put("path", p.path());
            j.put("category", p.category().code());
            j.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
            j.put("message", p.message());
            j.put("hint", p.hint());
        }
        o.put("problems_not_shown", report.errorCount() + report.warningCount() - kept.size());
        DatasetStats stats = report.stats();
        if (stats != null && stats.examples() > 0) {
            ObjectNode s = o.putObject("stats");
            s.put("examples", stats.examples());
            s.put("examples_with_images", stats.examplesWithImages());
            distribution(s, "messages_per_example", stats.distribution(DatasetStats.Metric.MESSAGES));
            if (stats.tokensCounted()) {
                s.put("tokenizer", stats.tokenizer());
                s.put("token_limit", stats.tokenLimit());
                distribution(s, "tokens_per_example", stats.distribution(DatasetStats.Metric.TOKENS));
                distribution(s, "trained_tokens_per_example", stats.distribution(DatasetStats.Metric.ASSISTANT_TOKENS));
                s.put("examples_over_limit", stats.examplesOverLimit());
                s.put("billing_tokens_per_epoch", stats.billingTokensPerEpoch());
            }
        }
        if (withEstimate) {
            TrainingEstimate e = TrainingEstimate.of(stats);
            ObjectNode j = o.putObject("estimate");
            j.put("examples", e.examples());
            j.put("epochs", e.epochs());
            j.put("billing_tokens_per_epoch", e.billingTokensPerEpoch());
            j.put("trained_tokens", e.trainedTokens());
        }
        return Json.write(o);
    }

    private static void distribution(ObjectNode parent, String name, IntDistribution d) {
        ObjectNode j = parent.putObject(name);
        j.put("min", d.min());
        j.put("p5", d.percentile(0.05));
        j.put("p50", d.percentile(0.5));
        j.put("mean", d.mean());
        j.put("p95", d.percentile(0.95));
        j.put("max", d.max());
        j.put("total", d.sum());
    }

    /**
     * A local model's configuration (nano, micro, mini, or a model fine-tuned from one: {@code ft:nano:...}), whose
     * rules the local server applies; null for others.
     */
    private static GptConfig localModel(String name) {
        String base = ModelLimits.baseModel(name);
        return GptConfig.PRESETS.stream().filter(c -> c.name().equals(base)).findFirst().orElse(null);
    }

    private static Method method(String name) {
        try {
            return Method.fromWire(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --method '" + name + "'; expected auto, supervised, dpo or reinforcement");
        }
    }

    private static int number(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(option + " wants a number (0 or more), got '" + value + "'");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    private static final String USAGE_TEXT = """
            finetune4j: fine-tuning from Java notebooks and JShell

            usage: java -jar finetune4j-all.jar COMMAND [options]

              validate FILE [--model M] [--method auto|supervised|dpo|reinforcement] [--no-tokens] [--problems N]
                       [--json]
                  checks a training JSONL file: every problem with its line, field and a fix; token statistics and
                  a training estimate. --model applies a model's token encoding and limit (an OpenAI name, or a
                  local model: nano, micro, mini, or a model fine-tuned from one). --problems: how many problems
                  to print (20). --json prints the report as one JSON object, for scripts. FILE may be a pipe:
                  /dev/stdin, <(zcat train.jsonl.gz). Exit status 0 when the file can train, 1 when it has errors,
                  2 for a usage error, 3 when the JVM ran out of memory.
              clean IN OUT [--model M] [--method auto|supervised|dpo|reinforcement] [--no-tokens] [--problems N]
                  writes the lines of IN that can train to OUT, by the rules of validate: lines with errors, blank
                  lines and repeats of an earlier example are dropped and listed (the first N, 20) by line and
                  category; other lines are kept as they are. OUT is replaced only when IN was read whole, and
                  may not be IN. Exit status 0 when OUT can train, 1 when it still cannot (too few examples
                  left), 2 for a usage error, 3 when the JVM ran out of memory.
              split IN TRAIN VALID [--valid-fraction F] [--seed S]
                  splits IN into training and validation files, the same way for the same seed (42): a share F
                  (0.1) of the distinct examples goes to VALID, identical examples always to the same side (so the
                  split never leaks), lines keep their order and blank lines are dropped. Exit status 1 when a
                  line is not a JSON object (the message names it).
              convert IN OUT --user COL --assistant COL [--system COL | --system-prompt TEXT] [--skip-incomplete]
                  writes a supervised chat JSONL from a CSV with a header row (IN ending in .csv) or from a JSONL of
                  flat records (such as the legacy prompt/completion format: --user prompt --assistant completion),
                  one example per row. A row with an empty user or assistant cell is an error naming the row (exit
                  status 1, nothing written), or is skipped with --skip-incomplete.
              serve [--port N] [--data DIR] [--host H] [--max-jobs N] [--threads N] [--python-graders owner|all|none]
                  runs the local OpenAI-compatible fine-tuning server (as scripts/ftserver does). Python graders
                  run their code on this machine as the server's user: by default only for the admin key and the
                  default project (the key the server prints); --python-graders all allows them for every project,
                  none for nobody.
              help
                  this text.

            In JShell and notebooks: scripts/ftshell, or FineTune.fromEnv() (see the README).
            """;
}
