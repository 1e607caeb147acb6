package dev.finetune4j.client;

import dev.finetune4j.api.ChatMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /chat/completions}; {@code model} and at least one message are required. Example:
 * {@code ChatCompletionCreateParams.builder().model(ftModel).addUserMessage("Test").build()}.
 */
public final class ChatCompletionCreateParams {
    private final Map<String, Object> values;

    private ChatCompletionCreateParams(Map<String, Object> values) {
        Params.require(values, "chat completion", "model", "messages");
        if (values.get("messages") instanceof List<?> list && list.isEmpty()) {
            throw new IllegalArgumentException("chat completion: 'messages' must hold at least one message");
        }
        this.values = Params.frozen(values);
    }

    /** Starts an empty body; {@code model} and at least one message must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Takes the body as a map: {@code Map.of("model", m, "messages", List.of(Map.of("role", "user", "content", "Hi")))}. */
    public static ChatCompletionCreateParams of(Map<String, ?> body) {
        Map<String, Object> copy = Params.copy(body);
        copy.replaceAll((k, v) -> Params.toJson(v));
        return new ChatCompletionCreateParams(copy);
    }

    /** The JSON body, snake_case keys; the calls add or drop {@code stream} themselves. */
    public Map<String, Object> toMap() {
        return values;
    }

    /** The same body with {@code stream: true} (and nothing else changed). */
    ChatCompletionCreateParams streaming() {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put("stream", true);
        return new ChatCompletionCreateParams(copy);
    }

    /** The same body without {@code stream} (non-streaming calls must not ask for a stream). */
    ChatCompletionCreateParams nonStreaming() {
        if (!values.containsKey("stream")) return this;
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.remove("stream");
        copy.remove("stream_options");
        return new ChatCompletionCreateParams(copy);
    }

    /** Builds {@link ChatCompletionCreateParams}. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final List<Object> messages = new ArrayList<>();

        private Builder() {}

        /** {@code model}: the model to ask, e.g. a fine-tuned {@code ft:gpt-4o-mini:org:suffix:id}. */
        public Builder model(String model) {
            values.put("model", model);
            return this;
        }

        /** Replaces the messages; each is a {@link ChatMessage} or a map such as {@code Map.of("role", "user", "content", "Hi")}. */
        public Builder messages(List<?> list) {
            messages.clear();
            for (Object m : list) messages.add(Params.toJson(m));
            return this;
        }

        /** Appends a message to {@code messages}. */
        public Builder addMessage(ChatMessage message) {
            messages.add(Params.toJson(message));
            return this;
        }

        /** Appends a message given as a map, e.g. {@code Map.of("role", "user", "content", "Hi")}. */
        public Builder addMessage(Map<String, ?> message) {
            messages.add(Params.toJson(message));
            return this;
        }

        /** Appends a {@code system} message: instructions the model follows. */
        public Builder addSystemMessage(String content) {
            return addMessage(ChatMessage.system(content));
        }

        /** Appends a {@code developer} message, the newer models' name for the system message. */
        public Builder addDeveloperMessage(String content) {
            return addMessage(ChatMessage.developer(content));
        }

        /** Appends a {@code user} message. */
        public Builder addUserMessage(String content) {
            return addMessage(ChatMessage.user(content));
        }

        /** Appends an {@code assistant} message: an earlier answer of the model, or an example one. */
        public Builder addAssistantMessage(String content) {
            return addMessage(ChatMessage.assistant(content));
        }

        /** 0..2, default 1. */
        public Builder temperature(double temperature) {
            values.put("temperature", temperature);
            return this;
        }

        /** {@code top_p}: nucleus sampling, 0..1, default 1; draws only from the tokens of this probability mass. */
        public Builder topP(double topP) {
            values.put("top_p", topP);
            return this;
        }

        /** Number of choices, 1..128. */
        public Builder n(int n) {
            values.put("n", n);
            return this;
        }

        /** {@code max_completion_tokens}: the most tokens the answer may have (reasoning tokens included). */
        public Builder maxCompletionTokens(int tokens) {
            values.put("max_completion_tokens", tokens);
            return this;
        }

        /** Deprecated by the API in favour of {@link #maxCompletionTokens}; some compatible servers want it. */
        public Builder maxTokens(int tokens) {
            values.put("max_tokens", tokens);
            return this;
        }

        /** {@code stop}: the answer ends before this sequence. */
        public Builder stop(String stop) {
            values.put("stop", stop);
            return this;
        }

        /** Up to 4 stop sequences. */
        public Builder stop(List<String> stop) {
            values.put("stop", List.copyOf(stop));
            return this;
        }

        /** {@code presence_penalty}, -2..2, default 0: positive values favour tokens not used yet. */
        public Builder presencePenalty(double penalty) {
            values.put("presence_penalty", penalty);
            return this;
        }

        /** {@code frequency_penalty}, -2..2, default 0: positive values penalise tokens by how often they occur. */
        public Builder frequencyPenalty(double penalty) {
            values.put("frequency_penalty", penalty);
            return this;
        }

        /** {@code seed}: asks for repeatable sampling (best effort). */
        public Builder seed(long seed) {
            values.put("seed", seed);
            return this;
        }

        /**
         * Moves the odds of tokens, by id, -100 (never) to 100 (only): {@code logitBias(Map.of(50256, -100))}. Ids are
         * the model's tokenizer's; the local models' are the UTF-8 bytes 0..255.
         */
        public Builder logitBias(Map<?, ? extends Number> bias) {
            Map<String, Number> byId = new LinkedHashMap<>();
            bias.forEach((token, value) -> byId.put(String.valueOf(token), value));
            values.put("logit_bias", byId);
            return this;
        }

        /** {@code logprobs}: return the log-probability of each answer token in {@code choices[].logprobs}. */
        public Builder logprobs(boolean logprobs) {
            values.put("logprobs", logprobs);
            return this;
        }

        /** 0..20; needs {@code logprobs(true)}. */
        public Builder topLogprobs(int n) {
            values.put("top_logprobs", n);
            return this;
        }

        /** E.g. {@code Map.of("type", "json_object")}. */
        public Builder responseFormat(Map<String, ?> format) {
            values.put("response_format", Params.toJson(format));
            return this;
        }

        /** Function tools as maps: {@code Map.of("type", "function", "function", Map.of("name", "f", ...))}. */
        public Builder tools(List<?> tools) {
            values.put("tools", Params.toJson(tools));
            return this;
        }

        /** {@code "none"}, {@code "auto"}, {@code "required"} or a map naming a function. */
        public Builder toolChoice(Object choice) {
            values.put("tool_choice", Params.toJson(choice));
            return this;
        }

        /** {@code parallel_tool_calls}: whether the model may call several tools in one answer (default true). */
        public Builder parallelToolCalls(boolean parallel) {
            values.put("parallel_tool_calls", parallel);
            return this;
        }

        /** For streaming: ask for a final chunk with the token usage. */
        public Builder includeUsage(boolean include) {
            values.put("stream_options", Map.of("include_usage", include));
            return this;
        }

        /** {@code stream_options} as a map, e.g. {@code Map.of("include_usage", true)}; see {@link #includeUsage}. */
        public Builder streamOptions(Map<String, ?> options) {
            values.put("stream_options", Params.toJson(options));
            return this;
        }

        /** {@code metadata}: up to 16 string pairs stored with the completion (with {@code store}). */
        public Builder metadata(Map<String, String> metadata) {
            values.put("metadata", Map.copyOf(metadata));
            return this;
        }

        /** {@code store}: keep the completion for distillation or evals. */
        public Builder store(boolean store) {
            values.put("store", store);
            return this;
        }

        /** {@code user}: a stable id of your end user, for abuse monitoring. */
        public Builder user(String user) {
            values.put("user", user);
            return this;
        }

        /** {@code service_tier}: {@code auto}, {@code default}, {@code flex} or {@code priority}. */
        public Builder serviceTier(String tier) {
            values.put("service_tier", tier);
            return this;
        }

        /** {@code reasoning_effort} of reasoning models: {@code low}, {@code medium} or {@code high}. */
        public Builder reasoningEffort(String effort) {
            values.put("reasoning_effort", effort);
            return this;
        }

        /** Any other body field. */
        public Builder put(String key, Object value) {
            values.put(key, Params.toJson(value));
            return this;
        }

        /** The body; throws {@link IllegalArgumentException} without {@code model} or messages. */
        public ChatCompletionCreateParams build() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", values.get("model"));
            body.put("messages", List.copyOf(messages));
            values.forEach(body::putIfAbsent);
            if (messages.isEmpty() && values.get("messages") != null) body.put("messages", values.get("messages"));
            return new ChatCompletionCreateParams(body);
        }
    }
}
