package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * A checkpoint of a job ({@code object: "fine_tuning.job.checkpoint"}), usable as a model by its name.
 *
 * @param id the checkpoint's id ({@code ftckpt-...})
 * @param object always {@code fine_tuning.job.checkpoint}
 * @param createdAt {@code created_at}: when the checkpoint was saved, in Unix seconds
 * @param fineTunedModelCheckpoint {@code fine_tuned_model_checkpoint}: the model name to ask or share the checkpoint
 *        by
 * @param fineTuningJobId {@code fine_tuning_job_id}: the job that saved it
 * @param metrics the metrics at the checkpoint's step
 * @param stepNumber {@code step_number}: the training step it was saved at
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record FineTuningJobCheckpoint(String id, String object, long createdAt, String fineTunedModelCheckpoint,
                                      String fineTuningJobId, CheckpointMetrics metrics, long stepNumber,
                                      @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The {@code object} value of a job checkpoint. */
    public static final String OBJECT = "fine_tuning.job.checkpoint";

    /** Reads a null {@code extra} as an empty map. */
    public FineTuningJobCheckpoint {
        extra = Extra.of(extra);
    }
}
