package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;

/**
 * A chat completion ({@code object: "chat.completion"}).
 *
 * @param id the completion's id ({@code chatcmpl-...})
 * @param object always {@code chat.completion}
 * @param created when the completion was made, in Unix seconds
 * @param model the model that answered
 * @param choices the answers, {@code n} of them (default 1)
 * @param usage the tokens used; null when the server sent none
 * @param systemFingerprint {@code system_fingerprint}: the backend configuration that answered, or null
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
                             @JsonInclude(Include.NON_NULL) Usage usage,
                             @JsonInclude(Include.NON_NULL) String systemFingerprint,
                             @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The {@code object} value of a chat completion. */
    public static final String OBJECT = "chat.completion";

    /** Reads a null {@code extra} or {@code choices} as empty. */
    public ChatCompletion {
        extra = Extra.of(extra);
        choices = choices == null ? List.of() : choices;
    }

    /** The text of the first choice: what {@code response.choices[0].message.content} reads in Python. */
    public String text() {
        return choices.isEmpty() || choices.get(0).message() == null ? null : choices.get(0).message().text();
    }

    /**
     * Why {@link #text()} is null: the model's refusal, or the finish reason (a content filter, say); null when there
     * is text. Example: {@code "refused: I can't help with that"}.
     */
    public String noTextReason() {
        if (text() != null) return null;
        if (choices.isEmpty()) return "the answer has no choices";
        Choice first = choices.get(0);
        if (first.message() != null && first.message().refusal() != null) return "refused: " + first.message().refusal();
        return "no text (finish_reason " + first.finishReason() + ")";
    }

    /**
     * One choice. {@code logprobs} is required by the spec and null when not asked for.
     *
     * @param index the choice's position in {@code choices}
     * @param message the answer, with role {@code assistant}
     * @param finishReason why it ended: {@code stop}, {@code length}, {@code tool_calls} or {@code content_filter}
     * @param logprobs the tokens' log-probabilities, or null
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    public record Choice(int index, @JsonSerialize(using = ResponseMessageSerializer.class) ChatMessage message,
                         String finishReason, Logprobs logprobs,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public Choice {
            extra = Extra.of(extra);
        }
    }

    /**
     * The log-probabilities of a choice's tokens ({@code logprobs: true}): {@code content} for the text, {@code refusal}
     * for a refusal; each null when there is none.
     *
     * @param content the text's tokens, or null
     * @param refusal the refusal's tokens, or null
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    public record Logprobs(List<ChatCompletionTokenLogprob> content, List<ChatCompletionTokenLogprob> refusal,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public Logprobs {
            extra = Extra.of(extra);
        }

        /** Log-probabilities of a text answer (no refusal, no extra fields). */
        public Logprobs(List<ChatCompletionTokenLogprob> content) {
            this(content, null, null);
        }
    }
}
