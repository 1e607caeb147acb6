package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * A token of an answer with its log-probability and the most likely tokens at its position, most likely first.
 * {@code bytes} are the token's UTF-8 bytes (a character may span several tokens); null when it has none.
 * {@code Math.exp(logprob())} is the token's probability.
 *
 * @param token the token's text
 * @param logprob the natural log of the token's probability
 * @param bytes the token's UTF-8 bytes, or null
 * @param topLogprobs {@code top_logprobs}: the most likely tokens at this position, as many as asked; else empty
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record ChatCompletionTokenLogprob(String token, double logprob, List<Integer> bytes, List<TopLogprob> topLogprobs,
                                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} or {@code topLogprobs} as empty. */
    public ChatCompletionTokenLogprob {
        extra = Extra.of(extra);
        topLogprobs = topLogprobs == null ? List.of() : topLogprobs;
    }

    /** A token without extra fields. */
    public ChatCompletionTokenLogprob(String token, double logprob, List<Integer> bytes, List<TopLogprob> topLogprobs) {
        this(token, logprob, bytes, topLogprobs, null);
    }

    /** The token's probability, {@code exp(logprob)}. */
    public double probability() {
        return Math.exp(logprob);
    }

    /**
     * One of the most likely tokens at a position.
     *
     * @param token the token's text
     * @param logprob the natural log of the token's probability
     * @param bytes the token's UTF-8 bytes, or null
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    public record TopLogprob(String token, double logprob, List<Integer> bytes,
                             @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public TopLogprob {
            extra = Extra.of(extra);
        }

        /** A token without extra fields. */
        public TopLogprob(String token, double logprob, List<Integer> bytes) {
            this(token, logprob, bytes, null);
        }

        /** The token's probability, {@code exp(logprob)}. */
        public double probability() {
            return Math.exp(logprob);
        }
    }
}
