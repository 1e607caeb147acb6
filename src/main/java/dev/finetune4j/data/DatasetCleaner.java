package dev.finetune4j.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the lines of a JSONL file that can train to a new file: a line with an error-level problem, a blank line and
 * a duplicate of an earlier example are dropped, and what was dropped is reported by line and category. The lines
 * are judged by the rules of a {@link DatasetValidator} configured the same way (the same checks, severities and
 * token limits), so the cleaned file validates without line errors. Streaming: memory stays constant apart from
 * the hashes of distinct examples, as in the validator. Lines are written as they are, ended by LF.
 *
 * <pre>{@code
 * DatasetCleaner.Result r = DatasetCleaner.forMethod(Method.SUPERVISED).model("gpt-4.1-mini")
 *         .clean(Path.of("train.jsonl"), Path.of("train.clean.jsonl"));
 * }</pre>
 *
 * Problems of the whole file (too few examples) cannot be fixed by dropping lines: they are reported for the
 * cleaned file in {@link Result#fileProblems()}. Warnings other than blank lines and duplicates keep their line.
 */
public final class DatasetCleaner {
    /** Chunks as the validator reads them, small enough to stay in the caches. */
    private static final int CHUNK_BYTES = 1 << 20;

    private final DatasetValidator rules;
    private int maxDropped = 100;

    private DatasetCleaner(DatasetValidator rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** A cleaner for one method; {@code Method.AUTO} detects the format as the validator does. Example: {@code DatasetCleaner.forMethod(Method.AUTO)}. */
    public static DatasetCleaner forMethod(Method method) {
        return new DatasetCleaner(DatasetValidator.forMethod(method));
    }

    /**
     * A cleaner that judges lines by a validator's rules (later changes to the validator apply too).
     * Example: {@code DatasetCleaner.using(DatasetValidator.forMethod(Method.DPO).localModel(256))}.
     */
    public static DatasetCleaner using(DatasetValidator validator) {
        return new DatasetCleaner(validator);
    }

    /** The encoding, limit and format of an OpenAI model, as {@link DatasetValidator#model(String)}. Example: {@code .model("gpt-4.1-mini")}. */
    public DatasetCleaner model(String model) {
        rules.model(model);
        return this;
    }

    /** A finetune4j local model's rules, as {@link DatasetValidator#localModel(int)}: longer examples are dropped. Example: {@code .localModel(128)}. */
    public DatasetCleaner localModel(int contextLength) {
        rules.localModel(contextLength);
        return this;
    }

    /** Legacy prompt/completion lines, as {@link DatasetValidator#promptCompletion(boolean)}. Example: {@code .promptCompletion(true)}. */
    public DatasetCleaner promptCompletion(boolean on) {
        rules.promptCompletion(on);
        return this;
    }

    /** Turns token counting off (faster; no example is then too long) or on. Example: {@code .countTokens(false)}. */
    public DatasetCleaner countTokens(boolean on) {
        rules.countTokens(on);
        return this;
    }

    /** Fewest examples the cleaned file should hold; fewer is reported. Example: {@code .minExamples(1)}. */
    public DatasetCleaner minExamples(int n) {
        rules.minExamples(n);
        return this;
    }

    /** Changes how a category weighs: an error drops its lines. Example: {@code .severity(Category.TOO_MANY_TOKENS, Severity.ERROR)}. */
    public DatasetCleaner severity(Category category, Severity severity) {
        rules.severity(category, severity);
        return this;
    }

    /** How many dropped lines the result lists with their problem (all are counted). Default 100. Example: {@code .maxDropped(20)}. */
    public DatasetCleaner maxDropped(int n) {
        this.maxDropped = Math.max(0, n);
        return this;
    }

    /**
     * What a cleaning did: lines read and kept, dropped lines per category (a line counts once, under its first
     * error, else as blank, else as a duplicate), the first dropped lines with their problem, and the problems of
     * the cleaned file as a whole.
     */
    public record Result(Path output, Method format, long lines, long kept, Map<Category, Long> dropped,
                         List<Problem> firstDropped, List<Problem> fileProblems) {
        public Result {
            dropped = Collections.unmodifiableMap(new EnumMap<>(dropped));
            firstDropped = List.copyOf(firstDropped);
            fileProblems = List.copyOf(fileProblems);
        }

        /** Lines not written. */
        public long droppedLines() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Lines dropped for one category. */
        public long dropped(Category category) {
            return dropped.getOrDefault(category, 0L);
        }

        /** Whether the cleaned file can train: it has no problem of the whole file that is an error. */
        public boolean ok() {
            return fileProblems.stream().noneMatch(Problem::isError);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format("kept %,d of %,d lines%s in %s, dropped %,d", kept, lines,
                    format == null ? "" : " (" + format.wireName() + ")", output, droppedLines()));
            if (!dropped.isEmpty()) {
                s.append(':');
                dropped.forEach((c, n) -> s.append(' ').append(c.code()).append('=').append(n));
            }
            int shown = Math.min(10, firstDropped.size());
            for (int i = 0; i < shown; i++) {
                Problem p = firstDropped.get(i);
                s.append("\n  dropped ").append(p.message()).append(" [").append(p.category().code()).append(']');
            }
            if (droppedLines() > shown) {
                s.append("\n  ... ").append(droppedLines() - shown).append(" more dropped (firstDropped() lists them, as --problems N does on the"
                        + " command line)");
            }
            for (Problem p : fileProblems) {
                s.append("\n  ").append(p.isError() ? "error   " : "warning ").append("cleaned file: ").append(p.message())
                        .append("\n          fix: ").append(p.hint());
            }
            return s.toString();
        }
    }

    /**
     * Cleans {@code input} into {@code output}, which is replaced only when the whole input was read; the input
     * itself is never overwritten. Example: {@code cleaner.clean(Path.of("train.jsonl"), Path.of("train.clean.jsonl"))}.
     */
    public Result clean(Path input, Path output) {
        if (OutputFiles.sameFile(input, output)) {
            throw new IllegalArgumentException("the cleaned file must be another file than its input, got " + input + " twice");
        }
        InputStream in;
        try {
            in = Files.newInputStream(input);
        } catch (IOException e) {
            throw FileErrors.cannotRead(input, e);
        }
        try (in) {
            PushbackInputStream pushback = new PushbackInputStream(in, FileEncoding.HEAD);
            byte[] head = pushback.readNBytes(FileEncoding.HEAD);
            FileEncoding.Finding finding = FileEncoding.check(head, head.length);
            if (finding != null) {
                // no line can be judged: writing an empty file would only hide that
                throw new DatasetException(0, "cannot clean " + input + ": " + finding.message() + ". " + finding.hint(), null);
            }
            pushback.unread(head);
            Path part = OutputFiles.temp(output);
            try {
                Pass pass = new Pass(output);
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
                    pass.run(new ChunkReader(pushback, CHUNK_BYTES, pass.settings.maxLine()), out);
                }
                Files.move(part, output, StandardCopyOption.REPLACE_EXISTING);
                return pass.result();
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + input + ": " + e.getMessage(), e);
        }
    }

    /** One cleaning: chunks are checked by the validator's chunk rules, then their lines are written or dropped. */
    private final class Pass {
        // every problem of a chunk is kept: each line is decided on its own problems
        final ChunkValidator.Settings settings = rules.chunkSettings(Integer.MAX_VALUE);
        private final ChunkValidator validator = new ChunkValidator(settings);
        private final Severity duplicateSeverity = rules.severityOf(Category.DUPLICATE_EXAMPLE);
        private final LongIntMap seen = new LongIntMap();
        private final Map<Category, Long> dropped = new EnumMap<>(Category.class);
        private final List<Problem> firstDropped = new ArrayList<>();
        private final Path output;
        private Method format = rules.knownFormat();
        private long linesBefore;
        private long kept;

        Pass(Path output) {
            this.output = output;
        }

        void run(ChunkReader reader, OutputStream out) throws IOException {
            ChunkReader.Chunk chunk;
            while ((chunk = reader.next()) != null) {
                if (format == null) {
                    format = validator.detect(chunk.data(), chunk.length());
                }
                ChunkValidator.Result r = validator.validate(chunk.data(), chunk.length(), format, chunk.overlongLine());
                write(chunk, r, out);
                reader.recycle(chunk);
            }
        }

        /** Walks the chunk's lines (cut as the chunk validator cuts them) alongside its problems and example hashes. */
        private void write(ChunkReader.Chunk chunk, ChunkValidator.Result r, OutputStream out) throws IOException {
            byte[] data = chunk.data();
            int p = 0;
            int problem = 0;
            int hash = 0;
            long local = 0;
            while (local < r.lines) {
                local++;
                Problem error = null;
                // a blank line, or one too long to read, has nothing to write whatever its severity
                Problem empty = null;
                for (; problem < r.problems.size() && r.problems.get(problem).line() == local; problem++) {
                    ChunkValidator.LocalProblem lp = r.problems.get(problem);
                    if (error == null && lp.severity() == Severity.ERROR) {
                        error = lp.numbered(linesBefore);
                    } else if (lp.category() == Category.BLANK_LINE || lp.category() == Category.LINE_TOO_LONG) {
                        empty = lp.numbered(linesBefore);
                    }
                }
                Problem duplicate = null;
                if (hash < r.hashCount && r.hashLines[hash] == local) {
                    long line = linesBefore + local;
                    int previous = seen.putIfAbsent(r.hashes[hash++], (int) Math.min(line, Integer.MAX_VALUE));
                    if (!LongIntMap.isAbsent(previous)) {
                        duplicate = DatasetValidator.duplicate(line, previous, duplicateSeverity);
                    }
                }
                // an over-long line follows the chunk's bytes: it has none here, and always an error
                int end = p < chunk.length() ? JsonlLines.indexOfNewline(data, p, chunk.length()) : p;
                if (end < 0) {
                    end = chunk.length();
                }
                Problem drop = error != null ? error : empty != null ? empty : duplicate;
                if (drop != null) {
                    dropped.merge(drop.category(), 1L, Long::sum);
                    if (firstDropped.size() < maxDropped) {
                        firstDropped.add(drop);
                    }
                } else {
                    int contentEnd = end > p && data[end - 1] == '\r' ? end - 1 : end;
                    out.write(data, p, contentEnd - p);
                    out.write('\n');
                    kept++;
                }
                p = end + 1;
            }
            if (problem != r.problems.size() || hash != r.hashCount) {
                throw new IllegalStateException("lines and problems out of step after line " + (linesBefore + local));
            }
            linesBefore += r.lines;
        }

        Result result() {
            Problem size = rules.sizeProblem(kept, kept);
            return new Result(output, format, linesBefore, kept, dropped, firstDropped, size == null ? List.of() : List.of(size));
        }
    }
}
