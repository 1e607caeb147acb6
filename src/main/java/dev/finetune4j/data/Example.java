package dev.finetune4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One example of a JSONL file: its 1-based line number and its JSON.
 * Example: {@code example.json().get("messages").size()}.
 */
public record Example(long line, JsonNode json) {

    /**
     * What a grader reads as {@code item} for this example (reference §6.3, §9.3): every key of the line except
     * {@code messages} and {@code tools}, e.g. {@code {"reference_answer": "Paris"}}. Empty when the line is no object.
     */
    public ObjectNode item() {
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        if (json == null || !json.isObject()) return item;
        json.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("messages") && !e.getKey().equals("tools")) item.set(e.getKey(), e.getValue());
        });
        return item;
    }
}
