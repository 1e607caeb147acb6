package dev.finetune4j.train;

import java.util.List;

/**
 * A generated token with its log-probability under the model, and the most likely tokens at its position, most likely
 * first: what {@link SamplingOptions#logprobs()} asks for. {@code Math.exp(logprob)} is the token's probability.
 */
public record TokenLogprob(int token, double logprob, List<Alternative> top) {
    public TokenLogprob {
        top = List.copyOf(top);
    }

    /** A token that could have come at this position, with its log-probability. */
    public record Alternative(int token, double logprob) {}
}
