package dev.finetune4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * One preference (DPO) example: a conversation and two answers to it, the one to prefer and the other, e.g.
 * {@code new PreferencePair(List.of(ChatMessage.of("user", "Capital of France?")), "Paris.", "Lyon.")}.
 * Only the answers are trained; assistant messages of the conversation are context.
 */
public record PreferencePair(List<ChatMessage> prompt, String preferred, String nonPreferred) {

    public PreferencePair {
        if (prompt == null || prompt.isEmpty()) throw new IllegalArgumentException("a preference pair needs a prompt");
        if (preferred == null || nonPreferred == null) throw new IllegalArgumentException("both answers are needed");
        prompt = List.copyOf(prompt);
    }

    /** The conversation ending with the preferred answer, which alone is trained. */
    public ChatExample chosen() {
        return withAnswer(preferred);
    }

    /** The conversation ending with the other answer, which alone is trained. */
    public ChatExample rejected() {
        return withAnswer(nonPreferred);
    }

    private ChatExample withAnswer(String answer) {
        List<ChatMessage> messages = new ArrayList<>(prompt.size() + 1);
        for (ChatMessage m : prompt) messages.add(new ChatMessage(m.role(), m.content(), false));
        messages.add(new ChatMessage("assistant", answer, true));
        return new ChatExample(messages);
    }

    /** The pairs as the trainer stores them: each pair's chosen then rejected conversation. */
    public static List<ChatExample> interleaved(List<PreferencePair> pairs) {
        List<ChatExample> out = new ArrayList<>(pairs.size() * 2);
        for (PreferencePair p : pairs) {
            out.add(p.chosen());
            out.add(p.rejected());
        }
        return out;
    }
}
