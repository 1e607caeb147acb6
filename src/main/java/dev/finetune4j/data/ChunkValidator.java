package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates one chunk of whole lines: every rule that needs only the line itself. Line numbers here are local
 * to the chunk; duplicates across lines, file-level checks and numbering are done when chunks are merged in order.
 * One instance per thread (it reuses its scanner).
 */
final class ChunkValidator implements ExampleRules.Sink {

    /**
     * Settings shared by all chunks of one validation. {@code promptCompletion}: supervised examples are in the legacy
     * prompt/completion format, around whose two texts the model adds {@code promptCompletionOverhead} tokens.
     */
    record Settings(TokenCounter counter, MessageOverhead overhead, int tokenLimit, int maxProblems,
                    Map<Category, Severity> severities, boolean promptCompletion, int promptCompletionOverhead, int maxLine) {
        Severity severityOf(Category c) {
            return severities.getOrDefault(c, c.defaultSeverity());
        }
    }

    /** A problem with a line number local to its chunk and a message without the "Line N: " prefix. */
    record LocalProblem(long line, String path, Category category, Severity severity, String text, String hint) {
        /** The problem as reported, for a chunk that starts after line {@code base} of the file. */
        Problem numbered(long base) {
            long n = base + line;
            return new Problem(n, path, category, severity, "Line " + n + ": " + text, hint);
        }
    }

    /** What a chunk produced. */
    static final class Result {
        long bytes;
        long lines;
        long nonBlank;
        long examples;
        final List<LocalProblem> problems = new ArrayList<>();
        LocalProblem firstError;
        /**
         * The problem of the chunk's first non-blank line when it is invalid JSON and no one-line object (a lone "{" or
         * "["), else null: in the file's first chunk, the sign of a pretty-printed JSON file or a JSON array.
         */
        LocalProblem firstLineInPieces;
        final Map<Category, Long> counts = new EnumMap<>(Category.class);
        long[] hashes;
        int[] hashLines;
        int hashCount;
        DatasetStats stats;

        Result(int expectedExamples) {
            hashes = new long[expectedExamples];
            hashLines = new int[expectedExamples];
        }

        void addHash(long hash, long line) {
            if (hashCount == hashes.length) {
                hashes = Arrays.copyOf(hashes, Math.max(256, hashCount * 2));
                hashLines = Arrays.copyOf(hashLines, Math.max(256, hashCount * 2));
            }
            hashes[hashCount] = hash;
            hashLines[hashCount++] = (int) line;
        }
    }

    private final Settings settings;
    private final int maxLine;
    /** Jackson's scanner, created on the first line the fast path declines (loading Jackson costs a cold JVM ~0.1 s). */
    private ExampleScanner scanner;
    private final FastExampleScanner fast;
    private Result result;
    private long line;
    private Method format;
    /** Whether the chunk's examples are prompt/completion pairs (a supervised file in the legacy format). */
    private boolean promptCompletion;
    /** This thread's buffer for the chunks of a file it reads itself. */
    private byte[] buffer = new byte[0];

    ChunkValidator(Settings settings) {
        this.settings = settings;
        this.maxLine = settings.maxLine();
        this.fast = settings.counter() == null ? new FastExampleScanner() : null;
    }

    /** Facts of a line: from the fast path when it can vouch for the line, else from Jackson (which may throw). */
    private ExampleFacts scan(byte[] data, int start, int length) throws IOException {
        if (fast != null) {
            ExampleFacts facts = fast.scan(data, start, length);
            if (facts != null) {
                return facts;
            }
        }
        return jackson().scan(data, start, length);
    }

    private ExampleScanner jackson() {
        if (scanner == null) {
            scanner = new ExampleScanner(settings.counter());
        }
        return scanner;
    }

    /** Examples whose formats are counted to detect a file's: one odd first line does not decide for all. */
    private static final int DETECTION_SAMPLE = 15;

    /**
     * Finds the format most of the chunk's first {@value #DETECTION_SAMPLE} JSON objects have (a tie goes to the
     * format seen first), or null if the chunk has no object.
     */
    Method detect(byte[] data, int length) {
        return detect(data, 0, length);
    }

    private Method detect(byte[] data, int from, int to) {
        JsonlLines lines = new JsonlLines(data, from, to);
        Map<Method, Integer> votes = new LinkedHashMap<>();
        int seen = 0;
        try {
            while (seen < DETECTION_SAMPLE && lines.next()) {
                if (lines.isBlank()) {
                    continue;
                }
                try {
                    ExampleFacts facts = scan(lines.buffer(), lines.start(), lines.length());
                    if (facts.rootToken() == JsonToken.START_OBJECT) {
                        votes.merge(ExampleRules.detect(facts), 1, Integer::sum);
                        seen++;
                    }
                } catch (JsonProcessingException e) {
                    // an invalid line says nothing about the format
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Method best = null;
        for (var v : votes.entrySet()) if (best == null || v.getValue() > votes.get(best)) best = v.getKey();
        return best;
    }

    /** Validates the lines of {@code data[0, length)} as examples of {@code format} (null: the chunk has no object). */
    Result validate(byte[] data, int length, Method format) {
        return validate(data, 0, length, format, 0);
    }

    /** {@link #validate(byte[], int, Method)}, then a line of {@code overlongLine} bytes that was too long to read. */
    Result validate(byte[] data, int length, Method format, long overlongLine) {
        return validate(data, 0, length, format, overlongLine);
    }

    /** Reads chunk {@code k} of a file into this thread's buffer and validates it. */
    Result validate(FileChunks file, int k, Method format) throws IOException {
        FileChunks.Lines lines = read(file, k);
        return validate(lines.data(), lines.from(), lines.to(), format, lines.overlongLine());
    }

    /** {@link #detect(byte[], int)} for chunk {@code k} of a file. */
    Method detect(FileChunks file, int k) throws IOException {
        FileChunks.Lines lines = read(file, k);
        return detect(lines.data(), lines.from(), lines.to());
    }

    private FileChunks.Lines read(FileChunks file, int k) throws IOException {
        FileChunks.Lines lines = file.read(k, buffer);
        buffer = lines.data();
        return lines;
    }

    /** Validates the lines of {@code data[from, to)}, then the over-long line that follows them, if any. */
    private Result validate(byte[] data, int from, int to, Method format, long overlongLine) {
        // sized from this thread's previous chunk: growing the arrays in every chunk made a third of a pass's garbage,
        // and fresh memory is slow to touch on some virtual machines
        this.result = new Result(result == null ? 256 : (int) Math.min(result.examples + result.examples / 8 + 16, 1 << 20));
        result.bytes = to - from;
        this.format = format;
        this.promptCompletion = settings.promptCompletion() && format == Method.SUPERVISED;
        this.line = 0;
        result.stats = new DatasetStats(settings.counter() == null ? "none" : settings.counter().name(), settings.tokenLimit(),
                settings.counter() != null, promptCompletion);
        // the fast path finds each line's end while scanning it; other lines are cut as JsonlLines cuts them
        int p = from;
        try {
            while (p < to) {
                line++;
                int lineEnd = fast == null ? -1 : fast.scanLine(data, p, to);
                if (lineEnd >= 0 && lineEnd - p <= maxLine) {
                    result.nonBlank++;
                    example(fast.facts(), data, p, lineEnd - p);
                } else {
                    lineEnd = JsonlLines.indexOfNewline(data, p, to);
                    if (lineEnd < 0) {
                        lineEnd = to;
                    }
                    int contentEnd = lineEnd > p && data[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
                    // the readers skip lines over the limit without keeping them, unless one fitted in a buffer
                    if (contentEnd - p > maxLine) {
                        overlong(contentEnd - p);
                    } else {
                        validateLine(data, p, contentEnd - p);
                    }
                }
                p = lineEnd + 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (overlongLine > 0) {
            line++;
            overlong(overlongLine);
        }
        result.lines = line;
        return result;
    }

    private void overlong(long bytes) {
        result.nonBlank++;
        add("", Category.LINE_TOO_LONG, String.format("the line is %s long; lines are limited to %s"
                + " (64 MB, or an eighth of the heap when that is less)", megabytes(bytes), megabytes(settings.maxLine())),
                Category.LINE_TOO_LONG.defaultHint());
    }

    /**
     * Whether an invalid first line is the start of a pretty-printed JSON file or a JSON array: a lone {@code {} or a
     * line that opens an array. A one-line object cut short, or followed by a comment, is a line of its own.
     */
    static boolean opensAWholeFile(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t' || b[to - 1] == '\r')) {
            to--;
        }
        return to > from && (b[from] == '[' || (to - from == 1 && b[from] == '{'));
    }

    /** A key Jackson found twice in one object: the object's path (empty for the example itself) and the name. */
    private record DuplicateKey(String object, String name) {
        static DuplicateKey of(JsonProcessingException e) {
            if (e instanceof StreamReadException read && read.getProcessor() != null
                    && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field '")) {
                JsonStreamContext object = read.getProcessor().getParsingContext();
                return new DuplicateKey(pathOf(object), object.getCurrentName());
            }
            return null;
        }

        String path() {
            return object.isEmpty() || name.isEmpty() ? object + name : object + "." + name;
        }

        /** Where a structure sits in the example, written as the validator writes paths: {@code messages[1]}. */
        private static String pathOf(JsonStreamContext context) {
            JsonStreamContext parent = context.getParent();
            if (parent == null || parent.inRoot()) {
                return "";
            }
            String at = pathOf(parent);
            return parent.inArray() ? at + "[" + parent.getCurrentIndex() + "]"
                    : (at.isEmpty() ? "" : at + ".") + parent.getCurrentName();
        }
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }

    private void validateLine(byte[] data, int start, int length) throws IOException {
        if (isBlank(data, start, length)) {
            add("", Category.BLANK_LINE, "the line is empty", Category.BLANK_LINE.defaultHint());
            return;
        }
        result.nonBlank++;
        ExampleFacts facts;
        try {
            facts = jackson().scan(data, start, length);
        } catch (JsonProcessingException e) {
            int bad = Utf8.firstInvalid(data, start, start + length);
            DuplicateKey dup = DuplicateKey.of(e);
            if (bad >= 0) {
                // Jackson's "Invalid UTF-8 start byte" would get the JSON fix; the file's encoding is what to fix
                add("", Category.BAD_ENCODING, "not valid UTF-8 at column " + (Utf8.chars(data, start, bad) + 1)
                        + " (the file may be Latin-1/Windows-1252)", "Save the file as UTF-8.");
            } else if (dup != null && !dup.object().startsWith("[")) {
                add(dup.path(), Category.DUPLICATE_KEY, (dup.object().isEmpty() ? "the example" : dup.object())
                        + " has the key '" + dup.name() + "' twice", Category.DUPLICATE_KEY.defaultHint());
            } else if (dup != null) {
                // a repeated key inside an array line: the line being no object is what to fix first
                add("", Category.WRONG_TOP_LEVEL_TYPE, "the line is an array, not a JSON object",
                        Category.WRONG_TOP_LEVEL_TYPE.defaultHint());
            } else {
                LocalProblem p = add("", Category.INVALID_JSON, "invalid JSON" + describe(e, data, start, length),
                        Category.INVALID_JSON.defaultHint());
                if (result.nonBlank == 1 && opensAWholeFile(data, start, start + length)) {
                    result.firstLineInPieces = p;
                }
            }
            return;
        }
        if (facts.rootToken() != JsonToken.START_OBJECT) {
            add("", Category.WRONG_TOP_LEVEL_TYPE, "the line is " + ExampleRules.typeName(facts.rootToken()) + ", not a JSON object",
                    Category.WRONG_TOP_LEVEL_TYPE.defaultHint());
            return;
        }
        example(facts, data, start, length);
    }

    private void example(ExampleFacts facts, byte[] data, int start, int length) {
        result.examples++;
        if (promptCompletion) {
            ExampleRules.checkPromptCompletion(facts, this);
        } else {
            ExampleRules.check(facts, format, this);
        }
        result.addHash(LineHash.of(data, start, length), line);
        if (promptCompletion) {
            measurePromptCompletion(facts);
        } else {
            measure(facts);
        }
    }

    /** Same rule as {@link JsonlLines#isBlank()}. */
    private static boolean isBlank(byte[] b, int start, int length) {
        for (int i = start, end = start + length; i < end; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private void measure(ExampleFacts f) {
        MessageList main = format == Method.DPO ? f.inputMessages : f.messages;
        int count = main.isArray() ? main.size() : 0;
        DatasetStats stats = result.stats;
        stats.addExample(count);
        if (f.imageParts > 0) {
            stats.addExampleWithImages();
        }
        TokenCounter tokens = settings.counter();
        if (tokens == null) {
            return;
        }
        MessageOverhead overhead = settings.overhead();
        int total = overhead.perExample() + f.toolTokens;
        int trained = 0;
        for (int i = 0; i < count; i++) {
            MessageFacts m = main.get(i);
            int t = messageTokens(m);
            total += t;
            stats.addRole(m.role(), t);
            if ("assistant".equals(m.role()) && !m.weightZero() && format != Method.DPO) {
                trained += m.textTokens;
            }
        }
        if (format == Method.DPO) {
            int preferred = outputTokens(f.preferred, true);
            int rejected = outputTokens(f.nonPreferred, false);
            total += Math.max(preferred, rejected);
            for (int i = 0; f.preferred.isArray() && i < f.preferred.size(); i++) {
                trained += f.preferred.get(i).textTokens;
            }
        }
        stats.addTokens(total, trained);
        checkLength(total);
    }

    /** A prompt and a completion, measured as two texts (the stats' "messages") of which the completion is trained. */
    private void measurePromptCompletion(ExampleFacts f) {
        DatasetStats stats = result.stats;
        stats.addExample(2);
        if (settings.counter() == null) {
            return;
        }
        int prompt = f.prompt == null ? 0 : f.prompt.textTokens;
        int completion = f.completion == null ? 0 : f.completion.textTokens;
        stats.addRole("prompt", prompt);
        stats.addRole("completion", completion);
        int total = settings.promptCompletionOverhead() + prompt + completion;
        stats.addTokens(total, completion);
        checkLength(total);
    }

    private void checkLength(int total) {
        TokenCounter tokens = settings.counter();
        if (total > settings.tokenLimit()) {
            add("", Category.TOO_MANY_TOKENS, String.format("the example has %,d tokens, more than the %,d-token limit (%s)",
                    total, settings.tokenLimit(), tokens.name()), settings.severityOf(Category.TOO_MANY_TOKENS) == Severity.ERROR
                            ? "Shorten the example or split it: a job refuses examples longer than the model's limit."
                            : Category.TOO_MANY_TOKENS.defaultHint());
        }
    }

    private int outputTokens(MessageList out, boolean recordRole) {
        int sum = 0;
        for (int i = 0; out.isArray() && i < out.size(); i++) {
            int t = messageTokens(out.get(i));
            sum += t;
            if (recordRole) {
                result.stats.addRole("assistant (preferred)", t);
            }
        }
        return sum;
    }

    private int messageTokens(MessageFacts m) {
        MessageOverhead o = settings.overhead();
        return o.perMessage() + m.roleTokens + m.textTokens + (m.hasName() ? o.perName() : 0);
    }

    @Override
    public void report(String path, Category category, String text, String hint) {
        add(path, category, text, hint);
    }

    /** Counts a problem and keeps it if there is room or it is the first error; returns it, or null when not kept. */
    private LocalProblem add(String path, Category category, String text, String hint) {
        Severity severity = settings.severityOf(category);
        result.counts.merge(category, 1L, Long::sum);
        boolean keep = result.problems.size() < settings.maxProblems();
        boolean first = severity == Severity.ERROR && result.firstError == null;
        if (keep || first) {
            LocalProblem p = new LocalProblem(line, path, category, severity, text, hint);
            if (keep) {
                result.problems.add(p);
            }
            if (first) {
                result.firstError = p;
            }
            return p;
        }
        return null;
    }

    /**
     * The problem of the chunk's first line, said as what it is when that line starts the file: a pretty-printed JSON
     * file or a JSON array, which a line-by-line reading cuts into invalid pieces.
     */
    static void diagnoseMultiLineJson(Result r) {
        LocalProblem p = r.firstLineInPieces;
        if (p == null) {
            return;
        }
        LocalProblem diagnosed = new LocalProblem(p.line(), p.path(), p.category(), p.severity(),
                p.text() + " (the file looks like pretty-printed JSON or a JSON array, not JSONL)", MULTI_LINE_HINT);
        int i = r.problems.indexOf(p);
        if (i >= 0) {
            r.problems.set(i, diagnosed);
        }
        if (r.firstError == p) {
            r.firstError = diagnosed;
        }
    }

    private static final String MULTI_LINE_HINT = "Write each example as one JSON object on its own line (JSONL): jq -c '.[]'"
            + " data.json > data.jsonl turns an array of examples into lines, jq -c . data.json > data.jsonl pretty-printed"
            + " objects; in Python, json.dumps(example) without indent, one per line.";

    /** Jackson's note of where a structure began, {@code [Source: ...; line: 1, column: 1]}: the column is what helps. */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: .*?; line: \\d+, column: (\\d+)\\]");

    /**
     * {@code " at column 12: Unexpected character ..."}, the parser's words without its source description. The parser
     * counts columns in bytes; they are given in characters, as an editor shows them.
     */
    static String describe(JsonProcessingException e, byte[] line, int start, int length) {
        String what = e.getOriginalMessage() == null ? ""
                : inUsersTerms(SOURCE.matcher(e.getOriginalMessage().replace('\n', ' '))
                        .replaceAll(m -> "column " + charColumn(Integer.parseInt(m.group(1)), line, start, length)));
        if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
            int column = e.getLocation().getColumnNr();
            Matcher nonNumeric = NON_NUMERIC.matcher(e.getOriginalMessage());
            if (nonNumeric.matches() && column > nonNumeric.group(1).length()) {
                // the parser stands past a NaN or Infinity; the column points at its start, as for other tokens
                column -= nonNumeric.group(1).length();
            }
            return " at column " + charColumn(column, line, start, length) + ": " + what;
        }
        return ": " + what;
    }

    private static final Pattern NON_NUMERIC = Pattern.compile("^Non-standard token '([-+]?\\w+)'.*", Pattern.DOTALL);
    private static final Pattern PYTHON_LITERAL = Pattern.compile("^Unrecognized token '(True|False|None)'.*");
    /** Parser advice to turn on one of its features: the file is to be fixed, not the parser. */
    private static final Pattern FEATURE_ADVICE = Pattern.compile(
            ":? ?(enable `JsonReadFeature\\.\\w+` to allow|\\(not recognized as one since Feature '\\w+' not enabled for parser\\))");

    /**
     * Jackson's message for what Python, JavaScript or a hand-edited file write and JSON forbids, said in the file's
     * terms; other messages as they are, without the parser's advice to turn on one of its features.
     */
    static String inUsersTerms(String what) {
        Matcher m = NON_NUMERIC.matcher(what);
        if (m.matches()) {
            return m.group(1) + " is not JSON (Python's json.dumps writes it unless allow_nan=False): write null or a number";
        }
        m = PYTHON_LITERAL.matcher(what);
        if (m.matches()) {
            String json = m.group(1).equals("None") ? "null" : m.group(1).toLowerCase(Locale.ROOT);
            return m.group(1) + " is Python, not JSON (str() or repr() of a dict, not json.dumps): write " + json;
        }
        if (what.contains("maybe a (non-standard) comment?") || what.startsWith("Unexpected character ('#' (code 35))")) {
            return "comments are not JSON: remove the comment";
        }
        if (what.startsWith("Unexpected character (''' (code 39))")) {
            return "single quotes are not JSON (Python's str() of a dict writes them): quote with \"";
        }
        if (what.contains("JSON spec does not allow numbers to have plus signs")) {
            return "a JSON number has no plus sign: remove the '+'";
        }
        return FEATURE_ADVICE.matcher(what).replaceAll("");
    }

    /** The 1-based character column of a 1-based byte column of the line. */
    private static int charColumn(int byteColumn, byte[] line, int start, int length) {
        return Utf8.chars(line, start, start + Math.min(byteColumn - 1, length)) + 1;
    }
}
