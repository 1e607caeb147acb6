package dev.finetune4j.server;

import dev.finetune4j.api.ErrorResponse;

/** A request the server refuses: an HTTP status and an OpenAI error body ({@code message, type, param, code}). */
final class ApiException extends RuntimeException {
    static final String INVALID_REQUEST = "invalid_request_error";

    final int status;
    final String type;
    final String param;
    final String code;

    ApiException(int status, String message, String type, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    ErrorResponse body() {
        return ErrorResponse.of(getMessage(), type, param, code);
    }

    static ApiException badRequest(String message, String param, String code) {
        return new ApiException(400, message, INVALID_REQUEST, param, code);
    }

    static ApiException missing(String param) {
        return badRequest("Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
    }

    static ApiException notFound(String message, String param, String code) {
        return new ApiException(404, message, INVALID_REQUEST, param, code);
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, message, INVALID_REQUEST, null, "invalid_api_key");
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, message, INVALID_REQUEST, null, "insufficient_permissions");
    }
}
