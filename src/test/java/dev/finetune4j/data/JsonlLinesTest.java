package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonlLinesTest {

    static List<String> lines(String text, int buffer) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonlLines lines = new JsonlLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), buffer)) {
            while (lines.next()) {
                out.add(lines.lineNumber() + ":" + lines.text());
            }
        }
        return out;
    }

    @Test
    void splitsOnNewlinesAcrossBufferRefillsAndGrowsForLongLines() throws IOException {
        String longLine = "x".repeat(100);
        assertThat(lines("a\r\nbb\n\n" + longLine + "\nlast", 16))
                .containsExactly("1:a", "2:bb", "3:", "4:" + longLine, "5:last");
        assertThat(lines("only\n", 16)).containsExactly("1:only");
        assertThat(lines("", 16)).isEmpty();
        assertThat(lines("\uFEFF{}\n", 16)).containsExactly("1:{}");
    }

    @Test
    void hashIgnoresSurroundingSpaceOnly() {
        assertThat(LineHash.of("{\"a\": 1}  ")).isEqualTo(LineHash.of("  {\"a\": 1}"));
        assertThat(LineHash.of("{\"a\": 1}")).isNotEqualTo(LineHash.of("{\"a\":1}"));
        assertThat(LineHash.of("abcdefgh")).isNotEqualTo(LineHash.of("abcdefgi"));
        assertThat(LineHash.of("")).isNotEqualTo(LineHash.of("\u0000"));
    }

    @Test
    void longIntMapKeepsFirstValueThroughGrowth() {
        LongIntMap map = new LongIntMap();
        for (int i = 0; i < 100_000; i++) {
            assertThat(LongIntMap.isAbsent(map.putIfAbsent(i * 0x9E3779B97F4A7C15L, i))).isTrue();
        }
        assertThat(map.size()).isEqualTo(100_000);
        assertThat(map.putIfAbsent(77 * 0x9E3779B97F4A7C15L, 5)).isEqualTo(77);
        assertThat(map.get(12345 * 0x9E3779B97F4A7C15L, -1)).isEqualTo(12345);
        assertThat(map.get(-3, -1)).isEqualTo(-1);
        // the key 0 (the first one above) is kept apart from the table, where 0 marks an empty slot
        assertThat(map.get(0, -1)).isEqualTo(0);
        assertThat(map.putIfAbsent(0, 9)).isEqualTo(0);
        map.set(0, 4);
        map.set(12345 * 0x9E3779B97F4A7C15L, 6);
        assertThat(map.get(0, -1)).isEqualTo(4);
        assertThat(map.get(12345 * 0x9E3779B97F4A7C15L, -1)).isEqualTo(6);
        assertThat(map.size()).isEqualTo(100_000);
        map.ensureCapacity(1_000_000);
        assertThat(map.size()).isEqualTo(100_000);
        assertThat(map.get(0, -1)).isEqualTo(4);
        assertThat(map.get(99_999 * 0x9E3779B97F4A7C15L, -1)).isEqualTo(99_999);
    }
}
