package dev.finetune4j.data;

import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validates a JSONL training file for a fine-tuning method, streaming: memory stays constant whatever the file
 * size (a few 1 MiB chunks in flight), except for duplicate detection, which keeps a 64-bit hash and a line number
 * per distinct example (15 to 20 bytes each, see {@link LineHash}: 5 million distinct lines fit in -Xmx128m). Chunks of lines are checked on several threads
 * and merged in file order, so the report is the same for any number of threads. The same validator runs in user
 * code and in the local server.
 *
 * <pre>{@code
 * ValidationReport report = DatasetValidator.forMethod(Method.SUPERVISED).model("gpt-4o-mini").validate(path);
 * }</pre>
 *
 * By default tokens are counted with jtokkit in o200k_base with a 65,536-token limit per example, plus the
 * cookbook's per-message overhead ({@link MessageOverhead#OPENAI_COOKBOOK}); {@link #model(String)} picks the
 * encoding and limit of a model, and for {@code babbage-002} and {@code davinci-002} their legacy
 * {@code {"prompt": ..., "completion": ...}} format ({@link #promptCompletion(boolean)}). Configure, then call
 * {@code validate} as often as needed.
 */
public final class DatasetValidator {
    /** OpenAI requires at least this many examples in a training file. */
    public static final int OPENAI_MIN_EXAMPLES = 10;

    private final Method method;
    private TokenCounter counter;
    private boolean countTokens = true;
    private int tokenLimit = ModelLimits.DEFAULT_TOKEN_LIMIT;
    private MessageOverhead overhead = MessageOverhead.OPENAI_COOKBOOK;
    private boolean promptCompletion;
    // tokens a model adds around a prompt/completion pair: none for OpenAI's models, which read the texts as they are
    private int promptCompletionOverhead;
    private int minExamples = OPENAI_MIN_EXAMPLES;
    private int maxProblems = 100;
    private final Map<Category, Severity> severities = new EnumMap<>(Category.class);
    private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private int chunkBytes = 1 << 20;
    private int maxLine = FileChunks.defaultMaxLine();

    private DatasetValidator(Method method) {
        this.method = Objects.requireNonNull(method, "method");
    }

    /**
     * A validator for one method; {@code Method.AUTO} detects the format most of the first 15 examples have (one odd
     * first line does not decide for the file).
     */
    public static DatasetValidator forMethod(Method method) {
        return new DatasetValidator(method);
    }

    /**
     * Uses the encoding and per-example token limit of an OpenAI model, and its training format: supervised files for
     * {@code babbage-002} and {@code davinci-002} (and their fine-tuned models) are prompt/completion lines, as OpenAI
     * requires ({@link #promptCompletion(boolean)}). Example: {@code .model("gpt-4.1-mini")}.
     */
    public DatasetValidator model(String model) {
        this.counter = TokenCounter.forModel(model);
        this.tokenLimit = ModelLimits.tokenLimitFor(model);
        this.countTokens = true;
        this.promptCompletion = ModelLimits.usesPromptCompletion(model);
        return this;
    }

    /**
     * Whether supervised files are in the legacy completions format of {@code babbage-002} and {@code davinci-002}:
     * each line exactly {@code {"prompt": "...", "completion": "..."}} (the prompt may be empty, the completion
     * may not), chat lines being errors; off by default, and {@link #model(String)} sets it as the model needs. An
     * example's tokens are its prompt's and its completion's, the completion's being the trained ones. It applies to
     * {@code SUPERVISED} and {@code AUTO} validators (which then detect nothing); preference and reinforcement files
     * keep their formats. Example: {@code DatasetValidator.forMethod(Method.SUPERVISED).localModel(128).promptCompletion(true)}.
     */
    public DatasetValidator promptCompletion(boolean on) {
        this.promptCompletion = on;
        return this;
    }

    /**
     * The rules of a finetune4j local model, the ones its server applies before a job starts: one token per UTF-8
     * byte, three per message for the chat template's markers and role line, and an example longer than the model's
     * context ({@code contextLength} tokens) is an error. A prompt/completion pair is trained as a user message and an
     * assistant message, and counted so. Example: {@code .localModel(256)}.
     */
    public DatasetValidator localModel(int contextLength) {
        tokenCounter(LOCAL_COUNTER);
        messageOverhead(LOCAL_OVERHEAD);
        promptCompletionOverhead = 2 * LOCAL_OVERHEAD.perMessage() + TokenCounter.utf8Length("user")
                + TokenCounter.utf8Length("assistant");
        tokenLimit(contextLength);
        return severity(Category.TOO_MANY_TOKENS, Severity.ERROR);
    }

    /** The name local models' token counts go by in reports. */
    static final String LOCAL_TOKENS = "finetune4j-bytes";
    /** A byte per token; a developer message's role line says {@code system}, as the local chat template writes it. */
    private static final TokenCounter LOCAL_COUNTER = new TokenCounter() {
        @Override
        public int count(String text) {
            return TokenCounter.utf8Length(text);
        }

        @Override
        public String name() {
            return LOCAL_TOKENS;
        }

        @Override
        public int countRole(String role) {
            return count("developer".equals(role) ? "system" : role);
        }
    };
    /** {@code <|start|>}, the newline after the role and {@code <|end|>}; the role's bytes count as text. */
    private static final MessageOverhead LOCAL_OVERHEAD = new MessageOverhead(3, 0, 0);

    /** Counts with a jtokkit encoding. Example: {@code .encoding(EncodingType.CL100K_BASE)}. */
    public DatasetValidator encoding(EncodingType encoding) {
        return tokenCounter(TokenCounter.of(encoding));
    }

    /** Counts with any tokenizer, e.g. the local server's: {@code .tokenCounter(TokenCounter.utf8Bytes())}. */
    public DatasetValidator tokenCounter(TokenCounter counter) {
        this.counter = Objects.requireNonNull(counter, "counter");
        this.countTokens = true;
        return this;
    }

    /** Maximum tokens per example; longer examples are reported as {@code too_many_tokens}. */
    public DatasetValidator tokenLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("token limit must be positive, got " + limit);
        }
        this.tokenLimit = limit;
        return this;
    }

    /** Tokens the chat format adds around messages; default {@link MessageOverhead#OPENAI_COOKBOOK}. */
    public DatasetValidator messageOverhead(MessageOverhead overhead) {
        this.overhead = Objects.requireNonNull(overhead, "overhead");
        return this;
    }

    /** Turns token counting on or off; off is several times faster, but then lengths and stats have no tokens. */
    public DatasetValidator countTokens(boolean on) {
        this.countTokens = on;
        return this;
    }

    /** Fewest examples the file must hold ({@value #OPENAI_MIN_EXAMPLES} by default; use 1 for validation files). */
    public DatasetValidator minExamples(int n) {
        this.minExamples = Math.max(0, n);
        return this;
    }

    /** How many problems the report keeps in full (all are counted). Default 100. */
    public DatasetValidator maxProblems(int n) {
        this.maxProblems = Math.max(0, n);
        return this;
    }

    /** Changes how a category weighs. Example: {@code .severity(Category.TOO_MANY_TOKENS, Severity.ERROR)}. */
    public DatasetValidator severity(Category category, Severity severity) {
        severities.put(Objects.requireNonNull(category), Objects.requireNonNull(severity));
        return this;
    }

    /**
     * Threads that validate chunks of the file in parallel (default: the processors, at most 4). Results are
     * the same for any number. With more than one, a custom {@link TokenCounter} must be thread-safe.
     */
    public DatasetValidator threads(int n) {
        this.threads = Math.max(1, n);
        return this;
    }

    /**
     * Bytes per chunk handed to a thread (default 1 MiB: a chunk is still in the processor caches when a worker
     * reads it); inputs smaller than a chunk stay on the calling thread.
     */
    DatasetValidator chunkBytes(int n) {
        this.chunkBytes = Math.max(16, n);
        return this;
    }

    /** The longest line read whole (default {@link FileChunks#defaultMaxLine()}); a longer one is a problem. */
    DatasetValidator maxLineBytes(int n) {
        this.maxLine = Math.max(16, n);
        return this;
    }

    /**
     * Validates a file. Example: {@code validator.validate(Path.of("train.jsonl"))}. The threads read the chunks of
     * a regular file themselves, in parallel; anything else (a pipe, a device) is read as a stream.
     */
    public ValidationReport validate(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return validate(in);
                }
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                byte[] head = new byte[FileEncoding.HEAD];
                int headLength = Math.max(0, channel.read(ByteBuffer.wrap(head), 0));
                FileEncoding.Finding finding = FileEncoding.check(head, headLength);
                if (finding != null) {
                    return new Run().refuse(finding, channel.size());
                }
                FileChunks chunks = new FileChunks(channel, chunkBytes, maxLine);
                int count = chunks.count();
                return new Run().validate(new Pieces() {
                    private int next;

                    @Override
                    public Piece next() {
                        return next < count ? new FilePiece(chunks, next++) : null;
                    }

                    @Override
                    public long size() {
                        return chunks.size();
                    }
                });
            } catch (FilePiece.ReadFailure e) {
                throw e.getCause();
            }
        } catch (IOException e) {
            throw FileErrors.cannotRead(file, e);
        }
    }

    /** Validates a stream (not closed here). Example: {@code validator.validate(System.in)}. */
    public ValidationReport validate(InputStream in) {
        // the first bytes are read ahead and pushed back: a pushback stream reads the rest straight from the source
        PushbackInputStream pushback = new PushbackInputStream(in, FileEncoding.HEAD);
        try {
            byte[] head = pushback.readNBytes(FileEncoding.HEAD);
            FileEncoding.Finding finding = FileEncoding.check(head, head.length);
            if (finding != null) {
                return new Run().refuse(finding, head.length);
            }
            pushback.unread(head);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset: " + e.getMessage(), e);
        }
        ChunkReader reader = new ChunkReader(pushback, chunkBytes, maxLine);
        return new Run().validate(() -> {
            ChunkReader.Chunk c = reader.next();
            return c == null ? null : new StreamPiece(reader, c);
        });
    }

    /** The input, cut into pieces of whole lines. */
    private interface Pieces {
        /** The next piece, or null at the end. */
        Piece next() throws IOException;

        /** The bytes of all pieces, or -1 when unknown (a stream). */
        default long size() {
            return -1;
        }
    }

    /** Whole lines of the input, validated by whichever thread takes them. */
    private interface Piece {
        /** The bytes it covers (all pieces together: the input less a byte-order mark). */
        long length();

        /** Finds the format most of the piece's first examples have, or null if it has none. */
        Method detect(ChunkValidator v);

        ChunkValidator.Result validate(ChunkValidator v, Method format);

        /** Called once the piece's result is merged: its buffer may be reused. */
        void done();
    }

    /** A chunk read from a stream by the calling thread. */
    private record StreamPiece(ChunkReader reader, ChunkReader.Chunk chunk) implements Piece {
        @Override
        public long length() {
            return chunk.length() + chunk.overlongLine();
        }

        @Override
        public Method detect(ChunkValidator v) {
            return v.detect(chunk.data(), chunk.length());
        }

        @Override
        public ChunkValidator.Result validate(ChunkValidator v, Method format) {
            return v.validate(chunk.data(), chunk.length(), format, chunk.overlongLine());
        }

        @Override
        public void done() {
            reader.recycle(chunk);
        }
    }

    /** A chunk of a file, read by the thread that validates it. */
    private record FilePiece(FileChunks file, int index) implements Piece {
        /** Carries a failed read out of a worker, to be reported with the file's name. */
        static final class ReadFailure extends UncheckedIOException {
            private static final long serialVersionUID = 1L;

            ReadFailure(IOException cause) {
                super(cause);
            }
        }

        @Override
        public long length() {
            return file.stretch(index);
        }

        @Override
        public Method detect(ChunkValidator v) {
            try {
                return v.detect(file, index);
            } catch (IOException e) {
                throw new ReadFailure(e);
            }
        }

        @Override
        public ChunkValidator.Result validate(ChunkValidator v, Method format) {
            try {
                return v.validate(file, index, format);
            } catch (IOException e) {
                throw new ReadFailure(e);
            }
        }

        @Override
        public void done() {
        }
    }

    Severity severityOf(Category c) {
        return severities.getOrDefault(c, c.defaultSeverity());
    }

    /** The rules one chunk of lines is checked by, keeping up to {@code problems} of its problems in full. */
    ChunkValidator.Settings chunkSettings(int problems) {
        TokenCounter tokens = countTokens ? (counter != null ? counter : TokenCounter.of(EncodingType.O200K_BASE)) : null;
        return new ChunkValidator.Settings(tokens, overhead, tokenLimit, problems, new EnumMap<>(severities),
                promptCompletion, promptCompletionOverhead, maxLine);
    }

    /** The format lines are checked as before any is read: null when it is detected from the first examples. */
    Method knownFormat() {
        // a prompt/completion file is a supervised one: there is nothing to detect
        return method != Method.AUTO ? method : promptCompletion ? Method.SUPERVISED : null;
    }

    /** The problem of a file with {@code nonBlank} non-blank lines of which {@code examples} are objects, or null. */
    Problem sizeProblem(long nonBlank, long examples) {
        if (nonBlank == 0) {
            return fileProblem(Category.EMPTY_FILE, "The file has no examples", Category.EMPTY_FILE.defaultHint());
        }
        if (examples < minExamples) {
            return fileProblem(Category.TOO_FEW_EXAMPLES, "The file has " + examples + (examples == 1 ? " example" : " examples")
                    + "; at least " + minExamples + " are required", minExamples == OPENAI_MIN_EXAMPLES
                    ? "Add examples: a training file needs at least " + minExamples + " (a validation file needs one:"
                            + " validate it with DatasetValidator.forMethod(...).minExamples(1))."
                    : "Add examples: the file needs at least " + minExamples + ".");
        }
        return null;
    }

    Problem fileProblem(Category category, String message, String hint) {
        return new Problem(0, "", category, severityOf(category), message, hint);
    }

    /** The problem of a line identical to an earlier one: one wording for the report and the cleaner. */
    static Problem duplicate(long line, long previous, Severity severity) {
        return new Problem(line, "", Category.DUPLICATE_EXAMPLE, severity,
                "Line " + line + ": the example is identical to line " + previous, Category.DUPLICATE_EXAMPLE.defaultHint());
    }

    /** The state of one validation: chunks go to workers, results are merged in file order. */
    private final class Run {
        private final ChunkValidator.Settings settings;
        private final ValidationReport.Builder report = new ValidationReport.Builder(maxProblems);
        private final LongIntMap seen = new LongIntMap();
        private final DatasetStats stats;
        private final Severity duplicateSeverity = severityOf(Category.DUPLICATE_EXAMPLE);
        private Method format = knownFormat();
        private long linesBefore;
        private long nonBlank;
        private long examples;
        private long bytes;
        private long mergedBytes;
        private long expectedBytes = -1;

        Run() {
            settings = chunkSettings(maxProblems);
            TokenCounter tokens = settings.counter();
            stats = new DatasetStats(tokens == null ? "none" : tokens.name(), tokenLimit, tokens != null,
                    promptCompletion && format == Method.SUPERVISED);
        }

        ValidationReport validate(Pieces pieces) {
            long started = System.nanoTime();
            expectedBytes = pieces.size();
            ThreadLocal<ChunkValidator> validators = ThreadLocal.withInitial(() -> new ChunkValidator(settings));
            ExecutorService pool = null;
            Deque<Future<ChunkValidator.Result>> pending = new ArrayDeque<>();
            Deque<Piece> inFlight = new ArrayDeque<>();
            try {
                Piece piece;
                while ((piece = pieces.next()) != null) {
                    bytes += piece.length();
                    if (format == null) {
                        format = piece.detect(validators.get());
                    }
                    Piece c = piece;
                    Method f = format;
                    if (threads <= 1 || (pool == null && bytes < chunkBytes && pending.isEmpty())) {
                        // small inputs (and threads(1)) stay on the caller's thread
                        merge(c.validate(validators.get(), f));
                        c.done();
                        continue;
                    }
                    if (pool == null) {
                        pool = Executors.newFixedThreadPool(threads, r -> {
                            Thread t = new Thread(r, "dataset-validator");
                            t.setDaemon(true);
                            return t;
                        });
                    }
                    pending.add(pool.submit(() -> c.validate(validators.get(), f)));
                    inFlight.add(c);
                    if (pending.size() >= threads * 4) {
                        merge(await(pending.poll()));
                        inFlight.poll().done();
                    }
                }
                while (!pending.isEmpty()) {
                    merge(await(pending.poll()));
                    inFlight.poll().done();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the dataset after line " + linesBefore + ": " + e.getMessage(), e);
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
            Problem size = sizeProblem(nonBlank, examples);
            if (size != null) {
                addFileProblem(size);
            }
            return report.build(format, promptCompletion && format == Method.SUPERVISED, examples, linesBefore, bytes, stats,
                    System.nanoTime() - started);
        }

        /** The report of an input that is not UTF-8 JSONL: one problem of the whole file, no line checked. */
        ValidationReport refuse(FileEncoding.Finding finding, long size) {
            addFileProblem(fileProblem(Category.BAD_ENCODING, finding.message(), finding.hint()));
            return report.build(format, false, 0, 0, size, stats, 0);
        }

        private ChunkValidator.Result await(Future<ChunkValidator.Result> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("validation interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error error) {
                    throw error; // an OutOfMemoryError stays one, for the caller to tell apart
                }
                throw new IllegalStateException(cause);
            }
        }

        /** Adds a chunk's results: numbers its lines, finds duplicates against all earlier lines, keeps file order. */
        private void merge(ChunkValidator.Result r) {
            long base = linesBefore;
            if (nonBlank == 0) {
                ChunkValidator.diagnoseMultiLineJson(r);
            }
            List<Problem> duplicates = new ArrayList<>();
            for (int i = 0; i < r.hashCount; i++) {
                long line = base + r.hashLines[i];
                int previous = seen.putIfAbsent(r.hashes[i], (int) Math.min(line, Integer.MAX_VALUE));
                if (!LongIntMap.isAbsent(previous)) {
                    report.count(Category.DUPLICATE_EXAMPLE, duplicateSeverity, 1);
                    Problem p = duplicate(line, previous, duplicateSeverity);
                    if (duplicates.size() < maxProblems || p.isError()) {
                        duplicates.add(p);
                    }
                }
            }
            r.counts.forEach((c, n) -> report.count(c, settings.severityOf(c), n));
            // keep problems in line order: the chunk's own (already ordered) and the duplicates found here
            Problem firstChunkError = r.firstError == null ? null : r.firstError.numbered(base);
            Problem firstDuplicateError = duplicates.stream().filter(Problem::isError).findFirst().orElse(null);
            if (firstChunkError != null && (firstDuplicateError == null || firstChunkError.line() <= firstDuplicateError.line())) {
                report.firstError(firstChunkError);
            } else {
                report.firstError(firstDuplicateError);
            }
            int i = 0;
            int j = 0;
            while (!report.full() && (i < r.problems.size() || j < duplicates.size())) {
                boolean takeLocal = j >= duplicates.size()
                        || (i < r.problems.size() && base + r.problems.get(i).line() <= duplicates.get(j).line());
                report.keep(takeLocal ? r.problems.get(i++).numbered(base) : duplicates.get(j++));
            }
            stats.merge(r.stats);
            linesBefore += r.lines;
            nonBlank += r.nonBlank;
            examples += r.examples;
            if (expectedBytes > 0 && mergedBytes == 0 && r.bytes > 0) {
                // the first chunk tells how many examples the file holds, about: size the duplicate table once for
                // them rather than grow it as it fills (a grown table has more slack), within two thirds of the heap
                // in case the estimate is wrong
                long expected = r.examples * expectedBytes / r.bytes;
                long affordable = Runtime.getRuntime().maxMemory() * 2 / 3 / LongIntMap.SIZED_BYTES_PER_KEY;
                seen.ensureCapacity((int) Math.min(Math.min(expected, affordable), Integer.MAX_VALUE / 2));
            }
            mergedBytes += r.bytes;
        }

        private void addFileProblem(Problem p) {
            report.count(p.category(), p.severity(), 1);
            report.keep(p);
            report.firstError(p);
        }
    }
}
