package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * The answer to a grader validation: the grader, echoed back when valid.
 *
 * @param grader the grader, as the service understood it; null when absent
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record GraderValidateResponse(@JsonInclude(Include.NON_NULL) Map<String, Object> grader,
                                     @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} as an empty map. */
    public GraderValidateResponse {
        extra = Extra.of(extra);
    }
}
