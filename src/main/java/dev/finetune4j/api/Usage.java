package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * Token usage of a completion.
 *
 * @param promptTokens {@code prompt_tokens}: tokens of the messages sent
 * @param completionTokens {@code completion_tokens}: tokens of the answer (all choices)
 * @param totalTokens {@code total_tokens}: the sum of both
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens,
                    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} as an empty map. */
    public Usage {
        extra = Extra.of(extra);
    }

    /** Usage without extra fields; {@code total_tokens} is the sum of the two. */
    public Usage(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, promptTokens + completionTokens, null);
    }
}
