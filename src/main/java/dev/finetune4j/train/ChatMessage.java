package dev.finetune4j.train;

/**
 * One message of a chat example: its role, its text, and whether the model learns to produce it.
 *
 * <p>{@code ChatMessage.of("assistant", "Paris.")} is trained; an assistant message with {@code weight: 0}
 * is {@code new ChatMessage("assistant", "...", false)}. Tool calls arrive already rendered as JSON text in
 * {@code content}.
 */
public record ChatMessage(String role, String content, boolean trained) {

    public ChatMessage {
        if (role == null || role.isEmpty()) throw new IllegalArgumentException("message role is empty");
        if (role.indexOf('\n') >= 0) throw new IllegalArgumentException("message role contains a newline");
        if (content == null) content = "";
    }

    /** A message trained on when its role is {@code assistant}, e.g. {@code ChatMessage.of("user", "Hi")}. */
    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, "assistant".equals(role));
    }
}
