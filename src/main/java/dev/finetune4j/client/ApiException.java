package dev.finetune4j.client;

/**
 * An error reported by (or while talking to) the API. When the server sent an OpenAI error body
 * ({@code {"error": {"message", "type", "param", "code"}}}) its fields are exposed here; otherwise they are null.
 */
public class ApiException extends OpenAIException {
    /** {@code error.message}, or null. */
    private final String errorMessage;
    /** {@code error.type}, or null. */
    private final String type;
    /** {@code error.param}, or null. */
    private final String param;
    /** {@code error.code}, or null. */
    private final String code;
    /** The raw body that carried the error, or null. */
    private final String body;

    /**
     * An API error: {@code message} is the exception's message, the next four are the fields of the error body's
     * {@code error} object (each null when absent), {@code body} the raw body and {@code cause} the underlying error.
     */
    public ApiException(String message, String errorMessage, String type, String param, String code, String body,
                        Throwable cause) {
        super(message, cause);
        this.errorMessage = errorMessage;
        this.type = type;
        this.param = param;
        this.code = code;
        this.body = body;
    }

    /** The API's own message ({@code error.message}), or null when the server sent none. */
    public String errorMessage() {
        return errorMessage;
    }

    /** {@code error.type}, e.g. {@code invalid_request_error}; null when absent. */
    public String type() {
        return type;
    }

    /** {@code error.param}: the request parameter at fault; null when absent. */
    public String param() {
        return param;
    }

    /** {@code error.code}, e.g. {@code invalid_api_key}; null when absent. */
    public String code() {
        return code;
    }

    /** The raw response body (or SSE payload) that carried the error; null when there was none. */
    public String body() {
        return body;
    }
}
