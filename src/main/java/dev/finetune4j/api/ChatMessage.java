package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * A chat message, in requests and responses. {@code content} is a string, a list of content parts, or null
 * (an assistant message with tool calls), so it is kept as {@code Object}.
 */
@JsonInclude(Include.NON_NULL)
public record ChatMessage(String role, Object content, String name, String refusal, List<ToolCall> toolCalls,
                          String toolCallId,
                          @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public ChatMessage {
        extra = Extra.of(extra);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null, null, null, null, null);
    }

    public static ChatMessage developer(String content) {
        return new ChatMessage("developer", content, null, null, null, null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, null, null, null, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null, null, null, null, null);
    }

    public static ChatMessage tool(String toolCallId, String content) {
        return new ChatMessage("tool", content, null, null, null, toolCallId, null);
    }

    /** The content as plain text: a string as is, text parts joined, null when there is none. */
    public String text() {
        if (content == null || content instanceof String) return (String) content;
        if (content instanceof List<?> parts) {
            StringBuilder sb = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Map<?, ?> map && map.get("text") instanceof String s) sb.append(s);
            }
            return sb.toString();
        }
        return String.valueOf(content);
    }

    /** A tool call: {@code {id, type: "function", function: {name, arguments}}}; {@code index} only in stream chunks. */
    @JsonInclude(Include.NON_NULL)
    public record ToolCall(Integer index, String id, String type, FunctionCall function,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public ToolCall {
            extra = Extra.of(extra);
        }
    }

    /** A function call: its name and its arguments as a JSON string. */
    @JsonInclude(Include.NON_NULL)
    public record FunctionCall(String name, String arguments,
                               @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public FunctionCall {
            extra = Extra.of(extra);
        }
    }
}
