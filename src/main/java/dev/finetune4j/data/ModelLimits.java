package dev.finetune4j.data;

import com.knuddels.jtokkit.api.EncodingType;

/**
 * Tokenizer encodings and per-example training token limits of OpenAI models. Fine-tuned model names
 * ({@code ft:gpt-4o-mini-2024-07-18:org::id}) resolve to their base model, Azure OpenAI's names
 * ({@code gpt-35-turbo-1106}) to OpenAI's.
 *
 * <p>Limits follow OpenAI's fine-tuning guide: 65,536 tokens per training example for the gpt-4o and gpt-4.1
 * families, 16,385 for gpt-3.5-turbo-0125/1106, 4,096 for gpt-3.5-turbo-0613, 8,192 for gpt-4-0613, 16,384 for
 * babbage-002 and davinci-002. Reasoning models (o-series) and unknown models get 65,536; pass an explicit limit
 * when you know better.
 */
public final class ModelLimits {
    /** Limit used for models this table does not know. */
    public static final int DEFAULT_TOKEN_LIMIT = 65_536;

    private ModelLimits() {}

    /**
     * The model a fine-tuned model was trained from: {@code ft:BASE:org:suffix:id} gives BASE; other names are returned
     * as they are (trimmed). Example: {@code ModelLimits.baseModel("ft:nano:finetune4j::abc123")} is {@code "nano"}.
     */
    public static String baseModel(String model) {
        String m = model.trim();
        if (m.regionMatches(true, 0, "ft:", 0, 3)) {
            int end = m.indexOf(':', 3);
            m = end < 0 ? m.substring(3) : m.substring(3, end);
        }
        return m;
    }

    /** o200k_base for gpt-4o, gpt-4.1, gpt-4.5, gpt-5 and o-series models; cl100k_base for gpt-3.5, gpt-4 and the 002 models. */
    public static EncodingType encodingFor(String model) {
        String m = TokenCounter.Registry.normalise(model);
        if (m.startsWith("gpt-3.5") || m.startsWith("babbage-002") || m.startsWith("davinci-002")
                || m.startsWith("text-embedding") || (m.startsWith("gpt-4") && !isO200kGpt4(m))) {
            return EncodingType.CL100K_BASE;
        }
        return EncodingType.O200K_BASE;
    }

    private static boolean isO200kGpt4(String m) {
        return m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("chatgpt-4o");
    }

    /**
     * Whether a model fine-tunes on legacy {@code {"prompt": ..., "completion": ...}} lines rather than chat messages:
     * {@code babbage-002}, {@code davinci-002} and the models fine-tuned from them. Example:
     * {@code ModelLimits.usesPromptCompletion("davinci-002")} is true.
     */
    public static boolean usesPromptCompletion(String model) {
        String m = TokenCounter.Registry.normalise(model);
        return m.startsWith("babbage-002") || m.startsWith("davinci-002");
    }

    /** Training token limit per example. Example: {@code ModelLimits.tokenLimitFor("gpt-3.5-turbo")} is 16,385. */
    public static int tokenLimitFor(String model) {
        String m = TokenCounter.Registry.normalise(model);
        if (m.startsWith("gpt-3.5-turbo-0613")) {
            return 4_096;
        }
        if (m.startsWith("gpt-3.5")) {
            return 16_385;
        }
        if (m.startsWith("babbage-002") || m.startsWith("davinci-002")) {
            return 16_384;
        }
        if (m.startsWith("gpt-4") && !isO200kGpt4(m)) {
            return 8_192;
        }
        return DEFAULT_TOKEN_LIMIT;
    }
}
