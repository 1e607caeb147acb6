package dev.finetune4j.data;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One example of a JSONL file: its 1-based line number and its JSON.
 * Example: {@code example.json().get("messages").size()}.
 */
public record Example(long line, JsonNode json) {
}
