package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;

/** A chat completion ({@code object: "chat.completion"}). */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
                             @JsonInclude(Include.NON_NULL) Usage usage,
                             @JsonInclude(Include.NON_NULL) String systemFingerprint,
                             @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "chat.completion";

    public ChatCompletion {
        extra = Extra.of(extra);
        choices = choices == null ? List.of() : choices;
    }

    /** The text of the first choice: what {@code response.choices[0].message.content} reads in Python. */
    public String text() {
        return choices.isEmpty() ? null : choices.get(0).message().text();
    }

    /** One choice. {@code logprobs} is required by the spec and null when not asked for. */
    public record Choice(int index, @JsonSerialize(using = ResponseMessageSerializer.class) ChatMessage message,
                         String finishReason, Logprobs logprobs,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Choice {
            extra = Extra.of(extra);
        }
    }

    /**
     * The log-probabilities of a choice's tokens ({@code logprobs: true}): {@code content} for the text, {@code refusal}
     * for a refusal; each null when there is none.
     */
    public record Logprobs(List<ChatCompletionTokenLogprob> content, List<ChatCompletionTokenLogprob> refusal,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Logprobs {
            extra = Extra.of(extra);
        }

        public Logprobs(List<ChatCompletionTokenLogprob> content) {
            this(content, null, null);
        }
    }
}
