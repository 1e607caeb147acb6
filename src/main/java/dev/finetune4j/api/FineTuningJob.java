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
 *
 * @param id the job's id ({@code ftjob-...})
 * @param object always {@code fine_tuning.job}
 * @param createdAt {@code created_at}: when the job was created, in Unix seconds
 * @param error why the job failed; null unless it did
 * @param fineTunedModel {@code fine_tuned_model}: the resulting model's name, null until the job succeeds
 * @param finishedAt {@code finished_at}: when the job ended, in Unix seconds; null while it runs
 * @param hyperparameters the hyperparameters used, values chosen by the service filled in (see also {@code method})
 * @param model the base model being fine-tuned
 * @param organizationId {@code organization_id}: the organisation that owns the job
 * @param resultFiles {@code result_files}: ids of the result files (the step metrics CSV), e.g. for
 *        {@code files().contentAsString(id)}
 * @param status the job's status, see {@link JobStatus}
 * @param trainedTokens {@code trained_tokens}: the billable tokens processed; null while the job runs
 * @param trainingFile {@code training_file}: the training file's id
 * @param validationFile {@code validation_file}: the validation file's id, or null
 * @param integrations the integrations enabled for the job, or null
 * @param seed the seed the job used
 * @param estimatedFinish {@code estimated_finish}: when the job should end, in Unix seconds; null when unknown
 * @param method the fine-tuning method and its hyperparameters
 * @param metadata the string pairs set at creation, or null
 * @param extra fields the record does not name, kept as they came (and written back out)
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
    /** The {@code object} value of a fine-tuning job. */
    public static final String OBJECT = "fine_tuning.job";

    /** Reads a null {@code extra} or {@code resultFiles} as empty. */
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
