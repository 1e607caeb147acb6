package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** Permission denied (403): the key may not do this, or not on this resource. */
public class PermissionDeniedException extends ApiStatusException {
    /** A 403 response: the {@code error} object's fields, the {@code x-request-id}, the raw body and the headers. */
    public PermissionDeniedException(String errorMessage, String type, String param, String code, String requestId, String body,
            Map<String, List<String>> headers) {
        super(403, errorMessage, type, param, code, requestId, body, headers);
    }
}
