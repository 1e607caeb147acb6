package dev.finetune4j.client;

import java.util.List;
import java.util.Map;

/** Bad request (400): the request was malformed or a parameter is invalid. */
public class BadRequestException extends ApiStatusException {
    /** A 400 response: the {@code error} object's fields, the {@code x-request-id}, the raw body and the headers. */
    public BadRequestException(String errorMessage, String type, String param, String code, String requestId, String body,
            Map<String, List<String>> headers) {
        super(400, errorMessage, type, param, code, requestId, body, headers);
    }
}
