package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * A fine-tuning job ({@code object: "fine_tuning.job"}). {@code status} is a string (see {@link JobStatus});
 * fields the record does not name are kept in {@link #extra()}.
 */
public record FineTuningJob(String id, String object, long createdAt, JobError error, String fineTunedModel,
                            Long finishedAt, Hyperparameters hyperparameters, String model,
                            String organizationId, List<String> resultFiles, String status,
                            Long trainedTokens, String trainingFile, String validationFile,
                            @JsonInclude(Include.NON_NULL) List<Integration> integrations, long seed,
                            @JsonInclude(Include.NON_NULL) Long estimatedFinish,
                            @JsonInclude(Include.NON_NULL) FineTuneMethod method,
                            @JsonInclude(Include.NON_NULL) Map<String, String> metadata,
                            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "fine_tuning.job";

    public FineTuningJob {
        extra = Extra.of(extra);
        resultFiles = resultFiles == null ? List.of() : resultFiles;
    }

    /**
     * The suffix the job was created with, known before the model name exists; the service sends it as
     * {@code user_provided_suffix} (not in the spec, so it stays in {@link #extra()}): {@code job.userProvidedSuffix()}.
     */
    public String userProvidedSuffix() {
        return extra.get("user_provided_suffix") instanceof String suffix ? suffix : null;
    }

    /** True once the job has succeeded, failed or been cancelled. */
    @JsonIgnore // a convenience, not a wire field
    public boolean isTerminal() {
        return JobStatus.isTerminal(status);
    }
}
