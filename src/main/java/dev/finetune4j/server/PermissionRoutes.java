package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.CheckpointPermission;
import dev.finetune4j.api.Deleted;
import dev.finetune4j.server.Rows.CheckpointRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/fine_tuning/checkpoints/{checkpoint}/permissions}: the admin key grants, lists and revokes other
 * projects' access to a checkpoint; a granted project can list it as a model and chat with it.
 */
final class PermissionRoutes {
    private final Services s;

    PermissionRoutes(Services s) {
        this.s = s;
    }

    void register(RoutesConfig r) {
        String base = "/v1/fine_tuning/checkpoints/{checkpoint}/permissions";
        r.post(base, this::create);
        GetRoute.add(r, base, this::list);
        r.delete(base + "/{permission_id}", this::delete);
    }

    private CheckpointRow checkpoint(Context ctx) {
        Caller caller = RequestParams.caller(ctx);
        if (!caller.admin()) {
            throw ApiException.forbidden("Checkpoint permissions need an admin API key.");
        }
        String name = ctx.pathParam("checkpoint");
        CheckpointRow c = s.jobs().checkpointByName(name);
        if (c == null) {
            throw ApiException.notFound("No checkpoint named " + name + "." + idHint(caller, name),
                    "fine_tuned_model_checkpoint", "checkpoint_not_found");
        }
        return c;
    }

    /** Checkpoint ids and names are easily mixed up: the job's checkpoint list shows both side by side. */
    private String idHint(Caller caller, String name) {
        if (!name.startsWith("ftckpt_") && !name.startsWith("ftckpt-")) return "";
        String hint = " Permissions take the checkpoint's fine_tuned_model_checkpoint name (ft:...:ckpt-step-N),"
                + " not its id";
        CheckpointRow byId = s.jobs().checkpointById(caller.projectId(), name);
        return hint + (byId == null ? "." : ": checkpoint " + name + " is " + byId.modelName() + ".");
    }

    private static CheckpointPermission permission(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new CheckpointPermission(rs.getString("id"), rs.getLong("created_at"), rs.getString("project_id"));
    }

    private void create(Context ctx) {
        CheckpointRow c = checkpoint(ctx);
        JsonNode body = Body.object(ctx);
        Body.onlyKnown(body, "", Set.of("project_ids"));
        JsonNode ids = Body.array(Body.required(body, "project_ids", "project_ids"), "project_ids");
        if (ids.isEmpty()) {
            throw ApiException.badRequest("Invalid 'project_ids': empty array. Expected at least one project id.",
                    "project_ids", "empty_array");
        }
        Set<String> projects = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = Body.string(ids.get(i), "project_ids[" + i + "]");
            if (id == null) throw Body.invalidType("project_ids[" + i + "]", "a string", ids.get(i));
            if (s.projects().project(id) == null) {
                throw ApiException.notFound("No project with id " + id + ".", "project_ids[" + i + "]",
                        "project_not_found");
            }
            projects.add(id);
        }
        List<CheckpointPermission> created = s.db().transaction(() -> {
            List<CheckpointPermission> out = new ArrayList<>();
            for (String p : projects) {
                s.db().update("INSERT OR IGNORE INTO permissions(id, checkpoint, project_id, created_at)"
                        + " VALUES (?,?,?,?)", Ids.permission(), c.modelName(), p, Projects.now());
                out.add(s.db().queryOne("SELECT * FROM permissions WHERE checkpoint = ? AND project_id = ?",
                        PermissionRoutes::permission, c.modelName(), p));
            }
            return out;
        });
        ctx.json(Pages.withIds(created, created.size(), p -> p, CheckpointPermission::id));
    }

    private void list(Context ctx) {
        CheckpointRow c = checkpoint(ctx);
        int limit = RequestParams.limit(ctx, 10, 10000);
        boolean asc = "ascending".equals(RequestParams.oneOf(ctx, "order", "descending", Set.of("ascending", "descending")));
        String project = ctx.queryParam("project_id");
        StringBuilder sql = new StringBuilder("SELECT * FROM permissions WHERE checkpoint = ?");
        List<Object> args = new ArrayList<>(List.of(c.modelName()));
        if (project != null && !project.isEmpty()) {
            sql.append(" AND project_id = ?");
            args.add(project);
        }
        String after = RequestParams.after(ctx);
        if (after != null) {
            Long seq = DeletedCursors.position(s.db(), "permissions", "seq", "checkpoint", after, c.modelName());
            if (seq == null) throw ApiException.notFound("No permission with id " + after + ".", "after", "permission_not_found");
            sql.append(asc ? " AND seq > ?" : " AND seq < ?");
            args.add(seq);
        }
        sql.append(asc ? " ORDER BY seq ASC" : " ORDER BY seq DESC").append(" LIMIT ?");
        args.add(limit + 1);
        List<CheckpointPermission> rows = s.db().query(sql.toString(), PermissionRoutes::permission, args.toArray());
        ctx.json(Pages.withIds(rows, limit, p -> p, CheckpointPermission::id));
    }

    private void delete(Context ctx) {
        CheckpointRow c = checkpoint(ctx);
        String id = ctx.pathParam("permission_id");
        int n = s.db().transaction(() -> {
            DeletedCursors.rememberDeleted(s.db(), "permissions", "seq", "checkpoint", "id = ? AND checkpoint = ?", id,
                    c.modelName());
            return s.db().update("DELETE FROM permissions WHERE id = ? AND checkpoint = ?", id, c.modelName());
        });
        if (n == 0) {
            throw ApiException.notFound("No permission " + id + " on checkpoint " + c.modelName() + ".",
                    "permission_id", "permission_not_found");
        }
        ctx.json(new Deleted(id, CheckpointPermission.OBJECT, true));
    }
}
