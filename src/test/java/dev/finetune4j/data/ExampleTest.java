package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.Json;
import org.junit.jupiter.api.Test;

class ExampleTest {

    @Test
    void itemIsEveryKeyButMessagesAndTools() {
        var line = new Example(1, Json.tree("""
                {"messages": [{"role": "user", "content": "hi"}], "tools": [], "reference_answer": {"x": 1}, "id": 7}"""));
        assertThat(line.item().toString()).isEqualTo("{\"reference_answer\":{\"x\":1},\"id\":7}");
    }

    @Test
    void itemOfALineWithOnlyMessagesIsEmpty() {
        assertThat(new Example(1, Json.tree("{\"messages\": []}")).item().isEmpty()).isTrue();
    }
}
