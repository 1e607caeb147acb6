package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** Conflict (409): the resource is in a state that does not allow the request. */
public class ConflictException extends ApiStatusException {
    /** A 409 response: the {@code error} object's fields, the {@code x-request-id}, the raw body and the headers. */
    public ConflictException(String errorMessage, String type, String param, String code, String requestId, String body,
            Map<String, List<String>> headers) {
        super(409, errorMessage, type, param, code, requestId, body, headers);
    }
}
