package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A checkpoint of a job ({@code object: "fine_tuning.job.checkpoint"}), usable as a model by its name. */
public record FineTuningJobCheckpoint(String id, String object, long createdAt, String fineTunedModelCheckpoint,
                                      String fineTuningJobId, CheckpointMetrics metrics, long stepNumber,
                                      @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "fine_tuning.job.checkpoint";

    public FineTuningJobCheckpoint {
        extra = Extra.of(extra);
    }
}
