package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.FilePurpose;
import dev.finetune4j.api.FineTuneMethod;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.JobStatus;
import dev.finetune4j.api.Json;
import dev.finetune4j.data.ModelLimits;
import dev.finetune4j.grade.Grader;
import dev.finetune4j.grade.GraderValidationException;
import dev.finetune4j.grade.Graders;
import dev.finetune4j.server.Rows.CheckpointRow;
import dev.finetune4j.server.Rows.EventRow;
import dev.finetune4j.server.Rows.FileRow;
import dev.finetune4j.server.Rows.JobRow;
import dev.finetune4j.server.Rows.ModelRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1/fine_tuning/jobs}: create, list, retrieve, cancel, pause, resume, events, checkpoints. */
final class JobRoutes {
    private static final Set<String> FIELDS = Set.of("model", "training_file", "validation_file", "suffix", "seed",
            "method", "hyperparameters", "integrations", "metadata");
    private static final SecureRandom SEEDS = new SecureRandom();

    private final Services s;

    JobRoutes(Services s) {
        this.s = s;
    }

    void register(RoutesConfig r) {
        r.post("/v1/fine_tuning/jobs", this::create);
        GetRoute.add(r, "/v1/fine_tuning/jobs", this::list);
        GetRoute.add(r, "/v1/fine_tuning/jobs/{fine_tuning_job_id}", ctx -> ctx.json(api(job(ctx))));
        r.post("/v1/fine_tuning/jobs/{fine_tuning_job_id}/cancel", this::cancel);
        r.post("/v1/fine_tuning/jobs/{fine_tuning_job_id}/pause", this::pause);
        r.post("/v1/fine_tuning/jobs/{fine_tuning_job_id}/resume", this::resume);
        GetRoute.add(r, "/v1/fine_tuning/jobs/{fine_tuning_job_id}/events", this::events);
        GetRoute.add(r, "/v1/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints", this::checkpoints);
    }

    private JobRow job(Context ctx) {
        return s.jobs().get(RequestParams.caller(ctx).projectId(), ctx.pathParam("fine_tuning_job_id"));
    }

    private FineTuningJob api(JobRow j) {
        return j.toApi(s.organizationId());
    }

    private void create(Context ctx) {
        Caller caller = RequestParams.caller(ctx);
        ObjectNode body = Body.object(ctx);
        Body.onlyKnown(body, "", FIELDS);

        String model = Body.requiredString(body, "model", "model");
        String config = s.catalog().baseConfig(model);
        String baseWeights = null;
        if (config == null) {
            ModelRow ft = s.catalog().model(model);
            if (ft == null || !ft.projectId().equals(caller.projectId())) {
                throw ApiException.badRequest("Model " + model + " is not available for fine-tuning or does not"
                        + " exist. Local base models: " + String.join(", ", s.catalog().configurations())
                        + " (OpenAI model names such as gpt-4o-mini-2024-07-18 are accepted as aliases).",
                        "model", "model_not_available");
            }
            config = ft.config();
            baseWeights = ft.weights();
        }
        String trainingFile = Body.requiredString(body, "training_file", "training_file");
        String validationFile = Body.string(Body.field(body, "validation_file"), "validation_file");
        String suffix = Body.string(Body.field(body, "suffix"), "suffix", 1, 64);
        if (suffix != null && !suffix.matches("[A-Za-z0-9._\\-]+")) {
            throw ApiException.badRequest("Invalid 'suffix': it may hold only letters, digits, '.', '_' and '-',"
                    + " because it becomes part of the model name.", "suffix", "invalid_value");
        }
        Long seed = Body.integer(Body.field(body, "seed"), "seed", 0, Integer.MAX_VALUE);
        if (seed == null) seed = (long) SEEDS.nextInt(Integer.MAX_VALUE);

        ObjectNode method = method(body, caller);
        String type = method.get("type").asText();
        if (!type.equals("supervised") && ModelLimits.usesPromptCompletion(model)) {
            // as OpenAI: the completion models take supervised prompt/completion files only
            throw ApiException.badRequest("Model " + model + " does not support method type '" + type + "': it trains"
                    + " on supervised prompt/completion files only; preference and reinforcement jobs need a chat model"
                    + " such as " + s.catalog().configurations().get(0) + ".", "method.type", "unsupported_method");
        }
        if (!s.engine().supportsMethod(type)) {
            throw ApiException.badRequest("This server's training engine cannot train method type '" + type
                    + "'.", "method.type", "unsupported_method");
        }
        ObjectNode hp = (ObjectNode) method.get(type).get("hyperparameters");
        JsonNode integrations = integrations(body);
        JsonNode metadata = metadata(body.get("metadata"));
        // the whole body is valid (400s name the parameter); only now look the files up (404s)
        checkFile(caller, trainingFile, "training_file");
        if (validationFile != null) checkFile(caller, validationFile, "validation_file");

        long now = Projects.now();
        String id = Ids.job();
        JobRow row = JobRow.created(id, caller.projectId(), now, model, config, baseWeights, trainingFile,
                validationFile, suffix, seed, Json.write(method), Json.write(hp),
                integrations == null ? null : Json.write(integrations), metadata == null ? null : Json.write(metadata));
        String localConfig = config;
        s.db().transaction(() -> {
            s.jobs().insert(row);
            s.jobs().info(id, "Created fine-tuning job: " + id);
            s.jobs().info(id, model.equals(localConfig)
                    ? "Training the local '" + localConfig + "' configuration"
                    : "Model " + model + " is trained locally as the '" + localConfig + "' configuration");
            if (integrations != null && !integrations.isEmpty()) {
                s.jobs().event(id, "warn", "Weights & Biases integration stored but not reached: the local server"
                        + " does not send runs to W&B (project " + integrations.get(0).path("wandb").path("project")
                        .asText() + ")", null, null);
            }
        });
        s.scheduler().validate(id);
        ctx.json(api(s.jobs().get(id)));
    }

    private void checkFile(Caller caller, String fileId, String param) {
        FileRow f = s.files().get(fileId);
        if (f == null || !f.projectId().equals(caller.projectId())) {
            throw ApiException.notFound("Invalid file: " + fileId + " does not exist or you do not have access"
                    + " to it.", param, "file_not_found");
        }
        if (!FilePurpose.FINE_TUNE.equals(f.purpose())) {
            throw ApiException.badRequest("File " + fileId + " has purpose '" + f.purpose() + "'; fine-tuning"
                    + " files must be uploaded with purpose 'fine-tune'.", param, "invalid_file_purpose");
        }
        if (!Files.exists(s.blobs().file(fileId))) {
            throw ApiException.notFound("Invalid file: the content of " + fileId + " is missing.", param,
                    "file_not_found");
        }
    }

    /** The method with its hyperparameters filled in: {@code method} wins over the deprecated field. */
    private ObjectNode method(ObjectNode body, Caller caller) {
        JsonNode m = Body.object(Body.field(body, "method"), "method");
        JsonNode legacy = Body.object(Body.field(body, "hyperparameters"), "hyperparameters");
        ObjectNode out = Json.MAPPER.createObjectNode();
        String type = FineTuneMethod.SUPERVISED;
        JsonNode settings = null;
        if (m != null) {
            Body.onlyKnown(m, "method.", Set.of("type", "supervised", "dpo", "reinforcement"));
            type = Body.enumValue(Body.required(m, "type", "method.type"), "method.type",
                    Set.of(FineTuneMethod.SUPERVISED, FineTuneMethod.DPO, FineTuneMethod.REINFORCEMENT));
            settings = Body.object(Body.field(m, type), "method." + type);
            for (String other : List.of("supervised", "dpo", "reinforcement")) {
                if (!other.equals(type) && Body.field(m, other) != null) {
                    throw ApiException.badRequest("method." + other + " was given, but method.type is '" + type
                            + "'.", "method." + other, "invalid_value");
                }
            }
        }
        String prefix = "method." + type + ".";
        JsonNode hp = null;
        if (settings != null) {
            Set<String> allowed = type.equals(FineTuneMethod.REINFORCEMENT)
                    ? Set.of("hyperparameters", "grader", "response_format") : Set.of("hyperparameters");
            Body.onlyKnown(settings, prefix, allowed);
            hp = Body.object(Body.field(settings, "hyperparameters"), prefix + "hyperparameters");
            if (type.equals(FineTuneMethod.REINFORCEMENT)) {
                JsonNode grader = Body.object(Body.required(settings, "grader", prefix + "grader"), prefix + "grader");
                Grader parsed;
                try {
                    parsed = Graders.parse(grader, prefix + "grader");
                } catch (GraderValidationException e) {
                    throw ApiException.badRequest(e.getMessage(), e.param(), "invalid_grader");
                }
                s.pythonGraders().checkAllowed(caller, parsed, prefix + "grader");
                s.pythonGraders().checkSources(parsed, prefix + "grader");
            }
        } else if (type.equals(FineTuneMethod.REINFORCEMENT)) {
            throw ApiException.missing(prefix + "grader");
        }
        if (legacy != null && hp != null) {
            throw ApiException.badRequest("Give hyperparameters either in method." + type + ".hyperparameters or"
                    + " in the deprecated hyperparameters field, not both.", "hyperparameters", "invalid_value");
        }
        String hpParam = hp != null ? prefix + "hyperparameters." : "hyperparameters.";
        if (hp == null) hp = legacy;
        if (legacy != null && !type.equals(FineTuneMethod.SUPERVISED)) {
            throw ApiException.badRequest("The deprecated hyperparameters field applies to supervised jobs only;"
                    + " use method." + type + ".hyperparameters.", "hyperparameters", "invalid_value");
        }
        ObjectNode resolved = hyperparameters(hp, hpParam, type);
        ObjectNode methodSettings = settings == null ? Json.MAPPER.createObjectNode() : ((ObjectNode) settings).deepCopy();
        methodSettings.set("hyperparameters", resolved);
        out.put("type", type);
        out.set(type, methodSettings);
        return out;
    }

    private static ObjectNode hyperparameters(JsonNode hp, String prefix, String type) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        Set<String> allowed = switch (type) {
            case FineTuneMethod.DPO -> Set.of("batch_size", "learning_rate_multiplier", "n_epochs", "beta");
            case FineTuneMethod.REINFORCEMENT -> Set.of("batch_size", "learning_rate_multiplier", "n_epochs",
                    "reasoning_effort", "compute_multiplier", "eval_interval", "eval_samples");
            default -> Set.of("batch_size", "learning_rate_multiplier", "n_epochs");
        };
        if (hp != null) Body.onlyKnown(hp, prefix, allowed);
        out.set("batch_size", autoOrInteger(hp, "batch_size", prefix, 1, 256));
        out.set("learning_rate_multiplier", autoOrNumber(hp, "learning_rate_multiplier", prefix, 0, true, 1e6));
        out.set("n_epochs", autoOrInteger(hp, "n_epochs", prefix, 1, 50));
        if (type.equals(FineTuneMethod.DPO)) out.set("beta", autoOrNumber(hp, "beta", prefix, 0, true, 2));
        if (type.equals(FineTuneMethod.REINFORCEMENT) && hp != null) {
            JsonNode effort = Body.field(hp, "reasoning_effort");
            if (effort != null) {
                out.put("reasoning_effort", Body.enumValue(effort, prefix + "reasoning_effort",
                        Set.of("default", "low", "medium", "high")));
            }
            if (Body.field(hp, "compute_multiplier") != null) {
                out.set("compute_multiplier", autoOrNumber(hp, "compute_multiplier", prefix, 0.00001, true, 10));
            }
            if (Body.field(hp, "eval_interval") != null) {
                out.set("eval_interval", autoOrInteger(hp, "eval_interval", prefix, 1, Integer.MAX_VALUE));
            }
            if (Body.field(hp, "eval_samples") != null) {
                out.set("eval_samples", autoOrInteger(hp, "eval_samples", prefix, 1, Integer.MAX_VALUE));
            }
        }
        return out;
    }

    private static JsonNode autoOrInteger(JsonNode hp, String name, String prefix, long min, long max) {
        JsonNode n = hp == null ? null : Body.field(hp, name);
        if (n == null || (n.isTextual() && n.asText().equals("auto"))) return Json.MAPPER.getNodeFactory().textNode("auto");
        if (n.isTextual()) {
            throw ApiException.badRequest("Invalid value for '" + prefix + name + "': expected 'auto' or an integer,"
                    + " but got '" + n.asText() + "' instead.", prefix + name, "invalid_value");
        }
        return Json.MAPPER.getNodeFactory().numberNode(Body.integer(n, prefix + name, min, max));
    }

    private static JsonNode autoOrNumber(JsonNode hp, String name, String prefix, double min, boolean exclusive,
                                         double max) {
        JsonNode n = hp == null ? null : Body.field(hp, name);
        if (n == null || (n.isTextual() && n.asText().equals("auto"))) return Json.MAPPER.getNodeFactory().textNode("auto");
        if (n.isTextual()) {
            throw ApiException.badRequest("Invalid value for '" + prefix + name + "': expected 'auto' or a number,"
                    + " but got '" + n.asText() + "' instead.", prefix + name, "invalid_value");
        }
        return Json.MAPPER.getNodeFactory().numberNode(Body.number(n, prefix + name, min, exclusive, max));
    }

    private static JsonNode integrations(JsonNode body) {
        JsonNode list = Body.array(Body.field(body, "integrations"), "integrations");
        if (list == null) return null;
        if (list.size() > 5) {
            throw ApiException.badRequest("Invalid 'integrations': array too long. Expected an array with maximum"
                    + " length 5, but got an array with length " + list.size() + " instead.", "integrations",
                    "array_above_max_length");
        }
        for (int i = 0; i < list.size(); i++) {
            String p = "integrations[" + i + "]";
            JsonNode item = Body.object(list.get(i), p);
            if (item == null) throw Body.invalidType(p, "an object", list.get(i));
            Body.onlyKnown(item, p + ".", Set.of("type", "wandb"));
            Body.enumValue(Body.required(item, "type", p + ".type"), p + ".type", Set.of("wandb"));
            JsonNode w = Body.object(Body.required(item, "wandb", p + ".wandb"), p + ".wandb");
            Body.onlyKnown(w, p + ".wandb.", Set.of("project", "name", "entity", "tags"));
            Body.requiredString(w, "project", p + ".wandb.project");
            Body.string(Body.field(w, "name"), p + ".wandb.name");
            Body.string(Body.field(w, "entity"), p + ".wandb.entity");
            JsonNode tags = Body.array(Body.field(w, "tags"), p + ".wandb.tags");
            if (tags != null) {
                for (int t = 0; t < tags.size(); t++) Body.string(tags.get(t), p + ".wandb.tags[" + t + "]");
            }
        }
        return list;
    }

    static JsonNode metadata(JsonNode n) {
        if (n == null || n.isNull()) return null;
        Body.object(n, "metadata");
        if (n.size() > 16) {
            throw ApiException.badRequest("Invalid 'metadata': too many properties. Expected an object with at most"
                    + " 16 properties, but got an object with " + n.size() + " properties instead.", "metadata",
                    "object_above_max_properties");
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (e.getKey().length() > 64) {
                throw ApiException.badRequest("Invalid 'metadata': key '" + e.getKey().substring(0, 16) + "...' is "
                        + e.getKey().length() + " characters long; keys may have at most 64 characters.",
                        "metadata", "string_above_max_length");
            }
            Body.string(e.getValue(), "metadata." + e.getKey(), 0, 512);
        }
        return n;
    }

    private void list(Context ctx) {
        int limit = RequestParams.limit(ctx, 20, 10000);
        Map<String, String> filter = null;
        String whole = ctx.queryParam("metadata");
        if ("null".equals(whole)) {
            filter = Map.of();
        } else if (whole != null) {
            // a typo here would list every job as if it matched
            throw ApiException.badRequest("Invalid value for 'metadata': filter with metadata[KEY]=VALUE, or with"
                    + " metadata=null for the jobs without metadata, but got '" + whole + "' instead.", "metadata",
                    "invalid_value");
        }
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("metadata[") && k.endsWith("]") && !e.getValue().isEmpty()) {
                if (filter == null || filter.isEmpty()) filter = new LinkedHashMap<>();
                filter.put(k.substring(9, k.length() - 1), e.getValue().get(0));
            }
        }
        List<JobRow> rows = s.jobs().list(RequestParams.caller(ctx).projectId(), RequestParams.after(ctx), limit + 1, filter);
        ctx.json(Pages.of(rows, limit, this::api));
    }

    private void cancel(Context ctx) throws java.io.IOException {
        JobRow j = job(ctx);
        boolean done = s.db().transaction(() -> {
            if (!s.jobs().transition(j.id(), JobStatus.CANCELLED, JobStatus.VALIDATING_FILES, JobStatus.QUEUED,
                    JobStatus.RUNNING, JobStatus.PAUSED)) {
                return false;
            }
            s.jobs().set(j.id(), "finished_at", Projects.now());
            s.jobs().set(j.id(), "estimated_finish", null);
            s.jobs().info(j.id(), "Fine-tuning job cancelled");
            return true;
        });
        if (!done) throw wrongState(s.jobs().get(j.id()), "cancelled");
        s.scheduler().stopValidation(j.id());
        if (!s.scheduler().requestStop(j.id(), Scheduler.Stop.CANCEL)) {
            String state = s.jobs().get(j.id()).resumeState();
            if (state != null) Files.deleteIfExists(Path.of(state));
            s.db().update("UPDATE jobs SET resume_state = NULL, resume_step = NULL WHERE id = ?", j.id());
        }
        ctx.json(api(s.jobs().get(j.id())));
    }

    private void pause(Context ctx) {
        JobRow j = job(ctx);
        boolean done = s.db().transaction(() -> {
            // as the service documents it: pause takes a running job; one still waiting can be cancelled instead
            if (!s.jobs().transition(j.id(), JobStatus.PAUSED, JobStatus.RUNNING)) return false;
            s.jobs().set(j.id(), "estimated_finish", null);
            s.jobs().info(j.id(), "Fine-tuning job paused");
            return true;
        });
        if (!done) {
            JobRow now = s.jobs().get(j.id());
            throw ApiException.badRequest("Job " + now.id() + " cannot be paused: its status is " + now.status()
                    + ". Only a running job can be paused" + (JobStatus.PAUSED.equals(now.status()) ? "; it is"
                    + " already paused." : "; wait until it is running, or cancel it."), "fine_tuning_job_id",
                    "invalid_job_state");
        }
        s.scheduler().requestStop(j.id(), Scheduler.Stop.PAUSE);
        ctx.json(api(s.jobs().get(j.id())));
    }

    private void resume(Context ctx) {
        JobRow j = job(ctx);
        boolean done = s.db().transaction(() -> {
            if (!s.jobs().transition(j.id(), JobStatus.QUEUED, JobStatus.PAUSED)) return false;
            // the job keeps its place in the queue (queued_at from when its files were validated): a pause does
            // not send it behind the jobs that came after it. While its training is still stopping, the step it
            // stops at is not known yet, so the event names a step only once the training has stopped.
            boolean stopped = !s.scheduler().isActive(j.id());
            s.jobs().info(j.id(), "Fine-tuning job resumed; it is queued to continue"
                    + (stopped && j.resumeStep() != null ? " from step " + j.resumeStep() : " from where it stopped"));
            return true;
        });
        if (!done) throw wrongState(s.jobs().get(j.id()), "resumed");
        s.scheduler().dispatch();
        ctx.json(api(s.jobs().get(j.id())));
    }

    private static ApiException wrongState(JobRow j, String verb) {
        return ApiException.badRequest("Job " + j.id() + " cannot be " + verb + ": its status is " + j.status()
                + ".", "fine_tuning_job_id", "invalid_job_state");
    }

    private void events(Context ctx) {
        JobRow j = job(ctx);
        int limit = RequestParams.limit(ctx, 20, 10000);
        List<EventRow> rows = s.jobs().events(j.id(), RequestParams.after(ctx), limit + 1);
        ctx.json(Pages.of(rows, limit, EventRow::toApi));
    }

    private void checkpoints(Context ctx) {
        JobRow j = job(ctx);
        int limit = RequestParams.limit(ctx, 10, 10000);
        List<CheckpointRow> rows = s.jobs().checkpoints(j.id(), RequestParams.after(ctx), limit + 1);
        ctx.json(Pages.withIds(rows, limit, CheckpointRow::toApi, FineTuningJobCheckpoint::id));
    }
}
