package dev.finetune4j.grade;

import dev.finetune4j.api.GraderRunResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** The error flags gathered while a grader (and its sub-graders) runs; a flag once set stays set. */
final class ErrorFlags {
    boolean formulaParseError;
    boolean sampleParseError;
    boolean truncatedObservationError;
    boolean unresponsiveRewardError;
    boolean invalidVariableError;
    boolean otherError;
    boolean pythonGraderServerError;
    String pythonGraderServerErrorType;
    boolean pythonGraderRuntimeError;
    String pythonGraderRuntimeErrorDetails;
    boolean modelGraderServerError;
    boolean modelGraderRefusalError;
    boolean modelGraderParseError;
    String modelGraderServerErrorDetails;
    String otherErrorDetails;

    void other(String details) {
        otherError = true;
        otherErrorDetails = append(otherErrorDetails, details);
    }

    void pythonRuntime(String details) {
        pythonGraderRuntimeError = true;
        pythonGraderRuntimeErrorDetails = append(pythonGraderRuntimeErrorDetails, details);
    }

    void pythonServer(String type) {
        pythonGraderServerError = true;
        if (pythonGraderServerErrorType == null) pythonGraderServerErrorType = type;
    }

    void modelServer(String details) {
        modelGraderServerError = true;
        modelGraderServerErrorDetails = append(modelGraderServerErrorDetails, details);
    }

    private static String append(String existing, String details) {
        return existing == null ? details : existing + "\n" + details;
    }

    GraderRunResponse.Errors toWire() {
        return new GraderRunResponse.Errors(formulaParseError, sampleParseError, truncatedObservationError,
                unresponsiveRewardError, invalidVariableError, otherError, pythonGraderServerError,
                pythonGraderServerErrorType, pythonGraderRuntimeError, pythonGraderRuntimeErrorDetails,
                modelGraderServerError, modelGraderRefusalError, modelGraderParseError,
                modelGraderServerErrorDetails, extra());
    }

    /** Details of {@code other_error}, a field the wire schema lacks, kept as an extra field when there are any. */
    private Map<String, Object> extra() {
        Map<String, Object> extra = new LinkedHashMap<>();
        if (otherErrorDetails != null) extra.put("other_error_details", otherErrorDetails);
        return extra;
    }
}
