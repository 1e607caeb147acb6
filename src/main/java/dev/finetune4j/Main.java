package dev.finetune4j;

import dev.finetune4j.data.DatasetException;
import dev.finetune4j.data.DatasetValidator;
import dev.finetune4j.data.Method;
import dev.finetune4j.data.ModelLimits;
import dev.finetune4j.data.TrainingEstimate;
import dev.finetune4j.data.ValidationReport;
import dev.finetune4j.server.ServerMain;
import dev.finetune4j.train.GptConfig;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The runnable jar's command line: {@code java -jar finetune4j-all.jar validate train.jsonl --model gpt-4.1-mini}
 * checks a training file before an upload (in CI, for instance: the exit status says whether it has errors), and
 * {@code serve} runs the local server. Notebooks and JShell use the facade instead.
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
        if (!args[0].equals("validate")) {
            err.println("unknown command '" + args[0] + "'");
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            return validate(Arrays.copyOfRange(args, 1, args.length), out);
        } catch (IllegalArgumentException | DatasetException | UncheckedIOException e) {
            err.println("finetune4j validate: " + e.getMessage());
            return USAGE;
        } catch (OutOfMemoryError e) {
            err.println("finetune4j validate: out of memory (heap limit " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB): give java a larger heap (java -Xmx1g -jar ...) or skip token counting with --no-tokens");
            return OUT_OF_MEMORY;
        }
    }

    private static int validate(String[] args, PrintStream out) {
        Path file = null;
        String model = null;
        Method method = Method.AUTO;
        boolean tokens = true;
        int problems = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = value(args, ++i, "--model");
                case "--method" -> method = method(value(args, ++i, "--method"));
                case "--no-tokens" -> tokens = false;
                case "--problems" -> problems = number(value(args, ++i, "--problems"), "--problems");
                default -> {
                    if (args[i].startsWith("--")) throw new IllegalArgumentException("unknown option " + args[i]);
                    if (file != null) throw new IllegalArgumentException("one file at a time, got " + file + " and " + args[i]);
                    file = Path.of(args[i]);
                }
            }
        }
        if (file == null) throw new IllegalArgumentException("no file to validate; usage: validate FILE [--model M]");
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
        DatasetValidator v = DatasetValidator.forMethod(method).maxProblems(problems);
        if (model != null) {
            GptConfig local = localModel(model);
            v = local != null ? v.localModel(local.contextLength()) : v.model(model);
        }
        ValidationReport report = v.countTokens(tokens).validate(file);
        out.println(report.toString(problems, "--problems " + Math.max(problems, report.errorCount() + report.warningCount())
                + " shows them"));
        if (report.ok() && tokens && report.stats() != null && report.stats().examples() > 0) {
            out.println(TrainingEstimate.of(report.stats())
                    + (report.stats().examplesWithImages() > 0 ? " (text only: image tokens are not counted)" : ""));
        }
        return report.ok() ? 0 : INVALID;
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
                  checks a training JSONL file: every problem with its line, field and a fix; token statistics and
                  a training estimate. --model applies a model's token encoding and limit (an OpenAI name, or a
                  local model: nano, micro, mini, or a model fine-tuned from one). --problems: how many problems
                  to print (20). FILE may be a pipe: /dev/stdin, <(zcat train.jsonl.gz). Exit status 0 when the
                  file can train, 1 when it has errors, 2 for a usage error, 3 when the JVM ran out of memory.
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
