package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.GraderValidateResponse;
import dev.finetune4j.grade.Grader;
import dev.finetune4j.grade.GraderRunner;
import dev.finetune4j.grade.GraderValidationException;
import dev.finetune4j.grade.Graders;
import dev.finetune4j.grade.RunRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * {@code /v1/fine_tuning/alpha/graders/validate} and {@code /run}: the graders of the {@code grade} package;
 * {@code score_model} and {@code label_model} graders sample the local models the caller may use; python graders are
 * for the callers the server trusts with running code (see {@link PythonGraderAccess}), and validation compiles
 * their source without running it.
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
        GraderValidateResponse valid;
        try {
            valid = Graders.validate(body.get("grader"));
        } catch (GraderValidationException e) {
            throw ApiException.badRequest(e.getMessage(), e.param(), "invalid_grader");
        }
        Grader grader = Graders.parse(body.get("grader"));
        s.pythonGraders().checkAllowed(RequestParams.caller(ctx), grader, Graders.GRADER_PARAM);
        s.pythonGraders().checkSources(grader, Graders.GRADER_PARAM);
        ctx.json(valid);
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
        Caller caller = RequestParams.caller(ctx);
        s.pythonGraders().checkAllowed(caller, request.grader(), Graders.GRADER_PARAM);
        ctx.json(new GraderRunner(s.graderModels().sampler(caller), s.pythonGraders().executor(caller.projectId()))
                .run(request));
    }
}
