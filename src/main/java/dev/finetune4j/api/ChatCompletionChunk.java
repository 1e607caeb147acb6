package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/** A streamed chunk ({@code object: "chat.completion.chunk"}); {@code usage} only on the last one when asked for. */
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                                  Usage usage,
                                  @JsonInclude(Include.NON_NULL) String systemFingerprint,
                                  @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "chat.completion.chunk";

    public ChatCompletionChunk {
        extra = Extra.of(extra);
        choices = choices == null ? List.of() : choices;
    }

    /** One choice of a chunk: {@code delta} holds the new text; {@code finish_reason} is null until the end. */
    public record Choice(int index, Delta delta, String finishReason,
                         @JsonInclude(Include.NON_NULL) ChatCompletion.Logprobs logprobs,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Choice {
            extra = Extra.of(extra);
        }
    }

    /** What a chunk adds to the message. */
    @JsonInclude(Include.NON_NULL)
    public record Delta(String role, String content, String refusal, List<ChatMessage.ToolCall> toolCalls,
                        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Delta {
            extra = Extra.of(extra);
        }
    }
}
