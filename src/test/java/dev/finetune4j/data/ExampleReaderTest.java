package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleReaderTest {

    static ExampleReader reader(String text) {
        return new ExampleReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsExamplesWithTheirLineNumbersSkippingBlankLines() throws Exception {
        try (ExampleReader r = reader("{\"messages\": [1]}\n\n  \n{\"messages\": [2, 3]}\r\n")) {
            List<Example> all = r.stream().toList();
            assertThat(all).extracting(Example::line).containsExactly(1L, 4L);
            assertThat(all.get(1).json().get("messages").size()).isEqualTo(2);
        }
    }

    @Test
    void invalidLineNamesItsNumber() {
        ExampleReader r = reader("{}\n{\"a\": }\n");
        assertThat(r.read().line()).isEqualTo(1);
        assertThatThrownBy(r::read).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("Line 2: invalid JSON")
                .extracting(e -> ((DatasetException) e).line()).isEqualTo(2L);
    }

    @Test
    void anUnclosedLineSaysWhereItsStructureBeganWithoutTheParsersInternals() {
        ExampleReader r = reader("{\"messages\": [{\"role\": \"user\"}\n");
        assertThatThrownBy(r::read).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("Line 1: invalid JSON at column ")
                .hasMessageContaining("(start marker at column 14)").hasMessageNotContaining("Source");
    }

    @Test
    void aMissingFileSaysSoAndWhereItLooked() {
        java.nio.file.Path missing = java.nio.file.Path.of("no-such-dir", "missing.jsonl");
        assertThatThrownBy(() -> ExampleReader.open(missing)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessage("cannot read " + missing + ": no such file (looked in " + missing.toAbsolutePath() + ")");
    }
}
