package dev.finetune4j.server;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * How the tokenizing of a job's file goes, for its events: a note at each interval while it lasts, and one at its end
 * when any was given. Tokenizing a file of hundreds of megabytes takes a while, and a job with no news looks stuck.
 */
final class TokenizingNotes {
    private final Consumer<String> notes;
    private final String kind;
    private final long fileBytes;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private long lastNanos = startNanos;
    private long examples;
    private boolean noted;

    /** {@code kind} names the file in the notes ("training", "validation"); {@code notes} may be null. */
    TokenizingNotes(Consumer<String> notes, String kind, long fileBytes, long intervalNanos) {
        this.notes = notes;
        this.kind = kind;
        this.fileBytes = fileBytes;
        this.intervalNanos = intervalNanos;
    }

    String kind() {
        return kind;
    }

    /** Counts an example read; {@code bytesRead} is how far into the file the reader has come. */
    void example(long bytesRead) {
        examples++;
        if (notes == null) return;
        long now = System.nanoTime();
        if (now - lastNanos < intervalNanos) return;
        lastNanos = now;
        noted = true;
        long percent = fileBytes <= 0 ? 100 : Math.min(100, bytesRead * 100 / fileBytes);
        notes.accept(String.format(Locale.ROOT, "Tokenizing the %s file: %d%% (%s of %s, %s)", kind, percent,
                size(bytesRead), size(fileBytes), examples(examples)));
    }

    /** The closing note, when notes were given along the way. */
    void finished(long tokens) {
        if (notes == null || !noted) return;
        long seconds = Math.round((System.nanoTime() - startNanos) / 1e9);
        notes.accept(String.format(Locale.ROOT, "Tokenized the %s file: %s, %,d tokens in %d s", kind,
                examples(examples), tokens, seconds));
    }

    private static String examples(long n) {
        return String.format(Locale.ROOT, n == 1 ? "%,d example" : "%,d examples", n);
    }

    private static String size(long bytes) {
        if (bytes < 1_000) return bytes + " bytes";
        if (bytes < 1_000_000) return String.format(Locale.ROOT, "%d kB", Math.round(bytes / 1e3));
        return String.format(Locale.ROOT, "%d MB", Math.round(bytes / 1e6));
    }
}
