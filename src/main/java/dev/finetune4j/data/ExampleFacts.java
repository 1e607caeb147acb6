package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.List;

/** What the scanner learned about one line: enough for every format's rules and the token counts. Reused. */
final class ExampleFacts {
    JsonToken rootToken;
    final List<String> keys = new ArrayList<>(8);
    final MessageList messages = new MessageList("messages");
    JsonToken toolsToken;
    // the bytes of the tools value, read only when toolsToken is set
    byte[] toolsBytes;
    int toolsFrom;
    int toolsTo;
    JsonToken parallelToken;
    JsonToken functionsToken;
    JsonToken inputToken;
    final List<String> inputKeys = new ArrayList<>(4);
    final MessageList inputMessages = new MessageList("input.messages");
    JsonToken inputToolsToken;
    JsonToken inputParallelToken;
    final MessageList preferred = new MessageList("preferred_output");
    final MessageList nonPreferred = new MessageList("non_preferred_output");
    int toolTokens;
    /** Image parts in the line's contents: their tokens are not counted, which the statistics must say. */
    int imageParts;
    /**
     * The legacy completions format's prompt and completion, read like a message's content; null when the line has no
     * such key. Pooled, and only taken when the key is seen, so a chat line costs two null stores.
     */
    MessageFacts prompt;
    MessageFacts completion;
    private final MessageFacts promptPool = new MessageFacts();
    private final MessageFacts completionPool = new MessageFacts();

    void reset() {
        rootToken = null;
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
