package dev.finetune4j.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.ChatCompletion;
import dev.finetune4j.api.ChatCompletionChunk;
import dev.finetune4j.api.ChatMessage;
import dev.finetune4j.api.CheckpointPermission;
import dev.finetune4j.api.Deleted;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.Json;
import dev.finetune4j.api.Model;
import dev.finetune4j.api.Page;
import dev.finetune4j.api.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The api records, built in Java and written with Json.MAPPER (as a server would), satisfy the spec. */
class WireRecordsContractTest {
    private static List<String> check(String method, String path, Object value) {
        return OpenApiContract.get().violationsForResponse(method, path, 200, "application/json", Json.write(value));
    }

    @Test
    void chatCompletionWithAPlainAssistantMessage() {
        ChatCompletion completion = new ChatCompletion("chatcmpl-1", ChatCompletion.OBJECT, 1, "m",
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("Paris"), "stop", null, null)),
                new Usage(3, 1), null, null);
        assertThat(check("POST", "/v1/chat/completions", completion)).isEmpty();
    }

    @Test
    void streamChunksWithAndWithoutUsage() {
        ChatCompletionChunk chunk = new ChatCompletionChunk("c", ChatCompletionChunk.OBJECT, 1, "m",
                List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta("assistant", "Hi", null, null,
                        null), null, null, null)), null, null, null);
        assertThat(OpenApiContract.get().violationsForSchema("CreateChatCompletionStreamResponse", Json.write(chunk)))
                .isEmpty();
        ChatCompletionChunk last = new ChatCompletionChunk("c", ChatCompletionChunk.OBJECT, 1, "m", List.of(),
                new Usage(3, 1), null, null);
        assertThat(OpenApiContract.get().violationsForSchema("CreateChatCompletionStreamResponse", Json.write(last)))
                .isEmpty();
    }

    @Test
    void filesModelsPermissionsAndDeletes() {
        FileObject file = new FileObject("file-1", 10, 1, null, "a.jsonl", "fine-tune", "processed");
        assertThat(check("GET", "/v1/files/file-1", file)).isEmpty();
        assertThat(check("GET", "/v1/files", new Page<>("list", List.of(file), false, "file-1", "file-1"))).isEmpty();
        assertThat(check("GET", "/v1/models/m", new Model("m", 1, "system"))).isEmpty();
        assertThat(check("GET", "/v1/models", Page.of(List.of(new Model("m", 1, "system")), false))).isEmpty();
        assertThat(check("GET", "/v1/fine_tuning/checkpoints/ft:m:o::x/permissions",
                Page.of(List.of(new CheckpointPermission("cp_1", 1, "proj_1")), false))).isEmpty();
        assertThat(check("DELETE", "/v1/files/file-1", new Deleted("file-1", "file", true))).isEmpty();
        assertThat(check("DELETE", "/v1/models/m", new Deleted("m", "model", true))).isEmpty();
    }
}
