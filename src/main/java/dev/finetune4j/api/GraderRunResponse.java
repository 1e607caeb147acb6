package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * The result of running a grader on a sample: the reward, sub-rewards and run metadata.
 *
 * @param reward the sample's score
 * @param subRewards {@code sub_rewards}: the scores of a multi grader's graders, by name
 * @param modelGraderTokenUsagePerModel {@code model_grader_token_usage_per_model}: tokens model graders used, by model
 * @param metadata what ran and what went wrong
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record GraderRunResponse(double reward, Map<String, Object> subRewards,
                                Map<String, Object> modelGraderTokenUsagePerModel, Metadata metadata,
                                @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} as an empty map. */
    public GraderRunResponse {
        extra = Extra.of(extra);
    }

    /**
     * What ran and what went wrong. {@code token_usage} is an integer in the schema but an object in examples.
     *
     * @param name the grader's name
     * @param type the grader's type, e.g. {@code string_check}
     * @param errors what went wrong, if anything
     * @param executionTime {@code execution_time}: how long the grader ran, in seconds
     * @param scores the scores of the grader's parts
     * @param tokenUsage the tokens a model grader used
     * @param sampledModelName {@code sampled_model_name}: the model whose sample was graded, or null
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    public record Metadata(String name, String type, Errors errors, double executionTime,
                           Map<String, Object> scores, Object tokenUsage, String sampledModelName,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public Metadata {
            extra = Extra.of(extra);
        }
    }

    /**
     * Error flags of a grader run; all booleans are required on the wire.
     *
     * @param formulaParseError a multi grader's formula could not be parsed
     * @param sampleParseError the sample could not be parsed (e.g. not the JSON the grader expects)
     * @param truncatedObservationError the sample or the grader's input was truncated
     * @param unresponsiveRewardError the grader did not produce a reward
     * @param invalidVariableError a template names a variable the sample or item lacks
     * @param otherError another error
     * @param pythonGraderServerError the Python grader's server failed
     * @param pythonGraderServerErrorType the kind of that server failure, or null
     * @param pythonGraderRuntimeError the Python grader raised an error
     * @param pythonGraderRuntimeErrorDetails the Python error, or null
     * @param modelGraderServerError the model grader's model failed to answer
     * @param modelGraderRefusalError the model grader refused
     * @param modelGraderParseError the model grader's answer could not be parsed
     * @param modelGraderServerErrorDetails the model failure's details, or null
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    public record Errors(boolean formulaParseError, boolean sampleParseError, boolean truncatedObservationError,
                         boolean unresponsiveRewardError, boolean invalidVariableError, boolean otherError,
                         boolean pythonGraderServerError, String pythonGraderServerErrorType,
                         boolean pythonGraderRuntimeError, String pythonGraderRuntimeErrorDetails,
                         boolean modelGraderServerError, boolean modelGraderRefusalError,
                         boolean modelGraderParseError, String modelGraderServerErrorDetails,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public Errors {
            extra = Extra.of(extra);
        }
    }
}
