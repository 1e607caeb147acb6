package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatModelTest {
    private static final GptConfig CFG = new GptConfig("kv", ByteTokenizer.VOCAB_SIZE, 48, 2, 2, 16);

    private static GptModel randomModel() {
        GptModel m = GptModel.init(CFG, 11);
        Rng rng = new Rng(4);
        for (float[] row : m.rows) {
            for (int i = 0; i < row.length; i++) row[i] += (float) (rng.nextGaussian() * 0.2);
        }
        m.refreshTransposed();
        return m;
    }

    /** Logits of the last position, recomputing the whole sequence (no cache). */
    private static float[] fullLogits(GptModel m, int[] tokens, int n) {
        Workspace ws = new Workspace(m.config());
        ws.headPos[0] = n - 1;
        Transformer.forward(m, ws, tokens, n, 1);
        return ws.logits[0].clone();
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }

    @Test
    void kvCacheGivesTheSameOutputAsFullRecomputation() {
        GptModel m = randomModel();
        int[] seq = new int[CFG.contextLength()];
        int[] prompt = ByteTokenizer.encode("The cache");
        System.arraycopy(prompt, 0, seq, 0, prompt.length);
        KvCache cache = new KvCache(m);
        float[] cached = null;
        for (int t : prompt) cached = cache.next(t);
        for (int n = prompt.length; n < CFG.contextLength(); n++) {
            float[] full = fullLogits(m, seq, n);
            for (int v = 0; v < full.length; v++) {
                assertThat(cached[v]).as("position %d token %d", n, v).isCloseTo(full[v], org.assertj.core.data.Offset.offset(1e-4f));
            }
            int next = argmax(full);
            assertThat(argmax(cached)).isEqualTo(next);
            seq[n] = next;
            cached = cache.next(next);
        }
        assertThatThrownBy(() -> cache.next(1)).hasMessageContaining("full");
    }

    @Test
    void greedyIsDeterministicAndStopsAtTheContext() {
        ChatModel chat = new ChatModel(randomModel());
        List<ChatMessage> msgs = List.of(ChatMessage.of("user", "hi"));
        Completion a = chat.complete(msgs, SamplingOptions.greedy(1000), null);
        Completion b = chat.complete(msgs, SamplingOptions.greedy(1000), null);
        assertThat(a).isEqualTo(b);
        assertThat(a.promptTokens()).isEqualTo(chat.promptTokens(msgs)).isEqualTo(ChatTemplate.prompt(msgs).length);
        assertThat(a.promptTokens() + a.completionTokens()).isLessThanOrEqualTo(CFG.contextLength());
        Completion short1 = chat.complete(msgs, SamplingOptions.greedy(3), null);
        assertThat(short1.completionTokens()).isLessThanOrEqualTo(3);
    }

    @Test
    void seededSamplingIsReproducibleAndTopPNarrowsChoices() {
        ChatModel chat = new ChatModel(randomModel());
        List<ChatMessage> msgs = List.of(ChatMessage.of("user", "hi"));
        SamplingOptions o = new SamplingOptions(1.0, 0.9, 10, List.of(), 123L);
        assertThat(chat.complete(msgs, o, null)).isEqualTo(chat.complete(msgs, o, null));
        float[] logits = new float[ByteTokenizer.VOCAB_SIZE];
        logits[65] = 10;
        logits[66] = 9;
        Rng rng = new Rng(1);
        for (int i = 0; i < 200; i++) {
            int t = ChatModel.sample(logits, new SamplingOptions(1.0, 0.5, 1, List.of(), 0L), rng);
            assertThat(t).isEqualTo(65);
        }
        boolean sawOther = false;
        for (int i = 0; i < 200; i++) sawOther |= ChatModel.sample(logits, new SamplingOptions(1.0, 1.0, 1, List.of(), 0L), rng) != 65;
        assertThat(sawOther).isTrue();
    }

    @Test
    void streamsWholeCharactersAndHonoursStopSequences() throws Exception {
        // teach a model one reply containing multi-byte characters, then decode it
        String reply = "Café → 5€ ok. END more";
        List<ChatExample> data = List.of(ChatExample.of(ChatMessage.of("user", "q"), ChatMessage.of("assistant", reply)));
        Trainer t = Trainer.create(GptModel.init(CFG, 2), data, List.of(), new Hyperparameters(50, 1, 10), 1, 1);
        t.run(new TrainingListener() {}, new TrainingControl());
        ChatModel chat = new ChatModel(t.model());
        List<ChatMessage> prompt = List.of(ChatMessage.of("user", "q"));

        List<String> pieces = new ArrayList<>();
        Completion c = chat.complete(prompt, SamplingOptions.greedy(40), pieces::add);
        assertThat(c.text()).isEqualTo(reply);
        assertThat(c.finishReason()).isEqualTo(Completion.STOP);
        assertThat(String.join("", pieces)).isEqualTo(reply);
        assertThat(pieces).contains("é", "→", "€");

        pieces.clear();
        Completion stopped = chat.complete(prompt, new SamplingOptions(0, 1, 40, List.of(" END", "xyz"), 0L), pieces::add);
        assertThat(stopped.text()).isEqualTo("Café → 5€ ok.");
        assertThat(stopped.finishReason()).isEqualTo(Completion.STOP);
        assertThat(String.join("", pieces)).isEqualTo("Café → 5€ ok.");

        Completion cut = chat.complete(prompt, SamplingOptions.greedy(4), null);
        assertThat(cut.finishReason()).isEqualTo(Completion.LENGTH);
        assertThat(cut.completionTokens()).isEqualTo(4);
        assertThat(cut.text()).isEqualTo("Caf\uFFFD"); // an incomplete last character is flushed as U+FFFD
    }

    @Test
    void promptLongerThanTheContextIsRefused() {
        ChatModel chat = new ChatModel(randomModel());
        assertThatThrownBy(() -> chat.complete(List.of(ChatMessage.of("user", "x".repeat(60))), SamplingOptions.greedy(5), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the prompt has");
    }
}
