package dev.finetune4j.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.Page;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * Admin-only project management (admin key required, others get 403):
 * <ul>
 *   <li>{@code POST /v1/organization/projects {"name": "team-b"}} → {@code {"object": "organization.project",
 *       "id": "proj_…", "name": "team-b", "created_at": …, "status": "active", "api_key": "sk-proj-…"}}: the new
 *       project with a first API key (shown once);</li>
 *   <li>{@code GET /v1/organization/projects} → a list of projects (without keys);</li>
 *   <li>{@code POST /v1/organization/projects/{project_id}/api_keys} → {@code {"object":
 *       "organization.project.api_key", "project_id": …, "created_at": …, "value": "sk-proj-…"}}.</li>
 * </ul>
 */
final class AdminRoutes {
    /** A project as the admin endpoints show it; {@code api_key} only in the answer to a create. */
    record ProjectObject(String object, String id, String name, long createdAt, String status,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String apiKey) {}

    /** A new API key of a project. */
    record ApiKeyObject(String object, String projectId, long createdAt, String value) {}

    private final Services s;

    AdminRoutes(Services s) {
        this.s = s;
    }

    void register(RoutesConfig r) {
        r.post("/v1/organization/projects", this::create);
        GetRoute.add(r, "/v1/organization/projects", this::list);
        r.post("/v1/organization/projects/{project_id}/api_keys", this::createKey);
    }

    private static void requireAdmin(Context ctx) {
        if (!RequestParams.caller(ctx).admin()) throw ApiException.forbidden("This endpoint needs an admin API key.");
    }

    private void create(Context ctx) {
        requireAdmin(ctx);
        JsonNode body = Body.object(ctx);
        Body.onlyKnown(body, "", Set.of("name"));
        String name = Body.string(Body.required(body, "name", "name"), "name", 1, 256);
        ProjectKey key = s.projects().createProject(name);
        Projects.Project p = s.projects().project(key.projectId());
        ctx.json(new ProjectObject("organization.project", p.id(), p.name(), p.createdAt(), "active", key.apiKey()));
    }

    private void list(Context ctx) {
        requireAdmin(ctx);
        List<ProjectObject> data = s.projects().list().stream()
                .map(p -> new ProjectObject("organization.project", p.id(), p.name(), p.createdAt(), "active", null))
                .toList();
        ctx.json(new Page<>(Page.OBJECT, data, false, data.isEmpty() ? null : data.get(0).id(),
                data.isEmpty() ? null : data.get(data.size() - 1).id()));
    }

    private void createKey(Context ctx) {
        requireAdmin(ctx);
        String id = ctx.pathParam("project_id");
        if (s.projects().project(id) == null) {
            throw ApiException.notFound("No project with id " + id + ".", "project_id", "project_not_found");
        }
        String key = s.projects().createKey(id, "key");
        ctx.json(new ApiKeyObject("organization.project.api_key", id, Projects.now(), key));
    }
}
