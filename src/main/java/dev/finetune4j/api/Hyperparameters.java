package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * Hyperparameters of any method. Each value is either the string {@code "auto"} or a number (or, for
 * {@code reasoning_effort}, a string), so values are kept as {@code Object}; absent ones are null and omitted.
 */
@JsonInclude(Include.NON_NULL)
public record Hyperparameters(Object batchSize, Object learningRateMultiplier, Object nEpochs, Object beta,
                              Object reasoningEffort, Object computeMultiplier, Object evalInterval,
                              Object evalSamples,
                              @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String AUTO = "auto";

    public Hyperparameters {
        extra = Extra.of(extra);
    }

    /** The supervised trio, as the job object reports it. */
    public static Hyperparameters of(Object batchSize, Object learningRateMultiplier, Object nEpochs) {
        return new Hyperparameters(batchSize, learningRateMultiplier, nEpochs, null, null, null, null, null, null);
    }
}
