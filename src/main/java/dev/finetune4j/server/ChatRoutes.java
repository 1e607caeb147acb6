package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.ChatCompletion;
import dev.finetune4j.api.ChatCompletionChunk;
import dev.finetune4j.api.ChatCompletionTokenLogprob;
import dev.finetune4j.api.ChatMessage;
import dev.finetune4j.api.Json;
import dev.finetune4j.api.Usage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code POST /v1/chat/completions} answered by local models: base configurations, the project's fine-tuned
 * models and its own or granted checkpoints. Streaming sends the role chunk, content chunks, the finish
 * chunk, an optional usage chunk and {@code data: [DONE]}.
 */
final class ChatRoutes {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    /**
     * The parameters of the spec's chat completion request. The official SDKs send some of them routinely, so all
     * are taken (honoured, or refused by name where answering without them would mislead); any other name is
     * refused as OpenAI refuses it, so that a misspelt {@code temprature} is not silently answered at 1.
     */
    private static final Set<String> PARAMETERS = Set.of("model", "messages", "audio", "frequency_penalty",
            "function_call", "functions", "logit_bias", "logprobs", "max_completion_tokens", "max_tokens", "metadata",
            "modalities", "moderation", "n", "parallel_tool_calls", "prediction", "presence_penalty",
            "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention", "reasoning_effort",
            "response_format", "safety_identifier", "seed", "service_tier", "stop", "store", "stream",
            "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user", "verbosity",
            "web_search_options");
    private static final String FINGERPRINT = "fp_finetune4j";
    private static final SecureRandom SEEDS = new SecureRandom();
    /** The last event of a stream. */
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private final Services s;

    ChatRoutes(Services s) {
        this.s = s;
    }

    void register(RoutesConfig r) {
        r.post("/v1/chat/completions", this::complete);
    }

    /** A parsed request. */
    private record Request(String model, List<Engine.Message> messages, Engine.Sampling sampling, int n,
                           boolean stream, boolean includeUsage) {}

    private Request parse(ObjectNode body) {
        Body.onlyKnown(body, "", PARAMETERS);
        String model = Body.requiredString(body, "model", "model");
        JsonNode msgs = Body.array(Body.required(body, "messages", "messages"), "messages");
        if (msgs.isEmpty()) {
            throw ApiException.badRequest("Invalid 'messages': empty array. Expected an array with minimum length 1,"
                    + " but got an empty array instead.", "messages", "empty_array");
        }
        List<Engine.Message> messages = new ArrayList<>();
        for (int i = 0; i < msgs.size(); i++) {
            String p = "messages[" + i + "]";
            JsonNode m = msgs.get(i);
            if (!m.isObject()) throw Body.invalidType(p, "an object", m);
            String role = Body.enumValue(Body.required(m, "role", p + ".role"), p + ".role", ROLES);
            if (role.equals("tool")) Body.requiredString(m, "tool_call_id", p + ".tool_call_id");
            if (role.equals("function")) Body.requiredString(m, "name", p + ".name");
            JsonNode content = m.get("content");
            boolean toolCalls = Body.field(m, "tool_calls") != null || Body.field(m, "function_call") != null;
            if ((content == null || content.isNull()) && !(role.equals("assistant") && toolCalls)) {
                if (!role.equals("assistant") || content == null) throw ApiException.missing(p + ".content");
            }
            StringBuilder text = new StringBuilder(text(content, p + ".content"));
            if (toolCalls) text.append(Json.write(m.has("tool_calls") ? m.get("tool_calls") : m.get("function_call")));
            messages.add(new Engine.Message(role, text.toString()));
        }
        textOnly(body);
        Double temperature = Body.number(Body.field(body, "temperature"), "temperature", 0, false, 2);
        Double topP = Body.number(Body.field(body, "top_p"), "top_p", 0, false, 1);
        Long n = Body.integer(Body.field(body, "n"), "n", 1, 128);
        Long maxCompletion = Body.integer(Body.field(body, "max_completion_tokens"), "max_completion_tokens", 1,
                Integer.MAX_VALUE);
        Long maxTokens = Body.integer(Body.field(body, "max_tokens"), "max_tokens", 1, Integer.MAX_VALUE);
        if (maxCompletion != null && maxTokens != null) {
            throw ApiException.badRequest("Give max_completion_tokens or the deprecated max_tokens, not both.",
                    "max_tokens", "invalid_value");
        }
        Long seed = Body.integer(Body.field(body, "seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        List<String> stop = stop(Body.field(body, "stop"));
        Double presence = Body.number(Body.field(body, "presence_penalty"), "presence_penalty", -2, false, 2);
        Double frequency = Body.number(Body.field(body, "frequency_penalty"), "frequency_penalty", -2, false, 2);
        Map<Integer, Double> logitBias = logitBias(Body.object(Body.field(body, "logit_bias"), "logit_bias"));
        boolean logprobs = Boolean.TRUE.equals(Body.bool(Body.field(body, "logprobs"), "logprobs"));
        Long top = Body.integer(Body.field(body, "top_logprobs"), "top_logprobs", 0, 20);
        if (top != null && !logprobs) {
            throw ApiException.badRequest("Invalid value for 'top_logprobs': it needs 'logprobs' set to true.",
                    "top_logprobs", "invalid_value");
        }
        boolean stream = Boolean.TRUE.equals(Body.bool(Body.field(body, "stream"), "stream"));
        JsonNode options = Body.object(Body.field(body, "stream_options"), "stream_options");
        boolean includeUsage = false;
        if (options != null) {
            if (!stream) {
                throw ApiException.badRequest("The 'stream_options' parameter is only allowed when 'stream' is"
                        + " enabled.", "stream_options", "invalid_value");
            }
            Body.onlyKnown(options, "stream_options.", Set.of("include_usage", "include_obfuscation"));
            includeUsage = Boolean.TRUE.equals(Body.bool(Body.field(options, "include_usage"),
                    "stream_options.include_usage"));
            Body.bool(Body.field(options, "include_obfuscation"), "stream_options.include_obfuscation");
        }
        Integer max = maxCompletion != null ? Integer.valueOf((int) (long) maxCompletion)
                : maxTokens != null ? Integer.valueOf((int) (long) maxTokens) : null;
        Engine.Sampling sampling = new Engine.Sampling(temperature == null ? 1.0 : temperature,
                topP == null ? 1.0 : topP, max, stop, seed == null ? SEEDS.nextLong() : seed,
                presence == null ? 0 : presence, frequency == null ? 0 : frequency, logitBias,
                logprobs ? Integer.valueOf(top == null ? 0 : (int) (long) top) : null);
        return new Request(model, messages, sampling, n == null ? 1 : (int) (long) n, stream, includeUsage);
    }

    private static String text(JsonNode content, String param) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        if (!content.isArray()) throw Body.invalidType(param, "a string or an array of content parts", content);
        if (content.isEmpty()) {
            throw ApiException.badRequest("Invalid '" + param + "': empty array. Expected an array with minimum length"
                    + " 1, but got an empty array instead.", param, "empty_array");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String p = param + "[" + i + "]";
            if (!part.isObject()) throw Body.invalidType(p, "an object", part);
            String type = Body.requiredString(part, "type", p + ".type");
            if (!type.equals("text")) {
                throw ApiException.badRequest("Local models read text only; content part type '" + type
                        + "' is not supported.", p + ".type", "unsupported_content_type");
            }
            sb.append(Body.requiredString(part, "text", p + ".text"));
        }
        return sb.toString();
    }

    /** {@code {"token id": bias}}, ids as strings, biases -100..100. */
    private static Map<Integer, Double> logitBias(JsonNode n) {
        if (n == null) return Map.of();
        Map<Integer, Double> out = new HashMap<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            long token;
            try {
                token = Long.parseLong(e.getKey());
            } catch (NumberFormatException ex) {
                token = -1;
            }
            if (token < 0) {
                throw ApiException.badRequest("Invalid key in 'logit_bias': " + e.getKey()
                        + ". You should only be submitting non-negative integers.", "logit_bias", "invalid_value");
            }
            // an id past any vocabulary is refused once the model is known, with the ids it has
            out.put((int) Math.min(token, Integer.MAX_VALUE), Body.number(e.getValue(), "logit_bias." + e.getKey(), -100, false, 100));
        }
        return out;
    }

    /**
     * The local models answer with text only. A request that needs a tool call, JSON or audio is refused rather than
     * answered with text its caller cannot use; {@code tools} with {@code tool_choice} auto or none is fine, as a
     * model may always answer in text.
     */
    private static void textOnly(ObjectNode body) {
        for (String key : List.of("tool_choice", "function_call")) {
            JsonNode choice = Body.field(body, key);
            if (choice != null && !(choice.isTextual() && Set.of("auto", "none").contains(choice.asText()))) {
                throw ApiException.badRequest("The local models answer with text only, so '" + key + "' "
                        + choice + " cannot be honoured: use \"auto\" or \"none\", or a provider's model for tool"
                        + " calls.", key, "unsupported_value");
            }
        }
        JsonNode format = Body.field(body, "response_format");
        if (format != null && !(format.isObject() && "text".equals(format.path("type").asText()))) {
            throw ApiException.badRequest("The local models answer with text only, so 'response_format' " + format
                    + " cannot be honoured: leave it out (or {\"type\": \"text\"}), or use a provider's model for"
                    + " JSON output.", "response_format", "unsupported_value");
        }
        JsonNode modalities = Body.array(Body.field(body, "modalities"), "modalities");
        if (modalities != null) {
            for (JsonNode m : modalities) {
                if (!"text".equals(m.asText())) {
                    throw ApiException.badRequest("The local models answer with text only, so 'modalities' "
                            + modalities + " cannot be honoured: leave it out (or [\"text\"]), or use a provider's"
                            + " model for audio output.", "modalities", "unsupported_value");
                }
            }
        }
        // as OpenAI answers these for models that neither reason nor search: answering without them would pass for
        // an answer that did
        if (Body.field(body, "reasoning_effort") != null) {
            throw ApiException.badRequest("Unsupported parameter: 'reasoning_effort' is not supported with this model."
                    + " The local models answer without reasoning first: leave it out, or use a provider's reasoning"
                    + " model.", "reasoning_effort", "unsupported_parameter");
        }
        if (Body.field(body, "web_search_options") != null) {
            throw ApiException.badRequest("Unsupported parameter: 'web_search_options' is not supported with this"
                    + " model. The local models cannot search the web: leave it out, or use a provider's search"
                    + " model.", "web_search_options", "unsupported_parameter");
        }
        JsonNode audio = Body.field(body, "audio");
        if (audio != null) {
            throw ApiException.badRequest("The local models answer with text only, so 'audio' " + audio + " cannot be"
                    + " honoured: leave it out, or use a provider's model for audio output.", "audio",
                    "unsupported_value");
        }
    }

    private static List<String> stop(JsonNode n) {
        if (n == null) return List.of();
        if (n.isTextual()) return n.asText().isEmpty() ? List.of() : List.of(n.asText());
        if (!n.isArray()) throw Body.invalidType("stop", "a string or an array of strings", n);
        if (n.size() > 4) {
            throw ApiException.badRequest("Invalid 'stop': array too long. Expected an array with maximum length 4,"
                    + " but got an array with length " + n.size() + " instead.", "stop", "array_above_max_length");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String s = Body.string(n.get(i), "stop[" + i + "]");
            if (s == null) throw Body.invalidType("stop[" + i + "]", "a string", n.get(i));
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }

    private void complete(Context ctx) throws IOException {
        Request req = parse(Body.object(ctx));
        ModelCatalog.Resolved model = s.catalog().resolve(req.model(), RequestParams.caller(ctx));
        if (model == null) throw ModelRoutes.notFound(req.model());
        Engine.Chatbot bot = s.chatModels().get(model.config(), model.weights());
        int promptLength = bot.promptTokens(req.messages());
        if (promptLength >= bot.contextLength()) {
            throw ApiException.badRequest("This model's maximum context length is " + bot.contextLength()
                    + " tokens. However, your messages resulted in " + promptLength + " tokens.", "messages",
                    "context_length_exceeded");
        }
        for (int token : req.sampling().logitBias().keySet()) {
            if (token >= bot.vocabularySize()) {
                throw ApiException.badRequest("Invalid key in 'logit_bias': " + token + ". Token ids of " + req.model()
                        + " run from 0 to " + (bot.vocabularySize() - 1) + " (the UTF-8 bytes, then special tokens).",
                        "logit_bias", "invalid_value");
            }
        }
        String id = Ids.completion();
        long created = Projects.now();
        if (req.stream()) {
            stream(ctx, req, bot, id, created);
            return;
        }
        List<ChatCompletion.Choice> choices = new ArrayList<>();
        long prompt = 0;
        long completion = 0;
        for (int i = 0; i < req.n(); i++) {
            Engine.Completion c = generate(bot, req, i, (text, logprobs) -> { });
            prompt = c.promptTokens();
            completion += c.completionTokens();
            ChatMessage message = ChatMessage.assistant(c.text());
            message.extra().put("refusal", null);
            ChatCompletion.Logprobs logprobs = wantsLogprobs(req) ? new ChatCompletion.Logprobs(c.logprobs()) : null;
            choices.add(new ChatCompletion.Choice(i, message, c.finishReason(), logprobs, null));
        }
        ctx.json(new ChatCompletion(id, ChatCompletion.OBJECT, created, req.model(), choices,
                new Usage(prompt, completion), FINGERPRINT, null));
    }

    private static Engine.Completion generate(Engine.Chatbot bot, Request req, int choice,
                                              BiConsumer<String, List<ChatCompletionTokenLogprob>> onPiece) {
        Engine.Sampling sampling = req.sampling().withSeed(req.sampling().seed() + choice);
        synchronized (bot) {
            return bot.complete(req.messages(), sampling, onPiece);
        }
    }

    private static boolean wantsLogprobs(Request req) {
        return req.sampling().logprobs() != null;
    }

    /**
     * Streams the answer. The model answers one choice at a time under its lock (see {@link #generate}); were the
     * chunks written to the socket under that lock, a client that stops reading would hold up every request to the
     * model until its write timed out. So a thread of its own generates the chunks into a queue, and this one writes
     * them as they come: a client that reads keeps getting each piece as it is made, and one that stalls holds only
     * its own answer (in memory, as a response that is not streamed is held whole).
     */
    private void stream(Context ctx, Request req, Engine.Chatbot bot, String id, long created) throws IOException {
        ctx.status(200);
        ctx.contentType("text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        BlockingQueue<Object> events = new LinkedBlockingQueue<>(); // an event's bytes, or what ended generation
        AtomicBoolean clientGone = new AtomicBoolean();
        Thread generator = new Thread(() -> {
            try {
                streamedChunks(req, bot, id, created, clientGone, events::add);
            } catch (RuntimeException | Error e) {
                events.add(e);
            }
        }, "chat-stream " + id);
        generator.setDaemon(true);
        generator.start();
        try {
            while (true) {
                Object next = events.take();
                if (next instanceof RuntimeException e) throw e;
                if (next instanceof Error e) throw e;
                byte[] event = (byte[]) next;
                out.write(event);
                out.flush();
                if (event == DONE) return;
            }
        } catch (IOException e) {
            // The client went away; there is nobody left to answer, and the generator stops at its next piece.
            clientGone.set(true);
        } catch (InterruptedException e) {
            clientGone.set(true);
            Thread.currentThread().interrupt();
        }
    }

    /** Generates the stream's events into {@code emit}, ending with {@link #DONE}. */
    private static void streamedChunks(Request req, Engine.Chatbot bot, String id, long created,
                                       AtomicBoolean clientGone, Consumer<byte[]> emit) {
        long prompt = 0;
        long completion = 0;
        for (int i = 0; i < req.n() && !clientGone.get(); i++) {
            int index = i;
            emit.accept(event(chunk(id, created, req, index,
                    new ChatCompletionChunk.Delta("assistant", "", null, null, null), null, null)));
            Engine.Completion c = generate(bot, req, i, (text, logprobs) -> {
                if (clientGone.get()) throw new CancellationException("the client went away");
                if (text.isEmpty()) return;
                emit.accept(event(chunk(id, created, req, index, new ChatCompletionChunk.Delta(null, text, null, null,
                        null), wantsLogprobs(req) ? new ChatCompletion.Logprobs(logprobs) : null, null)));
            });
            prompt = c.promptTokens();
            completion += c.completionTokens();
            emit.accept(event(chunk(id, created, req, index,
                    new ChatCompletionChunk.Delta(null, null, null, null, null), null, c.finishReason())));
        }
        if (req.includeUsage()) {
            emit.accept(event(new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, req.model(), List.of(),
                    new Usage(prompt, completion), FINGERPRINT, null)));
        }
        emit.accept(DONE);
    }

    private static ChatCompletionChunk chunk(String id, long created, Request req, int index,
                                             ChatCompletionChunk.Delta delta, ChatCompletion.Logprobs logprobs,
                                             String finish) {
        ChatCompletionChunk.Choice choice = new ChatCompletionChunk.Choice(index, delta, finish, logprobs, null);
        ChatCompletionChunk chunk = new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, req.model(),
                List.of(choice), null, FINGERPRINT, null);
        // as OpenAI streams: "usage": null on the chunks before the usage chunk when one was asked for, else no usage
        if (req.includeUsage()) chunk.extra().put("usage", null);
        return chunk;
    }

    private static byte[] event(Object chunk) {
        return ("data: " + Json.write(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
