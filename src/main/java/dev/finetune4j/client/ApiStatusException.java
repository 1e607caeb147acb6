package dev.finetune4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.Json;
import java.util.List;
import java.util.Map;

/**
 * The API answered with an error status (4xx or 5xx). The subclass says which: {@link NotFoundException} for 404,
 * {@link RateLimitException} for 429, and so on; other statuses raise this class itself.
 */
public class ApiStatusException extends ApiException {
    /** The HTTP status. */
    private final int statusCode;
    /** The {@code x-request-id} header, or null. */
    private final String requestId;
    /** The response headers, names in lower case. */
    private final Map<String, List<String>> headers;

    /**
     * An error response with status {@code statusCode}: the {@code error} object's fields (each null when absent), the
     * {@code x-request-id}, the raw body and the headers; the message is built from them.
     */
    public ApiStatusException(int statusCode, String errorMessage, String type, String param, String code,
                              String requestId, String body, Map<String, List<String>> headers) {
        super(describe(statusCode, errorMessage, type, code, requestId, body), errorMessage, type, param, code,
                body, null);
        this.statusCode = statusCode;
        this.requestId = requestId;
        this.headers = headers == null ? Map.of() : headers;
    }

    /** The HTTP status, e.g. 404. */
    public int statusCode() {
        return statusCode;
    }

    /** The {@code x-request-id} response header: quote it when asking the provider for help. */
    public String requestId() {
        return requestId;
    }

    /** The response headers, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Builds the exception class that matches the status from an error response. */
    static ApiStatusException of(int status, String body, Map<String, List<String>> headers) {
        String message = null, type = null, param = null, code = null;
        JsonNode error = errorNode(body);
        if (error != null && error.isObject()) {
            message = text(error.get("message"));
            type = text(error.get("type"));
            param = text(error.get("param"));
            code = text(error.get("code"));
        } else if (error != null && error.isTextual()) {
            message = error.asText();
        }
        List<String> ids = headers == null ? null : headers.get("x-request-id");
        String requestId = ids == null || ids.isEmpty() ? null : ids.get(0);
        return switch (status) {
            case 400 -> new BadRequestException(message, type, param, code, requestId, body, headers);
            case 401 -> new AuthenticationException(message, type, param, code, requestId, body, headers);
            case 403 -> new PermissionDeniedException(message, type, param, code, requestId, body, headers);
            case 404 -> new NotFoundException(message, type, param, code, requestId, body, headers);
            case 409 -> new ConflictException(message, type, param, code, requestId, body, headers);
            case 422 -> new UnprocessableEntityException(message, type, param, code, requestId, body, headers);
            case 429 -> new RateLimitException(message, type, param, code, requestId, body, headers);
            default -> status >= 500
                    ? new InternalServerException(status, message, type, param, code, requestId, body, headers)
                    : new ApiStatusException(status, message, type, param, code, requestId, body, headers);
        };
    }

    private static JsonNode errorNode(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            // Some compatible servers send the error object bare, without the {"error": ...} wrapper.
            if (root != null && root.has("error")) return root.get("error");
            if (root != null && root.has("message")) return root;
            // others (and mocks of the spec) send RFC 9457 problem details: title, detail
            if (root != null && (root.has("detail") || root.has("title"))) {
                String title = text(root.get("title"));
                String detail = text(root.get("detail"));
                return Json.MAPPER.getNodeFactory().textNode(title == null ? detail : detail == null ? title : title + ": " + detail);
            }
            return null;
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
    }

    private static String describe(int status, String message, String type, String code, String requestId,
                                   String body) {
        StringBuilder sb = new StringBuilder("HTTP ").append(status).append(": ");
        if (message != null) {
            sb.append(message);
        } else if (body != null && !body.isBlank()) {
            sb.append(body.length() > 500 ? body.substring(0, 500) + "..." : body);
        } else {
            sb.append("(no body)");
        }
        if (type != null) sb.append(" [type=").append(type).append(']');
        if (code != null) sb.append(" [code=").append(code).append(']');
        if (requestId != null) sb.append(" [request id=").append(requestId).append(']');
        return sb.toString();
    }
}
