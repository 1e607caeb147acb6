package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;

/** What the scanner learned about one line: enough for every format's rules and the token counts. Reused. */
final class ExampleFacts {
    /** The buffer holding the scanned line, where the messages' string contents are. */
    static final class Line {
        byte[] bytes;
    }

    final Line line = new Line();
    private byte rootToken = TokenCodes.NONE;
    final KeyList keys = new KeyList();
    final MessageList messages = new MessageList("messages", line);
    JsonToken toolsToken;
    // the bytes of the tools value, read only when toolsToken is set
    byte[] toolsBytes;
    int toolsFrom;
    int toolsTo;
    JsonToken parallelToken;
    JsonToken functionsToken;
    JsonToken inputToken;
    final KeyList inputKeys = new KeyList();
    final MessageList inputMessages = new MessageList("input.messages", line);
    JsonToken inputToolsToken;
    JsonToken inputParallelToken;
    final MessageList preferred = new MessageList("preferred_output", line);
    final MessageList nonPreferred = new MessageList("non_preferred_output", line);
    int toolTokens;
    /** Image parts in the line's contents: their tokens are not counted, which the statistics must say. */
    int imageParts;
    /**
     * The legacy completions format's prompt and completion, read like a message's content; null when the line has no
     * such key. Pooled, and only taken when the key is seen, so a chat line costs two null stores.
     */
    MessageFacts prompt;
    MessageFacts completion;
    private final MessageFacts promptPool = new MessageFacts(line);
    private final MessageFacts completionPool = new MessageFacts(line);

    /** The type of the line's JSON value. */
    JsonToken rootToken() {
        return TokenCodes.token(rootToken);
    }

    void rootToken(JsonToken t) {
        rootToken = TokenCodes.of(t);
    }

    void reset() {
        rootToken = TokenCodes.NONE;
        keys.clear();
        messages.reset();
        toolsToken = null;
        parallelToken = null;
        functionsToken = null;
        inputToken = null;
        inputKeys.clear();
        inputMessages.reset();
        inputToolsToken = null;
        inputParallelToken = null;
        preferred.reset();
        nonPreferred.reset();
        toolTokens = 0;
        imageParts = 0;
        prompt = null;
        completion = null;
    }

    /** Starts the facts of the line's prompt (a repeated key starts them again, as its last value counts). */
    MessageFacts startPrompt() {
        promptPool.reset();
        return prompt = promptPool;
    }

    /** Starts the facts of the line's completion. */
    MessageFacts startCompletion() {
        completionPool.reset();
        return completion = completionPool;
    }

    boolean hasKey(String key) {
        return keys.contains(key);
    }
}
