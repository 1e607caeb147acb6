package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Validates a JSONL training file for a fine-tuning method, streaming: memory stays constant whatever the file
 * size, except for duplicate detection, which keeps a 64-bit hash and a line number per distinct example (about
 * 16 bytes each, see {@link LineHash}). The same validator runs in user code and in the local server.
 *
 * <pre>{@code
 * ValidationReport report = DatasetValidator.forMethod(Method.SUPERVISED).model("gpt-4o-mini").validate(path);
 * }</pre>
 *
 * By default tokens are counted with jtokkit in o200k_base with a 65,536-token limit per example, plus the
 * cookbook's per-message overhead ({@link MessageOverhead#OPENAI_COOKBOOK}); {@link #model(String)} picks the
 * encoding and limit of a model. Configure, then call {@code validate} as often as needed.
 */
public final class DatasetValidator {
    /** OpenAI requires at least this many examples in a training file. */
    public static final int OPENAI_MIN_EXAMPLES = 10;

    private final Method method;
    private TokenCounter counter;
    private boolean countTokens = true;
    private int tokenLimit = ModelLimits.DEFAULT_TOKEN_LIMIT;
    private MessageOverhead overhead = MessageOverhead.OPENAI_COOKBOOK;
    private int minExamples = OPENAI_MIN_EXAMPLES;
    private int maxProblems = 100;
    private final Map<Category, Severity> severities = new EnumMap<>(Category.class);

    private DatasetValidator(Method method) {
        this.method = Objects.requireNonNull(method, "method");
    }

    /** A validator for one method; {@code Method.AUTO} detects the format from the first example. */
    public static DatasetValidator forMethod(Method method) {
        return new DatasetValidator(method);
    }

    /** Uses the encoding and per-example token limit of an OpenAI model. Example: {@code .model("gpt-4.1-mini")}. */
    public DatasetValidator model(String model) {
        this.counter = TokenCounter.forModel(model);
        this.tokenLimit = ModelLimits.tokenLimitFor(model);
        this.countTokens = true;
        return this;
    }

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

    /** Validates a file. Example: {@code validator.validate(Path.of("train.jsonl"))}. */
    public ValidationReport validate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return validate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Validates a stream (not closed here). */
    public ValidationReport validate(InputStream in) {
        return new Run().validate(in);
    }

    private Severity severityOf(Category c) {
        return severities.getOrDefault(c, c.defaultSeverity());
    }

    /** The state of one validation: what is found is kept here, so a validator can be reused. */
    private final class Run implements ExampleRules.Sink {
        private final TokenCounter tokens = countTokens ? (counter != null ? counter : TokenCounter.of(EncodingType.O200K_BASE)) : null;
        private final ExampleScanner scanner = new ExampleScanner(tokens);
        private final ValidationReport.Builder report = new ValidationReport.Builder(maxProblems);
        private final LongIntMap seen = new LongIntMap();
        private final DatasetStats stats = new DatasetStats(tokens == null ? "none" : tokens.name(), tokenLimit, tokens != null);
        private Method format = method == Method.AUTO ? null : method;
        private long line;

        ValidationReport validate(InputStream in) {
            long started = System.nanoTime();
            long nonBlank = 0;
            long examples = 0;
            JsonlLines lines = new JsonlLines(in);
            try {
                while (lines.next()) {
                    line = lines.lineNumber();
                    if (lines.isBlank()) {
                        add("", Category.BLANK_LINE, "the line is empty", Category.BLANK_LINE.defaultHint());
                        continue;
                    }
                    nonBlank++;
                    ExampleFacts facts;
                    try {
                        facts = scanner.scan(lines.buffer(), lines.start(), lines.length());
                    } catch (JsonProcessingException e) {
                        add("", Category.INVALID_JSON, "invalid JSON" + describe(e), Category.INVALID_JSON.defaultHint());
                        continue;
                    }
                    if (facts.rootToken != JsonToken.START_OBJECT) {
                        add("", Category.WRONG_TOP_LEVEL_TYPE, "the line is " + ExampleRules.typeName(facts.rootToken) + ", not a JSON object",
                                Category.WRONG_TOP_LEVEL_TYPE.defaultHint());
                        continue;
                    }
                    examples++;
                    if (format == null) {
                        format = ExampleRules.detect(facts);
                    }
                    ExampleRules.check(facts, format, this);
                    int previous = seen.putIfAbsent(LineHash.of(lines.buffer(), lines.start(), lines.length()), (int) Math.min(line, Integer.MAX_VALUE));
                    if (!LongIntMap.isAbsent(previous)) {
                        add("", Category.DUPLICATE_EXAMPLE, "the example is identical to line " + previous, Category.DUPLICATE_EXAMPLE.defaultHint());
                    }
                    measure(facts);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the dataset after line " + line + ": " + e.getMessage(), e);
            }
            line = 0;
            if (nonBlank == 0) {
                add("", Category.EMPTY_FILE, "the file has no examples", Category.EMPTY_FILE.defaultHint());
            } else if (examples < minExamples) {
                add("", Category.TOO_FEW_EXAMPLES, "the file has " + examples + (examples == 1 ? " example" : " examples") + "; at least " + minExamples + " are required",
                        "Add examples: the file needs at least " + minExamples + ".");
            }
            return report.build(format, examples, lines.lineNumber(), lines.bytesConsumed(), stats, System.nanoTime() - started);
        }

        private void measure(ExampleFacts f) {
            MessageList main = format == Method.DPO ? f.inputMessages : f.messages;
            int count = main.isArray() ? main.size() : 0;
            stats.addExample(count);
            if (tokens == null) {
                return;
            }
            int total = overhead.perExample() + f.toolTokens;
            int trained = 0;
            for (int i = 0; i < count; i++) {
                MessageFacts m = main.get(i);
                int t = messageTokens(m);
                total += t;
                stats.addRole(m.role, t);
                if ("assistant".equals(m.role) && !m.weightZero() && format != Method.DPO) {
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
            stats.addTokens(total, Math.max(0, trained));
            if (total > tokenLimit) {
                add("", Category.TOO_MANY_TOKENS, String.format("the example has %,d tokens, more than the %,d-token limit (%s)", total, tokenLimit, tokens.name()),
                        Category.TOO_MANY_TOKENS.defaultHint());
            }
        }

        private int outputTokens(MessageList out, boolean recordRole) {
            int sum = 0;
            for (int i = 0; out.isArray() && i < out.size(); i++) {
                int t = messageTokens(out.get(i));
                sum += t;
                if (recordRole) {
                    stats.addRole("assistant (preferred)", t);
                }
            }
            return sum;
        }

        private int messageTokens(MessageFacts m) {
            return overhead.perMessage() + m.roleTokens + m.textTokens + (m.hasName ? overhead.perName() : 0);
        }

        @Override
        public void report(String path, Category category, String text, String hint) {
            add(path, category, text, hint);
        }

        private void add(String path, Category category, String text, String hint) {
            String message = (line > 0 ? "Line " + line + ": " : "") + text;
            if (line == 0) {
                message = Character.toUpperCase(message.charAt(0)) + message.substring(1);
            }
            report.add(new Problem(line, path, category, severityOf(category), message, hint));
        }
    }

    private static String describe(JsonProcessingException e) {
        String what = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().replace('\n', ' ');
        int cut = what.indexOf(" at [Source");
        if (cut >= 0) {
            what = what.substring(0, cut);
        }
        if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
            return " at column " + e.getLocation().getColumnNr() + ": " + what;
        }
        return ": " + what;
    }
}
