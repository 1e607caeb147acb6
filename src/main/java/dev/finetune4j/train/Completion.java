package dev.finetune4j.train;

import java.util.List;

/**
 * A generated assistant reply: its text, why generation stopped ({@code "stop"}: end of message or a stop sequence;
 * {@code "length"}: max_tokens or the context length), and token counts (the completion count includes the token that
 * ended the message). {@code logprobs} holds a {@link TokenLogprob} for each token of the text when
 * {@link SamplingOptions#logprobs()} asked for them, else nothing.
 */
public record Completion(String text, String finishReason, int promptTokens, int completionTokens,
                         List<TokenLogprob> logprobs) {
    public static final String STOP = "stop";
    public static final String LENGTH = "length";

    public Completion {
        logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
    }

    public Completion(String text, String finishReason, int promptTokens, int completionTokens) {
        this(text, finishReason, promptTokens, completionTokens, List.of());
    }

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
