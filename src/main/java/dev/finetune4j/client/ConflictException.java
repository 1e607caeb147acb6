package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** Conflict (409): the resource is in a state that does not allow the request. */
public class ConflictException extends ApiStatusException {
    public ConflictException(String errorMessage, String type, String param, String code, String requestId, String body,
            Map<String, List<String>> headers) {
        super(409, errorMessage, type, param, code, requestId, body, headers);
    }
}
