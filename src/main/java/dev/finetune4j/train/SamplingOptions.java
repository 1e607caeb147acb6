package dev.finetune4j.train;

import java.util.List;

/**
 * How {@link ChatModel} picks tokens: {@code temperature} 0 is greedy; otherwise softmax at that temperature,
 * restricted to the smallest set of tokens whose probability reaches {@code topP} (0 keeps only the most likely). Generation stops at the end of the
 * assistant message, at one of the {@code stop} strings (not included in the text), or after {@code maxTokens}.
 * {@code seed} null draws a fresh seed. {@code SamplingOptions.greedy(64)} is deterministic.
 */
public record SamplingOptions(double temperature, double topP, int maxTokens, List<String> stop, Long seed) {

    public SamplingOptions {
        if (!(temperature >= 0) || temperature > 2) throw new IllegalArgumentException("temperature must be in 0..2, got " + temperature);
        if (!(topP >= 0) || topP > 1) throw new IllegalArgumentException("top_p must be in 0..1, got " + topP);
        if (maxTokens < 1) throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
        stop = stop == null ? List.of() : List.copyOf(stop);
        for (String s : stop) if (s.isEmpty()) throw new IllegalArgumentException("a stop sequence is empty");
    }

    /** Greedy decoding of at most {@code maxTokens} tokens. */
    public static SamplingOptions greedy(int maxTokens) {
        return new SamplingOptions(0, 1, maxTokens, List.of(), 0L);
    }

    /** OpenAI's defaults (temperature 1, top_p 1) with a seed. */
    public static SamplingOptions defaults(int maxTokens, long seed) {
        return new SamplingOptions(1, 1, maxTokens, List.of(), seed);
    }
}
