package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.grade.GraderRunner;
import dev.finetune4j.grade.GraderValidationException;
import dev.finetune4j.grade.Graders;
import dev.finetune4j.grade.RunRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * {@code /v1/fine_tuning/alpha/graders/validate} and {@code /run}: the graders of the {@code grade} package;
 * {@code score_model} and {@code label_model} graders sample the local models the caller may use.
 */
final class GraderRoutes {
    private final Services s;

    GraderRoutes(Services s) {
        this.s = s;
    }

    void register(RoutesConfig r) {
        r.post("/v1/fine_tuning/alpha/graders/validate", this::validate);
        r.post("/v1/fine_tuning/alpha/graders/run", this::run);
    }

    private void validate(Context ctx) {
        JsonNode body = Body.object(ctx);
        Body.onlyKnown(body, "", Set.of("grader"));
        Body.required(body, "grader", "grader");
        try {
            ctx.json(Graders.validate(body.get("grader")));
        } catch (GraderValidationException e) {
            throw ApiException.badRequest(e.getMessage(), e.param(), "invalid_grader");
        }
    }

    private void run(Context ctx) {
        JsonNode body = Body.object(ctx);
        Body.onlyKnown(body, "", Set.of("grader", "model_sample", "item"));
        Body.required(body, "grader", "grader");
        RunRequest request;
        try {
            request = RunRequest.parse(body);
        } catch (GraderValidationException e) {
            throw ApiException.badRequest(e.getMessage(), e.param(), "invalid_grader");
        }
        Caller caller = Params.caller(ctx);
        ctx.json(new GraderRunner(s.graderModels().sampler(caller)).run(request));
    }
}
