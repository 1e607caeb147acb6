package dev.finetune4j.train;

import java.util.List;

/**
 * Renders chat messages as tokens: each message is {@code <|start|>role\ncontent<|end|>}. A {@code developer}
 * message is rendered as a {@code system} one, as OpenAI presents it to models without reasoning: the two names
 * then prompt a model alike, whichever one its training data used.
 *
 * <p>The loss mask selects the content and closing {@code <|end|>} of trained messages (assistant messages
 * whose weight is not 0), so the model learns both the reply and when to stop. A prompt for generation ends
 * with {@code <|start|>assistant\n}. {@code ChatTemplate.tokenCount(example)} lets a caller reject examples
 * longer than the context before training.
 */
public final class ChatTemplate {
    private ChatTemplate() {}

    /** Tokens and loss mask of a training example, e.g. {@code ChatTemplate.encode(example).trainedCount()}. */
    public static TokenizedExample encode(ChatExample example) {
        int n = tokenCount(example);
        int[] tokens = new int[n];
        boolean[] trained = new boolean[n];
        int pos = 0;
        for (ChatMessage m : example.messages()) {
            pos = header(m.role(), tokens, pos);
            int[] body = ByteTokenizer.encode(m.content());
            System.arraycopy(body, 0, tokens, pos, body.length);
            if (m.trained()) {
                for (int i = 0; i <= body.length; i++) trained[pos + i] = true;
            }
            pos += body.length;
            tokens[pos++] = ByteTokenizer.END;
        }
        return new TokenizedExample(tokens, trained);
    }

    /** Number of tokens {@link #encode} produces, without building them, e.g. to compare with the context length. */
    public static int tokenCount(ChatExample example) {
        int n = 0;
        for (ChatMessage m : example.messages()) {
            n += 3 + ByteTokenizer.count(rendered(m.role())) + ByteTokenizer.count(m.content());
        }
        return n;
    }

    /** Tokens of {@code messages} followed by an open assistant message, ready for generation. */
    public static int[] prompt(List<ChatMessage> messages) {
        int n = 0;
        for (ChatMessage m : messages) n += 3 + ByteTokenizer.count(rendered(m.role())) + ByteTokenizer.count(m.content());
        n += 2 + "assistant".length();
        int[] tokens = new int[n];
        int pos = 0;
        for (ChatMessage m : messages) {
            pos = header(m.role(), tokens, pos);
            int[] body = ByteTokenizer.encode(m.content());
            System.arraycopy(body, 0, tokens, pos, body.length);
            pos += body.length;
            tokens[pos++] = ByteTokenizer.END;
        }
        header("assistant", tokens, pos);
        return tokens;
    }

    private static int header(String role, int[] tokens, int pos) {
        tokens[pos++] = ByteTokenizer.START;
        for (int b : ByteTokenizer.encode(rendered(role))) tokens[pos++] = b;
        tokens[pos++] = '\n';
        return pos;
    }

    /** The role as the prompt names it: {@code developer} is the newer name of the system message. */
    private static String rendered(String role) {
        return "developer".equals(role) ? "system" : role;
    }
}
