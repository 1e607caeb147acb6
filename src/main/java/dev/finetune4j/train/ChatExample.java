package dev.finetune4j.train;

import java.util.List;

/** One training conversation, e.g. {@code new ChatExample(List.of(ChatMessage.of("user", "Hi"), ChatMessage.of("assistant", "Hello!")))}. */
public record ChatExample(List<ChatMessage> messages) {

    public ChatExample {
        if (messages == null || messages.isEmpty()) throw new IllegalArgumentException("an example needs at least one message");
        messages = List.copyOf(messages);
    }

    /** Shorthand for a varargs list, e.g. {@code ChatExample.of(ChatMessage.of("user", "Hi"))}. */
    public static ChatExample of(ChatMessage... messages) {
        return new ChatExample(List.of(messages));
    }
}
