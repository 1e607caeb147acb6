package dev.finetune4j.data;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Counts the tokens of a piece of text. Chat overhead (tokens per message, reply priming) is added by the
 * validator on top of these counts, see {@link MessageOverhead}.
 * Example: {@code TokenCounter.forModel("gpt-4o-mini").count("Hello")}.
 */
@FunctionalInterface
public interface TokenCounter {

    /** Number of tokens of {@code text}. */
    int count(String text);

    /** A name for reports, e.g. {@code o200k_base}. */
    default String name() {
        return "custom";
    }

    /** Tokens of a message's role as the model's prompt names it; by default those of the role's text. */
    default int countRole(String role) {
        return count(role);
    }

    /** jtokkit counting in the encoding of an OpenAI model. Example: {@code TokenCounter.forModel("gpt-4.1")}. */
    static TokenCounter forModel(String model) {
        return of(ModelLimits.encodingFor(model));
    }

    /** jtokkit counting in a given encoding. Example: {@code TokenCounter.of(EncodingType.CL100K_BASE)}. */
    static TokenCounter of(EncodingType type) {
        if (type == EncodingType.O200K_BASE) {
            return O200kCounter.shared();
        }
        Encoding encoding = Registry.INSTANCE.getEncoding(type);
        return new TokenCounter() {
            @Override
            public int count(String text) {
                // special-token strings in training data are ordinary text, as the API treats them
                return TokenSlices.count(text, encoding::countTokensOrdinary);
            }

            @Override
            public String name() {
                return type.getName();
            }
        };
    }

    /** Wraps any counting function, e.g. a byte-level tokenizer: {@code TokenCounter.of("bytes", s -> ...)}. */
    static TokenCounter of(String name, ToIntFunction<String> counter) {
        Objects.requireNonNull(counter, "counter");
        return new TokenCounter() {
            @Override
            public int count(String text) {
                return counter.applyAsInt(text);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** One token per UTF-8 byte, as a byte-level model sees text. */
    static TokenCounter utf8Bytes() {
        return of("utf8_bytes", TokenCounter::utf8Length);
    }

    /** The UTF-8 length of {@code text}, counted without encoding it (a lone surrogate counts as its replacement, 3). */
    static int utf8Length(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                n += 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Lazily loaded jtokkit encodings (loading one takes a few hundred milliseconds). */
    final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();

        private Registry() {}

        /**
         * The base model of a name, lower case: {@code ft:BASE:org::id} gives BASE, and Azure's deployment names
         * ({@code gpt-35-turbo-0613}) OpenAI's ({@code gpt-3.5-turbo-0613}).
         */
        static String normalise(String model) {
            String m = ModelLimits.baseModel(model).toLowerCase(Locale.ROOT);
            return m.startsWith("gpt-35") ? "gpt-3.5" + m.substring("gpt-35".length()) : m;
        }
    }
}
