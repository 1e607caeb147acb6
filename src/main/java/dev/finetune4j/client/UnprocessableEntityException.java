package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** Unprocessable entity (422): the request is well formed but cannot be processed. */
public class UnprocessableEntityException extends ApiStatusException {
    /** A 422 response: the {@code error} object's fields, the {@code x-request-id}, the raw body and the headers. */
    public UnprocessableEntityException(String errorMessage, String type, String param, String code, String requestId, String body,
            Map<String, List<String>> headers) {
        super(422, errorMessage, type, param, code, requestId, body, headers);
    }
}
