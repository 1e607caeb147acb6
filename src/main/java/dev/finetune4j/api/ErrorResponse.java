package dev.finetune4j.api;

/** An OpenAI error body: {@code {"error": {...}}}. */
public record ErrorResponse(ApiError error) {
    public static ErrorResponse of(String message, String type, String param, String code) {
        return new ErrorResponse(new ApiError(message, type, param, code));
    }
}
