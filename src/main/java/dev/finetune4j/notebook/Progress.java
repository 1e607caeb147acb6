package dev.finetune4j.notebook;

import dev.finetune4j.notebook.kernel.Kernel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Live progress of a job while {@code run.await()} waits: status, step/total, latest losses, ETA. Rendered as a
 * progress bar in a terminal (JShell), as one updating output in a notebook, and as plain lines in logs. The
 * system property {@code finetune4j.progress} forces a style: {@code bar}, {@code line}, {@code notebook} or
 * {@code none}.
 */
interface Progress extends AutoCloseable {

    /** A line of news beside the progress: a job's warning, or how its preparation goes. */
    default void note(String line) {}

    /** What a progress counts and what its values are: a job's steps and losses or rewards, an evaluation's examples and scores. */
    enum Kind {
        LOSSES("step", "loss", "%.4f"), REWARDS("step", "reward", "%.3f"), SCORES("example", "score", "%.3f");

        final String unit;
        final String value;
        final String format;

        Kind(String unit, String value, String format) {
            this.unit = unit;
            this.value = value;
            this.format = format;
        }
    }

    /**
     * What is known of the job (or evaluation) at one poll. {@code step}/{@code totalSteps} are 0 before training
     * starts; {@code kind} says whether the two values are the train and validation losses, rewards (reinforcement),
     * or the mean score so far (an evaluation, counting examples).
     */
    record Snapshot(String jobId, String status, long step, long totalSteps, Double trainLoss, Double validLoss,
                    Duration eta, Kind kind) {

        Snapshot(String jobId, String status, long step, long totalSteps, Double trainLoss, Double validLoss,
                 Duration eta) {
            this(jobId, status, step, totalSteps, trainLoss, validLoss, eta, Kind.LOSSES);
        }

        Snapshot(String jobId, String status, long step, long totalSteps, Double trainLoss, Double validLoss,
                 Duration eta, boolean rewards) {
            this(jobId, status, step, totalSteps, trainLoss, validLoss, eta, rewards ? Kind.REWARDS : Kind.LOSSES);
        }

        boolean rewards() {
            return kind == Kind.REWARDS;
        }

        /** {@code ftjob-1 running step 120/300 40% train_loss 0.532 valid_loss 0.610 ETA 0:45}. */
        String line() {
            StringBuilder sb = new StringBuilder().append(jobId).append(' ').append(status);
            if (totalSteps > 0) {
                sb.append(String.format(Locale.ROOT, "  %s %d/%d %d%%", kind.unit, step, totalSteps, percent()));
            }
            sb.append(values("  "));
            if (eta != null) sb.append("  ETA ").append(clock(eta));
            return sb.toString();
        }

        /**
         * The part a progress bar shows next to itself, short so that the bar keeps its width: the status unless it is
         * {@code running}, then {@code loss 0.5321 valid 0.6100} (or {@code reward 0.375 valid 0.125}).
         */
        String extra() {
            List<String> parts = new ArrayList<>();
            if (!status.equals("running")) parts.add(status);
            if (trainLoss != null) parts.add(String.format(Locale.ROOT, "%s " + kind.format, kind.value, trainLoss));
            if (validLoss != null) parts.add(String.format(Locale.ROOT, "valid " + kind.format, validLoss));
            return String.join(" ", parts);
        }

        /** {@code train_loss 0.5321 valid_loss 0.6100}, {@code train_reward 0.500}, or {@code score 0.875}. */
        String values(String gap) {
            StringBuilder sb = new StringBuilder();
            String first = kind == Kind.SCORES ? kind.value : "train_" + kind.value;
            if (trainLoss != null) sb.append(gap).append(String.format(Locale.ROOT, "%s " + kind.format, first, trainLoss));
            if (validLoss != null) {
                sb.append(gap).append(String.format(Locale.ROOT, "valid_%s " + kind.format, kind.value, validLoss));
            }
            return sb.toString();
        }

        int percent() {
            return totalSteps <= 0 ? 0 : (int) Math.min(100, step * 100 / totalSteps);
        }

        static String clock(Duration d) {
            long s = Math.max(0, d.toSeconds());
            return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                    : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }

    /** Shows a new snapshot. */
    void update(Snapshot s);

    /** Ends the display (a finished bar stays visible). */
    @Override
    default void close() {}

    /** The progress display that fits where this JVM runs. */
    static Progress open(PrintStream out) {
        String style = System.getProperty("finetune4j.progress", "");
        Kernel kernel = Kernel.current();
        switch (style) {
            case "none":
                return s -> {};
            case "line":
                return new LineProgress(out, false);
            case "bar":
                return new BarProgress(out);
            case "notebook":
                if (kernel.active()) return new NotebookProgress(kernel);
                break;
            default:
                break;
        }
        if (kernel.active()) return new NotebookProgress(kernel);
        if (System.console() != null || inJShell()) return new BarProgress(out);
        return new LineProgress(out, false);
    }

    /** True in the JVM that runs JShell snippets (its output goes to the user's terminal). */
    static boolean inJShell() {
        return ProcessHandle.current().info().commandLine()
                .map(c -> c.contains("jdk.jshell.execution.RemoteExecutionControl")).orElse(false);
    }
}
