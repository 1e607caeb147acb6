package dev.finetune4j.client;

/** No usable response: the connection failed, was refused or dropped (after any retries). */
public class ApiConnectionException extends ApiException {
    /** A connection failure; {@code cause} is the I/O error behind it. */
    public ApiConnectionException(String message, Throwable cause) {
        super(message, null, null, null, null, null, cause);
    }
}
