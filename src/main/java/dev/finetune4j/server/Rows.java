package dev.finetune4j.server;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FineTuneMethod;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.CheckpointMetrics;
import dev.finetune4j.api.Hyperparameters;
import dev.finetune4j.api.Integration;
import dev.finetune4j.api.JobError;
import dev.finetune4j.api.JobStatus;
import dev.finetune4j.api.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Rows of the metadata store and their wire forms. */
final class Rows {
    private Rows() {}

    record FileRow(String id, String projectId, String filename, String purpose, long bytes, long createdAt,
                   Long expiresAt, String status) {
        static FileRow of(ResultSet rs) throws SQLException {
            return new FileRow(rs.getString("id"), rs.getString("project_id"), rs.getString("filename"),
                    rs.getString("purpose"), rs.getLong("bytes"), rs.getLong("created_at"),
                    Database.getLong(rs, "expires_at"), rs.getString("status"));
        }

        FileObject toApi() {
            return new FileObject(id, bytes, createdAt, expiresAt, filename, purpose, status);
        }
    }

    record JobRow(String id, String projectId, long createdAt, String model, String config, String baseWeights,
                  String status, String trainingFile, String validationFile, String suffix, long seed,
                  String method, String hyperparameters, String integrations, String metadata,
                  String fineTunedModel, Long finishedAt, Long trainedTokens, String resultFiles, String error,
                  Long estimatedFinish, Long resumeStep, String resumeState) {
        /** A job just created: validating its files, with nothing trained, failed or saved yet. */
        static JobRow created(String id, String projectId, long createdAt, String model, String config,
                              String baseWeights, String trainingFile, String validationFile, String suffix,
                              long seed, String method, String hyperparameters, String integrations,
                              String metadata) {
            return new JobRow(id, projectId, createdAt, model, config, baseWeights, JobStatus.VALIDATING_FILES,
                    trainingFile, validationFile, suffix, seed, method, hyperparameters, integrations, metadata,
                    null, null, null, "[]", null, null, null, null);
        }

        static JobRow of(ResultSet rs) throws SQLException {
            return new JobRow(rs.getString("id"), rs.getString("project_id"), rs.getLong("created_at"),
                    rs.getString("model"), rs.getString("config"), rs.getString("base_weights"),
                    rs.getString("status"), rs.getString("training_file"), rs.getString("validation_file"),
                    rs.getString("suffix"), rs.getLong("seed"), rs.getString("method"),
                    rs.getString("hyperparameters"), rs.getString("integrations"), rs.getString("metadata"),
                    rs.getString("fine_tuned_model"), Database.getLong(rs, "finished_at"),
                    Database.getLong(rs, "trained_tokens"), rs.getString("result_files"), rs.getString("error"),
                    Database.getLong(rs, "estimated_finish"), Database.getLong(rs, "resume_step"),
                    rs.getString("resume_state"));
        }

        FineTuningJob toApi(String organizationId) {
            Hyperparameters hp = Json.read(hyperparameters, Hyperparameters.class);
            FineTuneMethod m = Json.read(method, FineTuneMethod.class);
            List<Integration> integ = integrations == null ? null
                    : Json.MAPPER.convertValue(Json.tree(integrations), new TypeReference<List<Integration>>() {});
            Map<String, String> meta = metadata == null ? null
                    : Json.MAPPER.convertValue(Json.tree(metadata), new TypeReference<Map<String, String>>() {});
            List<String> results = Json.MAPPER.convertValue(Json.tree(resultFiles), new TypeReference<List<String>>() {});
            JobError err = error == null ? null : Json.read(error, JobError.class);
            // the deprecated top-level field, for every method: the spec's schema has it as an object, never null
            FineTuningJob job = new FineTuningJob(id, FineTuningJob.OBJECT, createdAt, err, fineTunedModel,
                    finishedAt, Hyperparameters.of(hp.batchSize(), hp.learningRateMultiplier(), hp.nEpochs()), model, organizationId, results, status, trainedTokens, trainingFile,
                    validationFile, integ, seed, estimatedFinish, m, meta, null);
            // not in the spec, but in the real service's answers: the suffix is known before there is a model name
            job.extra().put("user_provided_suffix", suffix);
            return job;
        }
    }

    record EventRow(String id, String jobId, long createdAt, String level, String message, String type,
                    String data) {
        static EventRow of(ResultSet rs) throws SQLException {
            return new EventRow(rs.getString("id"), rs.getString("job_id"), rs.getLong("created_at"),
                    rs.getString("level"), rs.getString("message"), rs.getString("type"), rs.getString("data"));
        }

        FineTuningJobEvent toApi() {
            Map<String, Object> d = data == null ? Map.of()
                    : Json.MAPPER.convertValue(Json.tree(data), new TypeReference<Map<String, Object>>() {});
            return new FineTuningJobEvent(id, FineTuningJobEvent.OBJECT, createdAt, level, message, type, d, null);
        }
    }

    record CheckpointRow(String id, String jobId, String projectId, long createdAt, String modelName,
                         String config, long step, String metrics, String weights) {
        static CheckpointRow of(ResultSet rs) throws SQLException {
            return new CheckpointRow(rs.getString("id"), rs.getString("job_id"), rs.getString("project_id"),
                    rs.getLong("created_at"), rs.getString("model_name"), rs.getString("config"),
                    rs.getLong("step"), rs.getString("metrics"), rs.getString("weights"));
        }

        FineTuningJobCheckpoint toApi() {
            return new FineTuningJobCheckpoint(id, FineTuningJobCheckpoint.OBJECT, createdAt, modelName, jobId,
                    Json.read(metrics, CheckpointMetrics.class), step, null);
        }
    }

    record ModelRow(String id, String projectId, String jobId, long createdAt, String config, String weights) {
        static ModelRow of(ResultSet rs) throws SQLException {
            return new ModelRow(rs.getString("id"), rs.getString("project_id"), rs.getString("job_id"),
                    rs.getLong("created_at"), rs.getString("config"), rs.getString("weights"));
        }
    }

    record UploadRow(String id, String projectId, String filename, String purpose, long bytes, String mimeType,
                     String status, long createdAt, long expiresAt, Long fileExpiresAfter, String fileId) {
        static UploadRow of(ResultSet rs) throws SQLException {
            return new UploadRow(rs.getString("id"), rs.getString("project_id"), rs.getString("filename"),
                    rs.getString("purpose"), rs.getLong("bytes"), rs.getString("mime_type"),
                    rs.getString("status"), rs.getLong("created_at"), rs.getLong("expires_at"),
                    Database.getLong(rs, "file_expires_after"), rs.getString("file_id"));
        }
    }
}
