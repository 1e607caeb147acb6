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
 *
 * @param role {@code system}, {@code developer}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text, a list of content parts, or null
 * @param name an optional name telling participants of the same role apart
 * @param refusal the assistant's refusal, in place of content; else null
 * @param toolCalls {@code tool_calls}: the tools an assistant message calls, or null
 * @param toolCallId {@code tool_call_id}: in a {@code tool} message, the call it answers
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
@JsonInclude(Include.NON_NULL)
public record ChatMessage(String role, Object content, String name, String refusal, List<ToolCall> toolCalls,
                          String toolCallId,
                          @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} as an empty map. */
    public ChatMessage {
        extra = Extra.of(extra);
    }

    /** A {@code system} message: instructions the model follows. */
    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null, null, null, null, null);
    }

    /** A {@code developer} message, the newer models' name for the system message. */
    public static ChatMessage developer(String content) {
        return new ChatMessage("developer", content, null, null, null, null, null);
    }

    /** A {@code user} message. */
    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, null, null, null, null);
    }

    /** An {@code assistant} message: an answer of the model, or in training data the answer to learn. */
    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null, null, null, null, null);
    }

    /** A {@code tool} message: {@code content} is the result of the call {@code toolCallId}. */
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

    /**
     * A tool call: {@code {id, type: "function", function: {name, arguments}}}; {@code index} only in stream chunks.
     *
     * @param index the call's position, only in stream chunks (null otherwise)
     * @param id the call's id ({@code call_...}), which the {@code tool} message answering it names
     * @param type always {@code function}
     * @param function the function called and its arguments
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    @JsonInclude(Include.NON_NULL)
    public record ToolCall(Integer index, String id, String type, FunctionCall function,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public ToolCall {
            extra = Extra.of(extra);
        }
    }

    /**
     * A function call: its name and its arguments as a JSON string.
     *
     * @param name the function's name
     * @param arguments the arguments as a JSON string, written by the model: check it before use
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    @JsonInclude(Include.NON_NULL)
    public record FunctionCall(String name, String arguments,
                               @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public FunctionCall {
            extra = Extra.of(extra);
        }
    }
}
