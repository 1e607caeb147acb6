package dev.finetune4j.grade;

import java.util.List;
import java.util.Map;

/**
 * An input message of a model grader ({@code EvalItem}): a role ({@code user}, {@code assistant}, {@code system},
 * {@code developer}) and content parts whose text may hold templates. {@code contentIsText} remembers that the
 * content was written as a plain string.
 */
public record EvalMessage(String role, List<Part> content, boolean contentIsText) {
    public EvalMessage {
        content = List.copyOf(content);
    }

    /**
     * A content part: {@code input_text} and {@code output_text} carry {@code text}; {@code input_image} carries
     * {@code imageUrl} and {@code detail}; {@code input_audio} carries {@code inputAudio} ({@code {data, format}}).
     */
    public record Part(String type, Template text, Template imageUrl, String detail, Map<String, Object> inputAudio) {
        public static Part text(String type, Template text) {
            return new Part(type, text, null, null, null);
        }
    }
}
