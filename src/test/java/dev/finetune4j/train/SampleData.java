package dev.finetune4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the chat JSONL files of {@code data/} into examples (test-side: the engine itself knows no JSON). */
final class SampleData {
    static final Path TRAIN = Path.of("data/sample_train.jsonl");
    static final Path VALID = Path.of("data/sample_valid.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleData() {}

    static List<ChatExample> read(Path path) {
        List<ChatExample> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                List<ChatMessage> messages = new ArrayList<>();
                for (JsonNode m : JSON.readTree(line).get("messages")) {
                    String role = m.get("role").asText();
                    boolean trained = role.equals("assistant") && (!m.has("weight") || m.get("weight").asInt() != 0);
                    messages.add(new ChatMessage(role, m.path("content").asText(""), trained));
                }
                out.add(new ChatExample(messages));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The messages before the final assistant reply. */
    static List<ChatMessage> promptOf(ChatExample ex) {
        List<ChatMessage> m = ex.messages();
        return m.subList(0, m.size() - 1);
    }

    static String answerOf(ChatExample ex) {
        List<ChatMessage> m = ex.messages();
        return m.get(m.size() - 1).content();
    }
}
