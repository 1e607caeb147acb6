package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlsTest {
    @Test
    void keepsColonsAndAtSignsButEncodesSlashesAndSpaces() {
        assertThat(Urls.encodeSegment("ft:gpt-4o-mini:org::7p4lURel:ckpt-step-2")).isEqualTo("ft:gpt-4o-mini:org::7p4lURel:ckpt-step-2");
        assertThat(Urls.encodeSegment("user@example")).isEqualTo("user@example");
        assertThat(Urls.encodeSegment("a/b c?d#e%f")).isEqualTo("a%2Fb%20c%3Fd%23e%25f");
        assertThat(Urls.encodeSegment("modèle")).isEqualTo("mod%C3%A8le");
        assertThat(Urls.encodeSegment("a+b=c;d,e")).isEqualTo("a+b=c;d,e");
        assertThatThrownBy(() -> Urls.encodeSegment("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flattensNestedQueryValuesWithBrackets() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("limit", 5);
        q.put("metadata", Map.of("team", "ml"));
        q.put("ids", List.of("a", "b"));
        q.put("skip", null);
        q.put("flag", false);
        assertThat(Urls.flatten(q)).containsExactly(Map.entry("limit", "5"), Map.entry("metadata[team]", "ml"),
                Map.entry("ids[]", "a"), Map.entry("ids[]", "b"), Map.entry("flag", "false"));
    }

    @Test
    void pathParametersAreEncodedOnTheWire() {
        try (MockApi api = new MockApi()) {
            api.json(Fixtures.read("file.json"));
            api.client.files().retrieve("../secret file");
            assertThat(api.take().getUrl().encodedPath()).isEqualTo("/v1/files/..%2Fsecret%20file");
        }
    }
}
