package dev.finetune4j.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The body of {@code POST /fine_tuning/alpha/graders/run}: a grader, the {@code model_sample} string and an
 * optional {@code item} object.
 *
 * <p>Example: {@code GraderRunResponse r = runner.run(RunRequest.parse(Json.tree(body)));}
 */
public record RunRequest(Grader grader, String modelSample, JsonNode item) {
    public RunRequest {
        item = item == null || item.isNull() ? JsonNodeFactory.instance.objectNode() : item;
    }

    /** Reads and checks a run body; problems are {@link GraderValidationException}s naming the field. */
    public static RunRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new GraderValidationException(null, "The request body must be a JSON object with 'grader' and "
                    + "'model_sample'.");
        }
        Grader grader = Graders.parse(body.get("grader"));
        JsonNode sample = body.get("model_sample");
        if (sample == null || sample.isNull()) {
            throw new GraderValidationException("model_sample", "Missing required parameter: 'model_sample'.");
        }
        if (!sample.isTextual()) {
            throw new GraderValidationException("model_sample", "Invalid type for 'model_sample': expected a string.");
        }
        JsonNode item = body.get("item");
        if (item != null && !item.isNull() && !item.isObject()) {
            throw new GraderValidationException("item", "Invalid type for 'item': expected an object.");
        }
        return new RunRequest(grader, sample.textValue(), item);
    }
}
