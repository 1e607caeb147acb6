package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** Token usage of a completion. */
public record Usage(long promptTokens, long completionTokens, long totalTokens,
                    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public Usage {
        extra = Extra.of(extra);
    }

    public Usage(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, promptTokens + completionTokens, null);
    }
}
