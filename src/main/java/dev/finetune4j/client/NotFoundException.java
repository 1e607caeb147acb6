package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** Not found (404): no such file, job, checkpoint or model (or no such route). */
public class NotFoundException extends ApiStatusException {
    /** A 404 response: the {@code error} object's fields, the {@code x-request-id}, the raw body and the headers. */
    public NotFoundException(String errorMessage, String type, String param, String code, String requestId, String body,
            Map<String, List<String>> headers) {
        super(404, errorMessage, type, param, code, requestId, body, headers);
    }
}
