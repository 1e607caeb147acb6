package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * A streamed chunk ({@code object: "chat.completion.chunk"}); {@code usage} only on the last one when asked for.
 *
 * @param id the completion's id, the same in every chunk of a stream
 * @param object always {@code chat.completion.chunk}
 * @param created when the completion was made, in Unix seconds
 * @param model the model that answers
 * @param choices the choices this chunk adds to; empty in the final usage chunk
 * @param usage the tokens used, in the final chunk when {@code stream_options.include_usage} asked for it; else null
 *     (and left out of the JSON, as the service leaves it out of a stream that did not ask for it)
 * @param systemFingerprint {@code system_fingerprint}: the backend configuration that answers, or null
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                                  @JsonInclude(Include.NON_NULL) Usage usage,
                                  @JsonInclude(Include.NON_NULL) String systemFingerprint,
                                  @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The {@code object} value of a stream chunk. */
    public static final String OBJECT = "chat.completion.chunk";

    /** Reads a null {@code extra} or {@code choices} as empty. */
    public ChatCompletionChunk {
        extra = Extra.of(extra);
        choices = choices == null ? List.of() : choices;
    }

    /**
     * One choice of a chunk: {@code delta} holds the new text; {@code finish_reason} is null until the end.
     *
     * @param index the choice the delta belongs to
     * @param delta the new part of the message
     * @param finishReason null until the choice's last chunk, then why it ended: {@code stop}, {@code length}, ...
     * @param logprobs the log-probabilities of this chunk's tokens, or null
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    public record Choice(int index, Delta delta, String finishReason,
                         @JsonInclude(Include.NON_NULL) ChatCompletion.Logprobs logprobs,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public Choice {
            extra = Extra.of(extra);
        }
    }

    /**
     * What a chunk adds to the message.
     *
     * @param role the message's role, in the first chunk only
     * @param content the next piece of text, or null
     * @param refusal the next piece of a refusal, or null
     * @param toolCalls {@code tool_calls}: pieces of tool calls, joined by their {@code index}; or null
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    @JsonInclude(Include.NON_NULL)
    public record Delta(String role, String content, String refusal, List<ChatMessage.ToolCall> toolCalls,
                        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public Delta {
            extra = Extra.of(extra);
        }
    }
}
