package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * Metrics of a checkpoint; every key is optional. {@code step} is a number in the spec, so a Double here.
 *
 * @param step the training step the checkpoint was saved at
 * @param trainLoss {@code train_loss}: the training loss at that step
 * @param trainMeanTokenAccuracy {@code train_mean_token_accuracy}: the share of training tokens predicted right
 * @param validLoss {@code valid_loss}: the loss on a validation batch
 * @param validMeanTokenAccuracy {@code valid_mean_token_accuracy}: the token accuracy on a validation batch
 * @param fullValidLoss {@code full_valid_loss}: the loss on the whole validation file
 * @param fullValidMeanTokenAccuracy {@code full_valid_mean_token_accuracy}: the token accuracy on the whole validation
 *        file
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
@JsonInclude(Include.NON_NULL)
public record CheckpointMetrics(Double step, Double trainLoss, Double trainMeanTokenAccuracy, Double validLoss,
                                Double validMeanTokenAccuracy, Double fullValidLoss,
                                Double fullValidMeanTokenAccuracy,
                                @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} as an empty map. */
    public CheckpointMetrics {
        extra = Extra.of(extra);
    }
}
