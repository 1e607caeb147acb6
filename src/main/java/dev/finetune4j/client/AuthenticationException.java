package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** Authentication failed (401): the API key is missing, wrong or revoked. */
public class AuthenticationException extends ApiStatusException {
    /** A 401 response: the {@code error} object's fields, the {@code x-request-id}, the raw body and the headers. */
    public AuthenticationException(String errorMessage, String type, String param, String code, String requestId, String body,
            Map<String, List<String>> headers) {
        super(401, errorMessage, type, param, code, requestId, body, headers);
    }
}
