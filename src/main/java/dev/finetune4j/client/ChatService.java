package dev.finetune4j.client;

/** {@code /chat}: chat completions. */
public final class ChatService {
    private final CompletionService completions;

    ChatService(Transport transport) {
        this.completions = new CompletionService(transport);
    }

    /** Chat completions: {@code client.chat().completions().create(params)}. */
    public CompletionService completions() {
        return completions;
    }
}
