package dev.finetune4j.client;

/** Root of every error the client raises: misconfiguration, API errors, connection problems. */
public class OpenAIException extends RuntimeException {
    public OpenAIException(String message) {
        super(message);
    }

    public OpenAIException(String message, Throwable cause) {
        super(message, cause);
    }
}
