package dev.finetune4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * Finds validation examples that also appear in the training file (identical lines, spaces at the ends ignored;
 * see {@link LineHash}). Lines are compared as written: the same example written with other spacing or key order
 * (say {@code json.dumps(x, separators=(",", ":"))} in one file and the default in the other) is not found, so
 * write both files with the same tool. Streams both files; memory is a hash per distinct validation example.
 * Example: {@code Leakage.check(Path.of("train.jsonl"), Path.of("valid.jsonl")).ok()}.
 */
public final class Leakage {
    private static final int KEPT = 100;

    private Leakage() {}

    /** One leaked example: where it is in each file (its first occurrence in the validation file). */
    public record Pair(long trainLine, long validationLine) {
    }

    /**
     * @param validationExamples non-blank lines of the validation file
     * @param leakedValidationLines validation lines whose example is also in the training file
     * @param pairs the first (up to 100) training lines that repeat a validation example
     */
    public record Report(long validationExamples, long leakedValidationLines, List<Pair> pairs) {
        /** True when no validation example is in the training file. */
        public boolean ok() {
            return leakedValidationLines == 0;
        }

        /** Share of validation examples that leak. */
        public double leakedShare() {
            return validationExamples == 0 ? 0 : (double) leakedValidationLines / validationExamples;
        }

        /** Tablesaw table of the kept pairs. */
        public Table table() {
            LongColumn t = LongColumn.create("train_line");
            LongColumn v = LongColumn.create("validation_line");
            for (Pair p : pairs) {
                t.append(p.trainLine());
                v.append(p.validationLine());
            }
            return Table.create("leaked examples", t, v);
        }

        @Override
        public String toString() {
            if (ok()) {
                return "No leakage: none of the " + validationExamples + " validation examples is a line of the training"
                        + " file (lines are compared as bytes, spaces at their ends aside)";
            }
            StringBuilder s = new StringBuilder(String.format("LEAKAGE: %d of %d validation examples (%.1f%%) are also in the training file",
                    leakedValidationLines, validationExamples, 100 * leakedShare()));
            for (int i = 0; i < Math.min(5, pairs.size()); i++) {
                s.append("\n  training line ").append(pairs.get(i).trainLine()).append(" = validation line ").append(pairs.get(i).validationLine());
            }
            return s.toString();
        }
    }

    /** Compares a training and a validation file. */
    public static Report check(Path train, Path validation) {
        try {
            LongIntMap valid = new LongIntMap();
            long validExamples = 0;
            LongIntMap validLineCounts = new LongIntMap();
            try (JsonlLines lines = JsonlLines.open(validation)) {
                while (lines.next()) {
                    if (lines.isBlank()) {
                        continue;
                    }
                    validExamples++;
                    long h = LineHash.of(lines.buffer(), lines.start(), lines.length());
                    valid.putIfAbsent(h, (int) Math.min(lines.lineNumber(), Integer.MAX_VALUE));
                    validLineCounts.set(h, validLineCounts.get(h, 0) + 1);
                }
            }
            LongIntMap leakedHashes = new LongIntMap();
            long leakedLines = 0;
            List<Pair> pairs = new ArrayList<>();
            try (JsonlLines lines = JsonlLines.open(train)) {
                while (lines.next()) {
                    if (lines.isBlank()) {
                        continue;
                    }
                    long h = LineHash.of(lines.buffer(), lines.start(), lines.length());
                    int validLine = valid.get(h, -1);
                    if (validLine >= 0) {
                        if (LongIntMap.isAbsent(leakedHashes.putIfAbsent(h, 1))) {
                            leakedLines += validLineCounts.get(h, 0);
                        }
                        if (pairs.size() < KEPT) {
                            pairs.add(new Pair(lines.lineNumber(), validLine));
                        }
                    }
                }
            }
            return new Report(validExamples, leakedLines, List.copyOf(pairs));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare " + train + " and " + validation + ": " + e.getMessage(), e);
        }
    }
}
