package dev.finetune4j.client;

/** Root of every error the client raises: misconfiguration, API errors, connection problems. */
public class OpenAIException extends RuntimeException {
    /** An error with the given message. */
    public OpenAIException(String message) {
        super(message);
    }

    /** An error with the given message, caused by {@code cause}. */
    public OpenAIException(String message, Throwable cause) {
        super(message, cause);
    }
}
