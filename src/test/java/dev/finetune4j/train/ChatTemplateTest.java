package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {

    private static String trainedText(TokenizedExample t) {
        StringBuilder sb = new StringBuilder();
        int[] run = new int[t.length()];
        int n = 0;
        for (int i = 0; i < t.length(); i++) if (t.trained()[i]) run[n++] = t.tokens()[i];
        return sb.append(ByteTokenizer.describe(java.util.Arrays.copyOf(run, n))).toString();
    }

    @Test
    void rendersMessagesAndMasksAssistantContentAndEnd() {
        ChatExample ex = ChatExample.of(ChatMessage.of("system", "Be brief."), ChatMessage.of("user", "Hi?"),
                ChatMessage.of("assistant", "Hello."));
        TokenizedExample t = ChatTemplate.encode(ex);
        assertThat(ByteTokenizer.describe(t.tokens()))
                .isEqualTo("<|start|>system\nBe brief.<|end|><|start|>user\nHi?<|end|><|start|>assistant\nHello.<|end|>");
        assertThat(trainedText(t)).isEqualTo("Hello.<|end|>");
        assertThat(t.trainedCount()).isEqualTo(7);
        assertThat(ChatTemplate.tokenCount(ex)).isEqualTo(t.length());
    }

    @Test
    void developerMessagesAreRenderedAsSystemMessages() {
        List<ChatMessage> developer = List.of(ChatMessage.of("developer", "Be brief."), ChatMessage.of("user", "Hi?"));
        List<ChatMessage> system = List.of(ChatMessage.of("system", "Be brief."), ChatMessage.of("user", "Hi?"));
        assertThat(ChatTemplate.prompt(developer)).containsExactly(ChatTemplate.prompt(system));
        ChatExample ex = new ChatExample(developer);
        assertThat(ChatTemplate.encode(ex).tokens()).containsExactly(ChatTemplate.encode(new ChatExample(system)).tokens());
        assertThat(ChatTemplate.tokenCount(ex)).isEqualTo(ChatTemplate.encode(ex).length());
    }

    @Test
    void weightZeroAssistantMessagesAreNotTrained() {
        ChatExample ex = ChatExample.of(ChatMessage.of("user", "a"), new ChatMessage("assistant", "wrong", false),
                ChatMessage.of("user", "b"), ChatMessage.of("assistant", "right"));
        TokenizedExample t = ChatTemplate.encode(ex);
        assertThat(trainedText(t)).isEqualTo("right<|end|>");
    }

    @Test
    void userAndToolMessagesAreNeverTrainedByDefault() {
        ChatExample ex = ChatExample.of(ChatMessage.of("user", "x"),
                ChatMessage.of("assistant", "{\"name\":\"f\",\"arguments\":\"{}\"}"), ChatMessage.of("tool", "42"));
        TokenizedExample t = ChatTemplate.encode(ex);
        assertThat(trainedText(t)).isEqualTo("{\"name\":\"f\",\"arguments\":\"{}\"}<|end|>");
        assertThat(t.trained()[0]).isFalse();
    }

    @Test
    void countsMultiByteCharactersAsBytes() {
        ChatExample ex = ChatExample.of(ChatMessage.of("user", "héllo €𝄞"), ChatMessage.of("assistant", "ok"));
        assertThat(ChatTemplate.tokenCount(ex)).isEqualTo(ChatTemplate.encode(ex).length());
        assertThat(ByteTokenizer.count("héllo €𝄞")).isEqualTo("héllo €𝄞".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void promptOpensAnAssistantMessage() {
        int[] p = ChatTemplate.prompt(List.of(ChatMessage.of("user", "Hi")));
        assertThat(ByteTokenizer.describe(p)).isEqualTo("<|start|>user\nHi<|end|><|start|>assistant\n");
    }

    @Test
    void trainerReportsExamplesLongerThanTheContext() {
        GptConfig small = new GptConfig("small", ByteTokenizer.VOCAB_SIZE, 32, 1, 1, 8);
        ChatExample ok = ChatExample.of(ChatMessage.of("user", "a"), ChatMessage.of("assistant", "b"));
        ChatExample tooLong = ChatExample.of(ChatMessage.of("user", "x".repeat(40)), ChatMessage.of("assistant", "b"));
        assertThatThrownBy(() -> Trainer.create(GptModel.init(small, 1), List.of(ok, tooLong), List.of(),
                new Hyperparameters(1, 1, 1), 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training example 2 has 60 tokens")
                .hasMessageContaining("context length 32");
    }
}
