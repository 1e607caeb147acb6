package dev.finetune4j.server;

import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.JobError;
import dev.finetune4j.api.Json;
import dev.finetune4j.server.Rows.CheckpointRow;
import dev.finetune4j.server.Rows.EventRow;
import dev.finetune4j.server.Rows.JobRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Jobs, their events and their checkpoints in the metadata store. */
final class JobStore {
    private final Database db;

    JobStore(Database db) {
        this.db = db;
    }

    Database db() {
        return db;
    }

    void insert(JobRow j) {
        db.update("INSERT INTO jobs(id, project_id, created_at, model, config, base_weights, status, training_file,"
                        + " validation_file, suffix, seed, method, hyperparameters, integrations, metadata)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                j.id(), j.projectId(), j.createdAt(), j.model(), j.config(), j.baseWeights(), j.status(),
                j.trainingFile(), j.validationFile(), j.suffix(), j.seed(), j.method(), j.hyperparameters(),
                j.integrations(), j.metadata());
    }

    JobRow get(String id) {
        return db.queryOne("SELECT * FROM jobs WHERE id = ?", JobRow::of, id);
    }

    /** The job if the project owns it, else a 404 as the service answers for unknown ids. */
    JobRow get(String projectId, String id) {
        JobRow j = get(id);
        if (j == null || !j.projectId().equals(projectId)) {
            throw ApiException.notFound("Could not find fine tune: " + id, "fine_tuning_job_id", "fine_tune_not_found");
        }
        return j;
    }

    /** Newest first; {@code metadataFilter} null means no filter, an empty map means "jobs without metadata". */
    List<JobRow> list(String projectId, String after, int limit, Map<String, String> metadataFilter) {
        StringBuilder sql = new StringBuilder("SELECT * FROM jobs WHERE project_id = ?");
        List<Object> args = new ArrayList<>(List.of(projectId));
        if (after != null) {
            Long seq = db.queryLong("SELECT seq FROM jobs WHERE id = ? AND project_id = ?", after, projectId);
            if (seq == null) {
                throw ApiException.notFound("Could not find fine tune: " + after, "after", "fine_tune_not_found");
            }
            sql.append(" AND seq < ?");
            args.add(seq);
        }
        if (metadataFilter != null && metadataFilter.isEmpty()) {
            sql.append(" AND (metadata IS NULL OR metadata = '{}')");
        } else if (metadataFilter != null) {
            for (Map.Entry<String, String> e : metadataFilter.entrySet()) {
                sql.append(" AND json_extract(metadata, ?) = ?");
                args.add("$.\"" + e.getKey().replace("\"", "") + "\"");
                args.add(e.getValue());
            }
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(limit);
        return db.query(sql.toString(), JobRow::of, args.toArray());
    }

    /** Moves a job to {@code to} if it is in one of {@code from}; returns false when it was not. */
    boolean transition(String id, String to, String... from) {
        String placeholders = String.join(",", java.util.Collections.nCopies(from.length, "?"));
        Object[] args = new Object[from.length + 2];
        args[0] = to;
        args[1] = id;
        System.arraycopy(from, 0, args, 2, from.length);
        return db.update("UPDATE jobs SET status = ? WHERE id = ? AND status IN (" + placeholders + ")", args) == 1;
    }

    void set(String id, String column, Object value) {
        db.update("UPDATE jobs SET " + column + " = ? WHERE id = ?", value, id);
    }

    void fail(String id, JobError error) {
        db.transaction(() -> {
            db.update("UPDATE jobs SET status = 'failed', error = ?, finished_at = ?, estimated_finish = NULL"
                    + " WHERE id = ?", Json.write(error), Projects.now(), id);
            event(id, "error", error.message(), null, null);
        });
    }

    /** Adds an event; {@code step} ties metrics and checkpoint events to a training step. */
    void event(String jobId, String level, String message, Map<String, Object> data, Integer step) {
        event(jobId, Projects.now(), level, message, data, step);
    }

    void event(String jobId, long createdAt, String level, String message, Map<String, Object> data, Integer step) {
        // a step's metrics: losses, or the rewards of reinforcement fine-tuning
        boolean metrics = data != null && step != null
                && (data.containsKey("train_loss") || data.containsKey("train_reward_mean"));
        String type = metrics ? FineTuningJobEvent.TYPE_METRICS : FineTuningJobEvent.TYPE_MESSAGE;
        db.update("INSERT INTO events(id, job_id, created_at, level, message, type, data, step)"
                        + " VALUES (?,?,?,?,?,?,?,?)", Ids.event(), jobId, createdAt, level, message, type,
                data == null ? null : Json.write(data), step);
        // the operator's view of what the server does; a step's metrics would drown it
        if (!metrics) {
            if (level.equals("error")) JOB_LOG.warn("{}: {}", jobId, message);
            else JOB_LOG.info("{}: {}", jobId, message);
        }
    }

    /**
     * Job events for an operator's log: on for the standalone server ({@link ServerMain}), off in notebooks and
     * JShell, where every log line shows as an error.
     */
    static final String JOB_LOG_NAME = "finetune4j.jobs";
    private static final Logger JOB_LOG = LoggerFactory.getLogger(JOB_LOG_NAME);

    void info(String jobId, String message) {
        event(jobId, "info", message, null, null);
    }

    /** Newest first; {@code after} is the id of the last event of the previous page. */
    List<EventRow> events(String jobId, String after, int limit) {
        if (after == null) {
            return db.query("SELECT * FROM events WHERE job_id = ? ORDER BY seq DESC LIMIT ?", EventRow::of,
                    jobId, limit);
        }
        Long seq = DeletedCursors.position(db, "events", "seq", "job_id", after, jobId);
        if (seq == null) throw ApiException.notFound("No event with id " + after + " in job " + jobId, "after", "event_not_found");
        return db.query("SELECT * FROM events WHERE job_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                EventRow::of, jobId, seq, limit);
    }

    /** Metrics data of every step, oldest first: the rows of the result file. */
    List<Map<String, Object>> stepMetrics(String jobId) {
        return db.query("SELECT data FROM events WHERE job_id = ? AND type = 'metrics' ORDER BY step, seq",
                rs -> Json.MAPPER.convertValue(Json.tree(rs.getString(1)),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}), jobId);
    }

    /** Forgets what happened after {@code step}: a resumed run replays those steps. */
    void forgetAfter(String jobId, long step) {
        db.transaction(() -> {
            // a client paging the events may hold one of these as its cursor
            DeletedCursors.rememberDeleted(db, "events", "seq", "job_id", "job_id = ? AND step > ?", jobId, step);
            db.update("DELETE FROM events WHERE job_id = ? AND step > ?", jobId, step);
        });
    }

    void insertCheckpoint(CheckpointRow c) {
        db.update("INSERT INTO checkpoints(id, job_id, project_id, created_at, model_name, config, step, metrics,"
                        + " weights) VALUES (?,?,?,?,?,?,?,?,?)", c.id(), c.jobId(), c.projectId(), c.createdAt(),
                c.modelName(), c.config(), c.step(), c.metrics(), c.weights());
    }

    List<CheckpointRow> checkpoints(String jobId) {
        return db.query("SELECT * FROM checkpoints WHERE job_id = ? ORDER BY step DESC, seq DESC",
                CheckpointRow::of, jobId);
    }

    /** Newest first, as the service lists them. */
    List<CheckpointRow> checkpoints(String jobId, String after, int limit) {
        if (after == null) {
            return db.query("SELECT * FROM checkpoints WHERE job_id = ? ORDER BY step DESC, seq DESC LIMIT ?",
                    CheckpointRow::of, jobId, limit);
        }
        Long step = DeletedCursors.position(db, "checkpoints", "step", "job_id", after, jobId);
        if (step == null) {
            throw ApiException.notFound("No checkpoint with id " + after + " in job " + jobId, "after", "checkpoint_not_found");
        }
        return db.query("SELECT * FROM checkpoints WHERE job_id = ? AND step < ? ORDER BY step DESC LIMIT ?",
                CheckpointRow::of, jobId, step, limit);
    }

    CheckpointRow checkpointByName(String modelName) {
        return db.queryOne("SELECT * FROM checkpoints WHERE model_name = ?", CheckpointRow::of, modelName);
    }

    /** The project's checkpoint with this id ({@code ftckpt_...}), or null. */
    CheckpointRow checkpointById(String projectId, String id) {
        return db.queryOne("SELECT * FROM checkpoints WHERE id = ? AND project_id = ?", CheckpointRow::of, id,
                projectId);
    }

    void deleteCheckpoint(String id) {
        db.transaction(() -> {
            db.update("DELETE FROM permissions WHERE checkpoint = (SELECT model_name FROM checkpoints WHERE id = ?)", id);
            DeletedCursors.rememberDeleted(db, "checkpoints", "step", "job_id", "id = ?", id);
            db.update("DELETE FROM checkpoints WHERE id = ?", id);
        });
    }

    /** Jobs waiting for a training slot, in the order they were queued. */
    List<JobRow> queued() {
        return db.query("SELECT * FROM jobs WHERE status = 'queued' ORDER BY queued_at, seq", JobRow::of);
    }

    List<JobRow> withStatus(String status) {
        return db.query("SELECT * FROM jobs WHERE status = ? ORDER BY seq", JobRow::of, status);
    }

    /** Whether a job that is not finished reads this file. */
    /** A job not yet finished that starts from these weights (a fine-tuned model fine-tuned further), or null. */
    String activeJobStartingFrom(String weights) {
        return db.queryString("SELECT id FROM jobs WHERE base_weights = ?"
                + " AND status NOT IN ('succeeded', 'failed', 'cancelled') LIMIT 1", weights);
    }

    String activeJobUsing(String fileId) {
        return db.queryString("SELECT id FROM jobs WHERE (training_file = ? OR validation_file = ?)"
                + " AND status NOT IN ('succeeded', 'failed', 'cancelled') LIMIT 1", fileId, fileId);
    }
}
