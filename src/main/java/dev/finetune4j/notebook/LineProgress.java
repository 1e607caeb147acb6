package dev.finetune4j.notebook;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Progress as text lines, for logs and CI: a line when the status changes, and while training at every tenth
 * of the steps or every 30 seconds, whichever comes first. With {@code overwrite} (an interactive console
 * without a progress bar) the line is rewritten in place with a carriage return instead.
 */
final class LineProgress implements Progress {
    private static final long EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final PrintStream out;
    private final boolean overwrite;
    private String lastStatus;
    private int lastTenth = -1;
    private long lastPrint;
    private Snapshot last;

    LineProgress(PrintStream out, boolean overwrite) {
        this.out = out;
        this.overwrite = overwrite;
    }

    @Override
    public void update(Snapshot s) {
        last = s;
        if (overwrite) {
            out.print("\r" + s.line() + "   ");
            out.flush();
            return;
        }
        int tenth = s.percent() / 10;
        long now = System.nanoTime();
        if (!s.status().equals(lastStatus) || tenth != lastTenth || now - lastPrint > EVERY_NANOS) {
            out.println(s.line());
            out.flush();
            lastStatus = s.status();
            lastTenth = tenth;
            lastPrint = now;
        }
    }

    @Override
    public void note(String line) {
        if (overwrite && last != null) {
            // over the progress line, which is drawn again below
            out.print("\r" + pad(line, last.line().length() + 3) + "\n" + last.line() + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    @Override
    public void close() {
        if (overwrite && last != null) out.println();
    }
}
