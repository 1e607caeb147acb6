package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.List;

/** A JSON array of messages seen by the scanner: its type token and the facts of each item (pooled). */
final class MessageList {
    final String path;
    JsonToken token;
    private final List<MessageFacts> pool = new ArrayList<>();
    private int size;

    MessageList(String path) {
        this.path = path;
    }

    void reset() {
        token = null;
        size = 0;
    }

    MessageFacts add() {
        if (size == pool.size()) {
            pool.add(new MessageFacts());
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
        return token != null;
    }

    boolean isArray() {
        return token == JsonToken.START_ARRAY;
    }

    String itemPath(int i) {
        return path + "[" + i + "]";
    }
}
