package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.Json;
import dev.finetune4j.contract.OpenApiContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat completions of the real server and engine with a base model (no training): what a request may hold. */
class ChatCompletionsTest {
    @TempDir
    Path dir;
    LocalServer server;
    Http http;

    @BeforeEach
    void start() {
        server = LocalServer.builder().dataDir(dir).start();
        http = new Http(server.baseUrl(), server.apiKey());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private Http.Response chat(String json) {
        return http.post("/chat/completions", json);
    }

    private static void assertRefused(Http.Response r, String param, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.param()).as(r.body()).isEqualTo(param);
        assertThat(r.code()).as(r.body()).isEqualTo(code);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void unknownParametersAreRefusedByName() {
        Http.Response misspelt = chat("""
                {"model": "nano", "messages": [{"role": "user", "content": "Hi"}],
                 "max_completion_token": 1, "temprature": 0}""");
        assertRefused(misspelt, "max_completion_token", "unknown_parameter");
        assertThat(misspelt.json().at("/error/message").asText())
                .isEqualTo("Unrecognized request argument supplied: max_completion_token");
        // what the Python SDK's extra_body adds
        assertRefused(chat("""
                {"model": "nano", "messages": [{"role": "user", "content": "Hi"}], "foo": 1}"""), "foo",
                "unknown_parameter");
        assertRefused(chat("""
                {"model": "nano", "messages": [{"role": "user", "content": "Hi"}], "stream": true,
                 "stream_options": {"include_usage": true, "include_usge": true}}"""),
                "stream_options.include_usge", "unknown_parameter");
    }

    /** Every parameter of the spec's request, with a value that asks for text as the local models answer it. */
    private static ObjectNode everySpecParameter() {
        return (ObjectNode) Json.tree("""
                {"model": "nano",
                 "messages": [{"role": "developer", "content": "Be brief.", "name": "dev"},
                              {"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
                 "audio": null, "frequency_penalty": 0, "function_call": "auto",
                 "functions": [{"name": "f", "parameters": {"type": "object", "properties": {}}}],
                 "logit_bias": {"65": 1}, "logprobs": true, "max_completion_tokens": 2, "max_tokens": null,
                 "metadata": {"purpose": "test"}, "modalities": ["text"], "moderation": null, "n": 1,
                 "parallel_tool_calls": true, "prediction": {"type": "content", "content": "Hello"},
                 "presence_penalty": 0, "prompt_cache_key": "k", "prompt_cache_options": null,
                 "prompt_cache_retention": "in_memory", "reasoning_effort": null,
                 "response_format": {"type": "text"}, "safety_identifier": "user-1", "seed": 1,
                 "service_tier": "auto", "stop": ["\\n\\n"], "store": false, "stream": false, "stream_options": null,
                 "temperature": 0, "tool_choice": "auto",
                 "tools": [{"type": "function", "function": {"name": "f"}}], "top_logprobs": 1, "top_p": 1,
                 "user": "user-1", "verbosity": "medium", "web_search_options": null}""");
    }

    @Test
    void everyParameterOfTheSpecIsTaken() throws IOException {
        ObjectNode body = everySpecParameter();
        if (OpenApiContract.available()) {
            Set<String> sent = new TreeSet<>();
            body.fieldNames().forEachRemaining(sent::add);
            assertThat(sent).isEqualTo(specRequestParameters(OpenApiContract.specPath()));
        } else {
            System.out.println("ChatCompletionsTest: the OpenAPI spec is absent; the parameter list was not compared");
        }
        Http.Response r = chat(Json.write(body));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/choices/0/logprobs/content")).hasSize(2);
    }

    /** The property names of the spec's CreateChatCompletionRequest, with those of the schemas it extends. */
    @SuppressWarnings("unchecked")
    private static Set<String> specRequestParameters(Path spec) throws IOException {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        Map<String, Object> root;
        try (Reader in = Files.newBufferedReader(spec)) {
            root = new org.yaml.snakeyaml.Yaml(options).load(in);
        }
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) root.get("components")).get("schemas");
        Set<String> names = new TreeSet<>();
        List<Map<String, Object>> todo = new ArrayList<>(List.of((Map<String, Object>) schemas.get("CreateChatCompletionRequest")));
        while (!todo.isEmpty()) {
            Map<String, Object> schema = todo.remove(todo.size() - 1);
            if (schema.get("$ref") instanceof String ref) {
                todo.add((Map<String, Object>) schemas.get(ref.substring(ref.lastIndexOf('/') + 1)));
                continue;
            }
            if (schema.get("properties") instanceof Map<?, ?> props) props.keySet().forEach(k -> names.add((String) k));
            if (schema.get("allOf") instanceof List<?> parts) parts.forEach(p -> todo.add((Map<String, Object>) p));
        }
        return names;
    }

    @Test
    void requestsForAudioAndMalformedMessagesAreRefused() {
        assertRefused(chat("""
                {"model": "nano", "messages": [{"role": "user", "content": "Hi"}], "modalities": ["text", "audio"]}"""),
                "modalities", "unsupported_value");
        assertRefused(chat("""
                {"model": "nano", "messages": [{"role": "user", "content": "Hi"}],
                 "audio": {"voice": "alloy", "format": "wav"}}"""), "audio", "unsupported_value");
        // the local models neither reason nor search, and say so rather than answer as if they had
        assertRefused(chat("""
                {"model": "nano", "messages": [{"role": "user", "content": "Hi"}], "reasoning_effort": "low"}"""),
                "reasoning_effort", "unsupported_parameter");
        assertRefused(chat("""
                {"model": "nano", "messages": [{"role": "user", "content": "Hi"}], "web_search_options": {}}"""),
                "web_search_options", "unsupported_parameter");
        assertRefused(chat("""
                {"model": "nano", "messages": [{"role": "user", "content": []}]}"""),
                "messages[0].content", "empty_array");
        assertRefused(chat("""
                {"model": "nano", "messages": [{"role": "user", "content": "Hi"}, {"role": "tool", "content": "42"}]}"""),
                "messages[1].tool_call_id", "missing_required_parameter");
        assertRefused(chat("""
                {"model": "nano", "messages": [{"role": "function", "content": "42"}]}"""),
                "messages[0].name", "missing_required_parameter");
        assertThat(chat("""
                {"model": "nano", "max_completion_tokens": 1, "messages": [{"role": "user", "content": "Hi"},
                 {"role": "tool", "tool_call_id": "call_1", "content": [{"type": "text", "text": "42"}]}]}""").status())
                .isEqualTo(200);
    }

    @Test
    void developerMessagesPromptAsSystemMessages() {
        String request = """
                {"model": "nano", "temperature": 0, "max_completion_tokens": 4, "logprobs": true, "top_logprobs": 3,
                 "messages": [{"role": "%s", "content": "Answer briefly."}, {"role": "user", "content": "Hi"}]}""";
        Http.Response system = chat(request.formatted("system"));
        Http.Response developer = chat(request.formatted("developer"));
        assertThat(system.status()).as(system.body()).isEqualTo(200);
        assertThat(developer.json().at("/usage")).isEqualTo(system.json().at("/usage"));
        assertThat(developer.json().at("/choices/0/logprobs")).isEqualTo(system.json().at("/choices/0/logprobs"));
    }

    private List<JsonNode> streamedChunks(String json) {
        Http.Response r = chat(json);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(Json::tree).toList();
        if (OpenApiContract.available()) {
            for (String chunk : data.subList(0, data.size() - 1)) {
                assertThat(OpenApiContract.get().violationsForSchema("CreateChatCompletionStreamResponse", chunk))
                        .as(chunk).isEmpty();
            }
        }
        return chunks;
    }

    @Test
    void streamChunksCarryUsageOnlyWhenAskedFor() {
        List<JsonNode> plain = streamedChunks("""
                {"model": "nano", "max_completion_tokens": 3, "stream": true,
                 "messages": [{"role": "user", "content": "Hi"}]}""");
        // the role chunk, the text (a chunk per whole character, so up to three), the finish chunk
        assertThat(plain.size()).isBetween(3, 5);
        assertThat(plain).allSatisfy(c -> assertThat(c.has("usage")).as(c.toString()).isFalse());

        List<JsonNode> counted = streamedChunks("""
                {"model": "nano", "max_completion_tokens": 3, "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Hi"}]}""");
        // as OpenAI streams it: "usage": null on every chunk but the last, which has the counts and no choices
        JsonNode last = counted.get(counted.size() - 1);
        assertThat(counted.subList(0, counted.size() - 1))
                .allSatisfy(c -> assertThat(c.get("usage").isNull()).as(c.toString()).isTrue());
        assertThat(last.get("choices")).isEmpty();
        assertThat(last.at("/usage/completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void aStreamThatIsNotReadDoesNotHoldUpTheModel() throws Exception {
        URI base = URI.create(server.baseUrl());
        String body = """
                {"model": "nano", "stream": true, "n": 128, "logprobs": true, "top_logprobs": 20,
                 "messages": [{"role": "user", "content": "Hi"}]}""";
        try (Socket stalled = new Socket()) {
            // a small window, so that the server's writes block soon after this client stops reading (megabytes
            // of chunks are coming)
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            stalled.setSoTimeout(30_000);
            stalled.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + server.apiKey() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            stalled.getOutputStream().flush();
            readUntil(stalled.getInputStream(), "data: ");
            // stop reading; give the server time to fill the socket's buffers (generating the whole answer takes a
            // few seconds at most), so that a server writing under the model's lock is blocked in that write by now
            Thread.sleep(3_000);

            long start = System.nanoTime();
            Http.Response small = chat("""
                    {"model": "nano", "max_completion_tokens": 2, "messages": [{"role": "user", "content": "x"}]}""");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(small.status()).as(small.body()).isEqualTo(200);
            // blocked behind the stalled writer, it would wait for that write to time out (30 s); otherwise it waits
            // at most for the rest of the other answer's generation
            assertThat(took).isLessThan(Duration.ofSeconds(15));
        }
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(marker) < 0) {
            int b = in.read();
            assertThat(b).as("the stream ended before %s: %s", marker, seen).isNotEqualTo(-1);
            seen.append((char) b);
        }
    }
}
