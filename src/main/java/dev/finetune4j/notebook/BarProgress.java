package dev.finetune4j.notebook;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar over the training steps, or an evaluation's examples (progressbar library). Before
 * training starts (validating, queued) the status is printed as a line; the bar appears with the first step and
 * shows status and losses beside it; its ETA comes from the step rate.
 */
final class BarProgress implements Progress {
    /** Rendered width; a fixed width keeps the library from probing a terminal JShell's agent does not have. */
    private static final int WIDTH = 110;

    private final PrintStream out;
    private ProgressBar bar;
    private Console console;
    private String lastStatus;

    BarProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(Snapshot s) {
        if (bar == null && s.totalSteps() > 0) {
            boolean utf8 = Charset.defaultCharset().equals(StandardCharsets.UTF_8);
            bar = new ProgressBarBuilder().setTaskName(s.jobId()).setInitialMax(s.totalSteps())
                    .setStyle(utf8 ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                    .setConsumer(console = new Console(out))
                    .setUpdateIntervalMillis(250).setUnit(" " + s.kind().unit + "s", 1)
                    // a bar attached to a job already under way starts from its current step
                    .startsFrom(s.step(), Duration.ZERO)
                    .build();
        }
        if (bar == null) {
            if (!s.status().equals(lastStatus)) {
                out.println(s.line());
                out.flush();
            }
        } else {
            bar.maxHint(s.totalSteps());
            bar.stepTo(s.step());
            bar.setExtraMessage(s.extra());
        }
        lastStatus = s.status();
    }

    @Override
    public void note(String line) {
        // over the bar's line, in one write: the bar draws itself again below at its next refresh
        String padded = line.length() >= WIDTH ? line : line + " ".repeat(WIDTH - line.length());
        out.print(bar == null ? line + "\n" : "\r" + padded + "\n");
        out.flush();
    }

    @Override
    public void close() {
        if (bar == null) return;
        bar.close();
        console.close();
    }

    /** Ends the bar's line once: the library skips that when the bar is closed before its first refresh. */
    private static final class Console extends ConsoleProgressBarConsumer {
        private boolean closed;

        Console(PrintStream out) {
            super(out, WIDTH);
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            super.close();
        }
    }
}
