package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** Rate limited (429): too many requests or tokens, or the quota is exhausted. */
public class RateLimitException extends ApiStatusException {
    /** A 429 response: the {@code error} object's fields, the {@code x-request-id}, the raw body and the headers. */
    public RateLimitException(String errorMessage, String type, String param, String code, String requestId, String body,
            Map<String, List<String>> headers) {
        super(429, errorMessage, type, param, code, requestId, body, headers);
    }
}
