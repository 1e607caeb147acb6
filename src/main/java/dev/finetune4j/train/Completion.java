package dev.finetune4j.train;

/**
 * A generated assistant reply: its text, why generation stopped ({@code "stop"}: end of message or a stop sequence;
 * {@code "length"}: max_tokens or the context length), and token counts (the completion count includes the token that
 * ended the message).
 */
public record Completion(String text, String finishReason, int promptTokens, int completionTokens) {
    public static final String STOP = "stop";
    public static final String LENGTH = "length";

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
