package dev.finetune4j.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes the message of a completion choice. {@link ChatMessage} omits null fields, which suits requests, but in a
 * response {@code content} and {@code refusal} are required (and null when absent), so they are written as null.
 */
final class ResponseMessageSerializer extends StdSerializer<ChatMessage> {
    ResponseMessageSerializer() {
        super(ChatMessage.class);
    }

    @Override
    public void serialize(ChatMessage message, JsonGenerator gen, SerializerProvider provider) throws IOException {
        ObjectNode node = Json.MAPPER.valueToTree(message);
        if (!node.has("content")) node.putNull("content");
        if (!node.has("refusal")) node.putNull("refusal");
        gen.writeTree(node);
    }
}
