package dev.finetune4j.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/**
 * Splits a JSONL file into training and validation files, deterministically for a seed, streaming in two passes.
 * The validation file receives exactly {@code round(distinct examples × fraction)} distinct examples (at least one
 * on each side when the file has two or more), chosen by selection sampling (Knuth's Algorithm S), so lines keep
 * their order. Identical examples always go to the same side, so the split itself never leaks; blank lines are
 * dropped. Memory: a 64-bit hash and an int per distinct example. Every other line must hold a JSON object: a
 * pretty-printed JSON file or a JSON array is refused with the first line that is not one.
 *
 * <pre>{@code
 * DatasetSplit.Result r = DatasetSplit.split(Path.of("all.jsonl"), Path.of("train.jsonl"), Path.of("valid.jsonl"), 0.1, 42);
 * }</pre>
 */
public final class DatasetSplit {
    private DatasetSplit() {}

    /** Line counts of a split. */
    public record Result(long trainExamples, long validationExamples, long duplicateLines, long blankLines) {
        @Override
        public String toString() {
            return String.format("train: %,d examples, validation: %,d examples (%,d repeated lines kept with their first copy, %,d blank lines dropped)",
                    trainExamples, validationExamples, duplicateLines, blankLines);
        }
    }

    /** Splits {@code input}; {@code validationFraction} in [0, 1]. Outputs are replaced only when the split succeeds. */
    public static Result split(Path input, Path train, Path validation, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction <= 1)) {
            throw new IllegalArgumentException("validationFraction must be between 0 and 1, got " + validationFraction);
        }
        if (OutputFiles.sameFile(train, validation) || OutputFiles.sameFile(train, input) || OutputFiles.sameFile(validation, input)) {
            throw new IllegalArgumentException("the input, training and validation files must be three different files,"
                    + " got " + input + ", " + train + " and " + validation);
        }
        try {
            // one table for both passes: the first fills it with UNSEEN, the second records each example's side
            LongIntMap side = new LongIntMap();
            try (JsonlLines lines = JsonlLines.open(input)) {
                while (lines.next()) {
                    if (!lines.isBlank()) {
                        requireObject(input, lines);
                        side.putIfAbsent(LineHash.of(lines.buffer(), lines.start(), lines.length()), UNSEEN);
                    }
                }
            }
            long n = side.size();
            long k = Math.round(n * validationFraction);
            if (n >= 2 && validationFraction > 0 && validationFraction < 1) {
                k = Math.max(1, Math.min(n - 1, k));
            }
            Random rnd = new Random(seed);
            long seenDistinct = 0;
            long chosen = 0;
            long trainCount = 0;
            long validCount = 0;
            long duplicates = 0;
            long blanks = 0;
            Path trainTmp = OutputFiles.temp(train);
            Path validTmp = OutputFiles.temp(validation);
            try (JsonlLines lines = JsonlLines.open(input);
                 OutputStream t = new BufferedOutputStream(Files.newOutputStream(trainTmp), 1 << 16);
                 OutputStream v = new BufferedOutputStream(Files.newOutputStream(validTmp), 1 << 16)) {
                while (lines.next()) {
                    if (lines.isBlank()) {
                        blanks++;
                        continue;
                    }
                    long hash = LineHash.of(lines.buffer(), lines.start(), lines.length());
                    int toValidation = side.get(hash, UNSEEN);
                    if (toValidation == UNSEEN) {
                        boolean pick = rnd.nextDouble() * (n - seenDistinct) < (k - chosen);
                        seenDistinct++;
                        if (pick) {
                            chosen++;
                        }
                        toValidation = pick ? 1 : 0;
                        side.set(hash, toValidation);
                    } else {
                        duplicates++;
                    }
                    OutputStream out = toValidation == 1 ? v : t;
                    out.write(lines.buffer(), lines.start(), lines.length());
                    out.write('\n');
                    if (toValidation == 1) {
                        validCount++;
                    } else {
                        trainCount++;
                    }
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(trainTmp);
                Files.deleteIfExists(validTmp);
                throw e;
            }
            Files.move(trainTmp, train, StandardCopyOption.REPLACE_EXISTING);
            Files.move(validTmp, validation, StandardCopyOption.REPLACE_EXISTING);
            return new Result(trainCount, validCount, duplicates, blanks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot split " + input + ": " + e.getMessage(), e);
        }
    }

    private static final int UNSEEN = -1;

    /** Refuses a line that is not one JSON object ({@link #objectLine}). */
    private static void requireObject(Path input, JsonlLines lines) {
        if (!objectLine(lines.buffer(), lines.start(), lines.start() + lines.length())) {
            String text = lines.text().strip();
            throw new DatasetException(lines.lineNumber(), "Line " + lines.lineNumber() + " of " + input + " is not a JSON object ("
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "): a split needs JSONL, one JSON object per line;"
                    + " write each example on one line", null);
        }
    }

    /**
     * Whether a non-blank line can hold one JSON object: its first and last non-blank bytes are braces. Enough to tell
     * a pretty-printed JSON file or a JSON array, whose lines are pieces that are not examples (the validator says so).
     */
    static boolean objectLine(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t' || b[to - 1] == '\r')) {
            to--;
        }
        return to > from && b[from] == '{' && b[to - 1] == '}';
    }
}
