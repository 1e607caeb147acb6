package dev.finetune4j.api;

/**
 * An OpenAI error body: {@code {"error": {...}}}.
 *
 * @param error the {@code error} object
 */
public record ErrorResponse(ApiError error) {
    /** An error body with these {@code error} fields. */
    public static ErrorResponse of(String message, String type, String param, String code) {
        return new ErrorResponse(new ApiError(message, type, param, code));
    }
}
