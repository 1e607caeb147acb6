package dev.finetune4j.server;

import io.javalin.http.Context;

/**
 * Bearer-key authentication of every {@code /v1} request: no key or an unknown key is a 401, and so is a project
 * key sent with an {@code OpenAI-Project} header that names another project.
 */
final class Auth {
    static final String ANSWERED = "finetune4j.answered";

    private Auth() {}

    static void authenticate(Context ctx, Projects projects) {
        if (!ctx.path().startsWith("/v1/") && !ctx.path().equals("/v1")) return;
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiException(401, "You didn't provide an API key. You need to provide your API key in an"
                    + " Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    ApiException.INVALID_REQUEST, null, null);
        }
        String key = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        Caller caller = key.isEmpty() ? null : projects.authenticate(key);
        if (caller == null) {
            throw ApiException.unauthorized("Incorrect API key provided: " + mask(key) + ". Keys of this server are"
                    + " in the keys/ folder of its data directory.");
        }
        String project = ctx.header("OpenAI-Project");
        // as OpenAI: a project key works in its own project only; the admin key acts for the default project
        if (!caller.admin() && project != null && !project.isBlank() && !project.trim().equals(caller.projectId())) {
            throw new ApiException(401, "OpenAI-Project header should match project for API key. The key belongs"
                    + " to " + caller.projectId() + ", the header names " + project.trim() + ".",
                    ApiException.INVALID_REQUEST, null, "mismatched_project");
        }
        if (caller.admin() && project != null && !project.isBlank() && !project.trim().equals(caller.projectId())) {
            // it would otherwise act for the default project while its caller believes it acts for another
            throw new ApiException(401, "The admin key acts for the default project " + caller.projectId() + " only;"
                    + " for " + project.trim() + ", use a key of that project (POST /v1/organization/projects/"
                    + project.trim() + "/api_keys makes one).", ApiException.INVALID_REQUEST, null, "mismatched_project");
        }
        ctx.attribute(RequestParams.CALLER, caller);
    }

    private static String mask(String key) {
        if (key.length() <= 8) return "***";
        return key.substring(0, 3) + "*".repeat(Math.min(20, key.length() - 7)) + key.substring(key.length() - 4);
    }
}
