package dev.finetune4j.client;

/** The request timed out (connect, read or write), after any retries. */
public class ApiTimeoutException extends ApiConnectionException {
    /** A timeout; {@code cause} is the I/O error behind it. */
    public ApiTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
