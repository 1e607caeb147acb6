package dev.finetune4j.grade;

import dev.finetune4j.api.ChatMessage;
import java.util.List;
import java.util.Map;

/**
 * The chat model behind {@code score_model} and {@code label_model} graders: messages and sampling parameters in,
 * text out. The local server plugs its chat models in; any OpenAI-compatible chat endpoint fits as well.
 *
 * <p>Example: {@code new GraderRunner(request -> Completion.of(myModel.reply(request.messages()), "my-model", 12, 3))}.
 */
@FunctionalInterface
public interface ModelSampler {
    /** Samples one completion. An exception is reported as {@code model_grader_server_error} with its message. */
    Completion complete(Request request) throws Exception;

    /**
     * What the grader asks for. {@code responseFormat} is a chat {@code response_format} object
     * ({@code {"type": "json_schema", "json_schema": {...}}}) describing the JSON answer the grader parses; a
     * sampler that cannot constrain its output may ignore it, the grader also reads JSON embedded in prose.
     */
    record Request(String model, List<ChatMessage> messages, SamplingParams samplingParams,
                   Map<String, Object> responseFormat) {
        public Request {
            messages = List.copyOf(messages);
        }
    }

    /**
     * The model's answer: its text, its refusal (null when it did not refuse), the name of the model that
     * answered (null means the requested one) and the token counts.
     */
    record Completion(String text, String refusal, String model, long promptTokens, long completionTokens,
                      long cachedTokens) {
        /** A plain answer without refusal or cached tokens. */
        public static Completion of(String text, String model, long promptTokens, long completionTokens) {
            return new Completion(text, null, model, promptTokens, completionTokens, 0);
        }
    }
}
