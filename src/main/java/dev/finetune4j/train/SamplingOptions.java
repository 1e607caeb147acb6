package dev.finetune4j.train;

import java.util.List;
import java.util.Map;

/**
 * How {@link ChatModel} picks tokens: {@code temperature} 0 is greedy; otherwise softmax at that temperature,
 * restricted to the smallest set of tokens whose probability reaches {@code topP} (0 keeps only the most likely). Generation stops at the end of the
 * assistant message, at one of the {@code stop} strings (not included in the text), or after {@code maxTokens}.
 * {@code seed} null draws a fresh seed. {@code SamplingOptions.greedy(64)} is deterministic.
 *
 * <p>Before a token is picked, its logit is moved by {@code logitBias} (token id to -100..100) and lowered by
 * {@code presencePenalty} once it has been generated and by {@code frequencyPenalty} each time it has, as OpenAI
 * defines them. {@code logprobs} null asks for no log-probabilities; a number k from 0 to 20 asks for each generated
 * token's log-probability and those of the k most likely tokens at its position, taken from the model's own
 * distribution (before temperature, top_p, penalties and bias), e.g. {@code SamplingOptions.greedy(64).withLogprobs(5)}.
 */
public record SamplingOptions(double temperature, double topP, int maxTokens, List<String> stop, Long seed,
                              double presencePenalty, double frequencyPenalty, Map<Integer, Double> logitBias,
                              Integer logprobs) {
    /** The most alternatives a token's log-probabilities list, as in OpenAI's API. */
    public static final int MAX_TOP_LOGPROBS = 20;

    public SamplingOptions {
        if (!(temperature >= 0) || temperature > 2) throw new IllegalArgumentException("temperature must be in 0..2, got " + temperature);
        if (!(topP >= 0) || topP > 1) throw new IllegalArgumentException("top_p must be in 0..1, got " + topP);
        if (maxTokens < 1) throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
        stop = stop == null ? List.of() : List.copyOf(stop);
        for (String s : stop) if (s.isEmpty()) throw new IllegalArgumentException("a stop sequence is empty");
        penalty("presence_penalty", presencePenalty);
        penalty("frequency_penalty", frequencyPenalty);
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
        for (var e : logitBias.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= ByteTokenizer.VOCAB_SIZE) {
                throw new IllegalArgumentException("logit_bias names token " + e.getKey() + "; token ids are 0.."
                        + (ByteTokenizer.VOCAB_SIZE - 1));
            }
            if (!(Math.abs(e.getValue()) <= 100)) {
                throw new IllegalArgumentException("logit_bias of token " + e.getKey() + " must be in -100..100, got " + e.getValue());
            }
        }
        if (logprobs != null && (logprobs < 0 || logprobs > MAX_TOP_LOGPROBS)) {
            throw new IllegalArgumentException("logprobs must be in 0.." + MAX_TOP_LOGPROBS + ", got " + logprobs);
        }
    }

    public SamplingOptions(double temperature, double topP, int maxTokens, List<String> stop, Long seed) {
        this(temperature, topP, maxTokens, stop, seed, 0, 0, Map.of(), null);
    }

    /** Greedy decoding of at most {@code maxTokens} tokens. */
    public static SamplingOptions greedy(int maxTokens) {
        return new SamplingOptions(0, 1, maxTokens, List.of(), 0L);
    }

    /** OpenAI's defaults (temperature 1, top_p 1) with a seed. */
    public static SamplingOptions defaults(int maxTokens, long seed) {
        return new SamplingOptions(1, 1, maxTokens, List.of(), seed);
    }

    /** The same options, reporting log-probabilities with {@code top} alternatives: {@code greedy(64).withLogprobs(5)}. */
    public SamplingOptions withLogprobs(Integer top) {
        return new SamplingOptions(temperature, topP, maxTokens, stop, seed, presencePenalty, frequencyPenalty, logitBias, top);
    }

    /** The same options with these penalties: {@code greedy(64).withPenalties(0.5, 0.2)}. */
    public SamplingOptions withPenalties(double presence, double frequency) {
        return new SamplingOptions(temperature, topP, maxTokens, stop, seed, presence, frequency, logitBias, logprobs);
    }

    /** The same options with this bias per token id: {@code greedy(64).withLogitBias(Map.of(65, -100.0))}. */
    public SamplingOptions withLogitBias(Map<Integer, Double> bias) {
        return new SamplingOptions(temperature, topP, maxTokens, stop, seed, presencePenalty, frequencyPenalty, bias, logprobs);
    }

    /** Whether the logits need changing before a token is picked. */
    boolean adjustsLogits() {
        return presencePenalty != 0 || frequencyPenalty != 0 || !logitBias.isEmpty();
    }

    private static void penalty(String name, double value) {
        if (!(value >= -2) || value > 2) throw new IllegalArgumentException(name + " must be in -2..2, got " + value);
    }
}
