package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.List;

/** A JSON array of messages seen by the scanner: its type token and the facts of each item (pooled). */
final class MessageList {
    final String path;
    private final ExampleFacts.Line line;
    private byte token = TokenCodes.NONE;
    private final List<MessageFacts> pool = new ArrayList<>();
    private int size;

    MessageList(String path, ExampleFacts.Line line) {
        this.path = path;
        this.line = line;
    }

    void reset() {
        token = TokenCodes.NONE;
        size = 0;
    }

    JsonToken token() {
        return TokenCodes.token(token);
    }

    void token(JsonToken t) {
        token = TokenCodes.of(t);
    }

    MessageFacts add() {
        if (size == pool.size()) {
            pool.add(new MessageFacts(line));
        }
        MessageFacts m = pool.get(size++);
        m.reset();
        return m;
    }

    MessageFacts get(int i) {
        return pool.get(i);
    }

    int size() {
        return size;
    }

    boolean present() {
        return token != TokenCodes.NONE;
    }

    boolean isArray() {
        return token() == JsonToken.START_ARRAY;
    }

    String itemPath(int i) {
        return path + "[" + i + "]";
    }
}
