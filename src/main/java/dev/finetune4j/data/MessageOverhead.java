package dev.finetune4j.data;

/**
 * Tokens a chat format adds around the text of the messages. OpenAI does not publish the exact figures for
 * training; the default follows the OpenAI cookbook's estimate ({@code num_tokens_from_messages}): 3 tokens per
 * message, 1 more when a message has a name, and 3 for the priming of the reply. Counts are therefore close to,
 * not exactly, what OpenAI bills.
 *
 * @param perMessage tokens added for every message
 * @param perName    tokens added when a message has a {@code name}
 * @param perExample tokens added once per example (reply priming)
 */
public record MessageOverhead(int perMessage, int perName, int perExample) {
    /** The cookbook's figures: 3 per message, 1 per name, 3 per example. */
    public static final MessageOverhead OPENAI_COOKBOOK = new MessageOverhead(3, 1, 3);
    /** No overhead: counts are the text only. */
    public static final MessageOverhead NONE = new MessageOverhead(0, 0, 0);
}
