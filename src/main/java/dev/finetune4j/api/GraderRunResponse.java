package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** The result of running a grader on a sample: the reward, sub-rewards and run metadata. */
public record GraderRunResponse(double reward, Map<String, Object> subRewards,
                                Map<String, Object> modelGraderTokenUsagePerModel, Metadata metadata,
                                @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public GraderRunResponse {
        extra = Extra.of(extra);
    }

    /** What ran and what went wrong. {@code token_usage} is an integer in the schema but an object in examples. */
    public record Metadata(String name, String type, Errors errors, double executionTime,
                           Map<String, Object> scores, Object tokenUsage, String sampledModelName,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Metadata {
            extra = Extra.of(extra);
        }
    }

    /** Error flags of a grader run; all booleans are required on the wire. */
    public record Errors(boolean formulaParseError, boolean sampleParseError, boolean truncatedObservationError,
                         boolean unresponsiveRewardError, boolean invalidVariableError, boolean otherError,
                         boolean pythonGraderServerError, String pythonGraderServerErrorType,
                         boolean pythonGraderRuntimeError, String pythonGraderRuntimeErrorDetails,
                         boolean modelGraderServerError, boolean modelGraderRefusalError,
                         boolean modelGraderParseError, String modelGraderServerErrorDetails,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Errors {
            extra = Extra.of(extra);
        }
    }
}
