package dev.finetune4j.client;

import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.GraderValidateResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /fine_tuning/alpha/graders}: check a grader and try it on a sample before using it for reinforcement
 * fine-tuning. Graders are plain maps, e.g.
 * {@code Map.of("type", "string_check", "name", "exact", "input", "{{sample.output_text}}", "reference", "{{item.answer}}", "operation", "eq")}.
 */
public final class GraderService {
    private final Transport transport;

    GraderService(Transport transport) {
        this.transport = transport;
    }

    /** Grades {@code modelSample} against {@code item}: {@code graders().run(grader, "Paris", Map.of("answer", "Paris")).reward()}. */
    public GraderRunResponse run(Map<String, ?> grader, String modelSample, Object item) {
        return run(grader, modelSample, item, RequestOptions.NONE);
    }

    /** Grades {@code modelSample} without an {@code item}, for graders that reference only {@code sample}. */
    public GraderRunResponse run(Map<String, ?> grader, String modelSample) {
        return run(grader, modelSample, null, RequestOptions.NONE);
    }

    /** As {@link #run(Map, String, Object)}, with per-request options; {@code item} may be null. */
    public GraderRunResponse run(Map<String, ?> grader, String modelSample, Object item, RequestOptions options) {
        if (grader == null) throw new IllegalArgumentException("grader run: 'grader' is required");
        if (modelSample == null) throw new IllegalArgumentException("grader run: 'model_sample' is required");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grader", Params.toJson(grader));
        body.put("model_sample", modelSample);
        if (item != null) body.put("item", Params.toJson(item));
        return transport.json(ApiRequest.post(options, "fine_tuning", "alpha", "graders", "run").body(body),
                GraderRunResponse.class);
    }

    /** Checks a grader's configuration; it is echoed back when valid: {@code graders().validate(grader).grader()}. */
    public GraderValidateResponse validate(Map<String, ?> grader) {
        return validate(grader, RequestOptions.NONE);
    }

    /** As {@link #validate(Map)}, with per-request options. */
    public GraderValidateResponse validate(Map<String, ?> grader, RequestOptions options) {
        if (grader == null) throw new IllegalArgumentException("grader validate: 'grader' is required");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grader", Params.toJson(grader));
        return transport.json(ApiRequest.post(options, "fine_tuning", "alpha", "graders", "validate").body(body),
                GraderValidateResponse.class);
    }
}
