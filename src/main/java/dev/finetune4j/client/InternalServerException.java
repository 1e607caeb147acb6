package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** A server-side failure (status 500 or above). */
public class InternalServerException extends ApiStatusException {
    /**
     * A 5xx response: its status, the {@code error} object's fields, the {@code x-request-id}, the raw body and
     * the headers.
     */
    public InternalServerException(int statusCode, String errorMessage, String type, String param, String code,
                                   String requestId, String body, Map<String, List<String>> headers) {
        super(statusCode, errorMessage, type, param, code, requestId, body, headers);
    }
}
