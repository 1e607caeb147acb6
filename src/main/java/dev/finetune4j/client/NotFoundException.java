package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** Not found (404): no such file, job, checkpoint or model (or no such route). */
public class NotFoundException extends ApiStatusException {
    public NotFoundException(String errorMessage, String type, String param, String code, String requestId, String body,
            Map<String, List<String>> headers) {
        super(404, errorMessage, type, param, code, requestId, body, headers);
    }
}
