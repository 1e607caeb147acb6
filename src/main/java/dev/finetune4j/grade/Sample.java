package dev.finetune4j.grade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.ChatMessage;
import dev.finetune4j.api.Json;

/**
 * The {@code sample} namespace of a grader: what the model answered. {@code outputJson} is null unless the text
 * parses as JSON; {@code outputTools} has the shape of chat {@code message.tool_calls}; {@code choices} the shape
 * of chat {@code choices}.
 *
 * <p>Example: {@code Sample.of("{\"answer\": 42}").outputJson().get("answer")}.
 */
public record Sample(String outputText, JsonNode outputJson, ArrayNode outputTools, ArrayNode choices) {
    private static final ObjectReader STRICT_READER =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public Sample {
        outputText = outputText == null ? "" : outputText;
        outputTools = outputTools == null ? JsonNodeFactory.instance.arrayNode() : outputTools;
        choices = choices == null ? JsonNodeFactory.instance.arrayNode() : choices;
    }

    /**
     * The sample of the {@code run} endpoint's {@code model_sample} string: its text, its JSON when it parses, no
     * tool calls, and a single choice holding an assistant message with that text.
     */
    public static Sample of(String modelSample) {
        return of(ChatMessage.assistant(modelSample == null ? "" : modelSample), "stop");
    }

    /** The sample of a chat completion's message (text and tool calls), e.g. during reinforcement fine-tuning. */
    public static Sample of(ChatMessage message, String finishReason) {
        String text = message.text() == null ? "" : message.text();
        ArrayNode tools = JsonNodeFactory.instance.arrayNode();
        if (message.toolCalls() != null) {
            for (ChatMessage.ToolCall call : message.toolCalls()) tools.add(Json.MAPPER.valueToTree(call));
        }
        ArrayNode choices = JsonNodeFactory.instance.arrayNode();
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.set("message", Json.MAPPER.valueToTree(message));
        choice.put("finish_reason", finishReason);
        return new Sample(text, parseJson(text), tools, choices);
    }

    /** The text as JSON, or null when it is not one complete JSON value. */
    static JsonNode parseJson(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            JsonNode node = STRICT_READER.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The sample as the object templates and python graders see: output_text, output_json (if any), output_tools, choices. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("output_text", outputText);
        if (outputJson != null) node.set("output_json", outputJson);
        node.set("output_tools", outputTools);
        node.set("choices", choices);
        return node;
    }

    /** The scope that templates render against: {@code {"item": item, "sample": this}}; a null item is empty. */
    public ObjectNode scope(JsonNode item) {
        ObjectNode scope = JsonNodeFactory.instance.objectNode();
        scope.set("item", item == null || item.isNull() || item.isMissingNode()
                ? JsonNodeFactory.instance.objectNode() : item);
        scope.set("sample", toJson());
        return scope;
    }
}
