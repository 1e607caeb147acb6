package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/** Metrics of a checkpoint; every key is optional. {@code step} is a number in the spec, so a Double here. */
@JsonInclude(Include.NON_NULL)
public record CheckpointMetrics(Double step, Double trainLoss, Double trainMeanTokenAccuracy, Double validLoss,
                                Double validMeanTokenAccuracy, Double fullValidLoss,
                                Double fullValidMeanTokenAccuracy,
                                @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public CheckpointMetrics {
        extra = Extra.of(extra);
    }
}
