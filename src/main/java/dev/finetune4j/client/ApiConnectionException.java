package dev.finetune4j.client;

/** No usable response: the connection failed, was refused or dropped (after any retries). */
public class ApiConnectionException extends ApiException {
    public ApiConnectionException(String message, Throwable cause) {
        super(message, null, null, null, null, null, cause);
    }
}
