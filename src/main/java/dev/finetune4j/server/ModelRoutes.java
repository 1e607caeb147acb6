package dev.finetune4j.server;

import dev.finetune4j.api.Deleted;
import dev.finetune4j.api.Model;
import dev.finetune4j.api.Page;
import dev.finetune4j.server.Rows.CheckpointRow;
import dev.finetune4j.server.Rows.ModelRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code /v1/models}: local base models, the project's fine-tuned models and checkpoints; delete. */
final class ModelRoutes {
    /** The models list: not paged, so without {@code has_more} (the spec's schema forbids it there). */
    record ModelList(String object, List<Model> data) {}

    private final Services s;
    /** The base models' {@code created}: when this data directory was made, the same after every restart. */
    private final long baseModelsCreated;

    ModelRoutes(Services s) {
        this.s = s;
        this.baseModelsCreated = s.projects().dataCreatedAt();
    }

    void register(RoutesConfig r) {
        GetRoute.add(r, "/v1/models", this::list);
        GetRoute.add(r, "/v1/models/{model}", this::retrieve);
        r.delete("/v1/models/{model}", this::delete);
    }

    private void list(Context ctx) {
        Caller caller = RequestParams.caller(ctx);
        List<Model> data = new ArrayList<>();
        for (String config : s.catalog().configurations()) {
            data.add(local(config, baseModelsCreated, ModelCatalog.OWNER, config));
        }
        String owner = ownerOf(caller.projectId());
        for (ModelRow m : s.catalog().models(caller.projectId())) data.add(local(m.id(), m.createdAt(), owner, caller));
        for (CheckpointRow c : s.catalog().checkpoints(caller.projectId())) {
            data.add(local(c.modelName(), c.createdAt(), ownerOf(c.projectId()), caller));
        }
        ctx.json(new ModelList(Page.OBJECT, data));
    }

    private Model local(String name, long created, String owner, Caller caller) {
        ModelCatalog.Resolved r = s.catalog().resolve(name, caller);
        return local(name, created, owner, r == null ? null : r.config());
    }

    /**
     * A model object with one field the spec does not have, {@code context_length}: the tokens an example may take,
     * so that a client can check a training file against the local model's limit before a job does.
     */
    private Model local(String name, long created, String owner, String config) {
        Model m = new Model(name, created, owner);
        if (config != null) m.extra().put("context_length", s.engine().contextLength(config));
        return m;
    }

    private String ownerOf(String projectId) {
        return s.organizationId();
    }

    private void retrieve(Context ctx) {
        Caller caller = RequestParams.caller(ctx);
        String name = ctx.pathParam("model");
        ModelCatalog.Resolved r = s.catalog().resolve(name, caller);
        if (r == null) throw notFound(name);
        if (r.base()) {
            ctx.json(local(name, baseModelsCreated, ModelCatalog.OWNER, r.config()));
            return;
        }
        ModelRow m = s.catalog().model(name);
        if (m != null) {
            ctx.json(local(name, m.createdAt(), ownerOf(m.projectId()), r.config()));
            return;
        }
        CheckpointRow c = s.jobs().checkpointByName(name);
        ctx.json(local(name, c.createdAt(), ownerOf(c.projectId()), r.config()));
    }

    private void delete(Context ctx) throws IOException {
        Caller caller = RequestParams.caller(ctx);
        String name = ctx.pathParam("model");
        ModelRow m = s.catalog().model(name);
        if (m == null || !m.projectId().equals(caller.projectId())) {
            ModelCatalog.Resolved r = s.catalog().resolve(name, caller);
            if (r != null) {
                String what = r.base() ? "a base model" : s.jobs().checkpointByName(name) != null ? "a checkpoint"
                        : "another project's model";
                throw ApiException.forbidden("Model " + name + " is " + what + "; only the fine-tuned models of your"
                        + " project can be deleted.");
            }
            throw notFound(name);
        }
        String job = s.jobs().activeJobStartingFrom(m.weights());
        if (job != null) {
            throw ApiException.badRequest("Model " + name + " is the base of fine-tuning job " + job + ", which has"
                    + " not finished; cancel the job or wait for it to finish.", "model", "model_in_use");
        }
        s.db().update("DELETE FROM models WHERE id = ?", name);
        s.chatModels().evict(Path.of(m.weights()));
        Files.deleteIfExists(Path.of(m.weights()));
        ctx.json(new Deleted(name, Model.OBJECT, true));
    }

    static ApiException notFound(String name) {
        return ApiException.notFound("The model `" + name + "` does not exist or you do not have access to it.",
                "model", "model_not_found");
    }
}
