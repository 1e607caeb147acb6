package dev.finetune4j.grade;

import dev.finetune4j.api.ErrorResponse;

/**
 * A grader definition that is not valid: {@code param} is the path of the offending field (e.g.
 * {@code grader.operation}, {@code grader.graders.email.input[0].content}), the message says why.
 */
public final class GraderValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String param;

    public GraderValidationException(String param, String message) {
        super(message);
        this.param = param;
    }

    /** The path of the field at fault, as the {@code param} of an error body. */
    public String param() {
        return param;
    }

    /** The OpenAI error body for a 400 answer: {@code invalid_request_error} with this param and message. */
    public ErrorResponse errorResponse() {
        return ErrorResponse.of(getMessage(), "invalid_request_error", param, null);
    }
}
