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
        ChatModel chat = new ChatModel(taught(reply));
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
    void logprobsComeFromTheModelsSoftmaxWithTheTopTokensInOrder() {
        float[] logits = new float[ByteTokenizer.VOCAB_SIZE];
        logits[70] = 3;
        logits[65] = 5;
        logits[66] = 5;
        logits[67] = -20000;
        double logZ = Math.log(Math.exp(3) + 2 * Math.exp(5) + Math.exp(-20000) + (logits.length - 4));
        TokenLogprob lp = ChatModel.logprob(logits, 70, 3);
        assertThat(lp.token()).isEqualTo(70);
        assertThat(lp.logprob()).isCloseTo(3 - logZ, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(lp.top()).extracting(TokenLogprob.Alternative::token).containsExactly(65, 66, 70); // a tie: lower id first
        assertThat(lp.top().get(0).logprob()).isCloseTo(5 - logZ, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ChatModel.logprob(logits, 67, 0).logprob()).as("floored for JSON").isEqualTo(-9999.0);
        assertThat(ChatModel.logprob(logits, 67, 0).top()).isEmpty();
        assertThat(ChatModel.logprob(logits, 65, 20).top()).hasSize(20);
    }

    @Test
    void logprobsCoverExactlyTheTokensOfTheTextAndStreamWithIt() throws Exception {
        String reply = "Café → 5€ ok. END more";
        ChatModel chat = new ChatModel(taught(reply));
        List<ChatMessage> prompt = List.of(ChatMessage.of("user", "q"));

        List<TokenLogprob> streamed = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Completion c = chat.stream(prompt, SamplingOptions.greedy(40).withLogprobs(3), (piece, lp) -> {
            text.append(piece);
            streamed.addAll(lp);
        });
        assertThat(c.text()).isEqualTo(reply).isEqualTo(text.toString());
        assertThat(tokensOf(c.logprobs())).containsExactly(ByteTokenizer.encode(reply));
        assertThat(streamed).isEqualTo(c.logprobs());
        for (TokenLogprob lp : c.logprobs()) {
            assertThat(lp.top()).hasSize(3);
            assertThat(lp.top().get(0).token()).as("greedy picks the most likely token").isEqualTo(lp.token());
            assertThat(lp.logprob()).isEqualTo(lp.top().get(0).logprob()).isLessThanOrEqualTo(0);
            assertThat(lp.top().get(0).logprob()).isGreaterThanOrEqualTo(lp.top().get(1).logprob());
        }
        // the same values from the whole sequence recomputed without the cache
        int[] seq = new int[CFG.contextLength()];
        int[] start = ChatTemplate.prompt(prompt);
        System.arraycopy(start, 0, seq, 0, start.length);
        for (int i = 0; i < c.logprobs().size(); i++) {
            float[] logits = fullLogits(chat.model(), seq, start.length + i);
            double max = Double.NEGATIVE_INFINITY;
            for (float l : logits) max = Math.max(max, l);
            double sum = 0;
            for (float l : logits) sum += Math.exp(l - max);
            int token = c.logprobs().get(i).token();
            assertThat(c.logprobs().get(i).logprob()).as("token %d", i)
                    .isCloseTo(logits[token] - max - Math.log(sum), org.assertj.core.data.Offset.offset(1e-4));
            seq[start.length + i] = token;
        }

        Completion stopped = chat.complete(prompt, new SamplingOptions(0, 1, 40, List.of(" END"), 0L).withLogprobs(0), null);
        assertThat(stopped.text()).isEqualTo("Café → 5€ ok.");
        assertThat(tokensOf(stopped.logprobs())).containsExactly(ByteTokenizer.encode("Café → 5€ ok."));
        assertThat(chat.complete(prompt, SamplingOptions.greedy(40), null).logprobs()).as("not asked for").isEmpty();
    }

    @Test
    void logitBiasAndPenaltiesChangeWhatIsPicked() throws Exception {
        String reply = "aaaaaaaa";
        ChatModel chat = new ChatModel(taught(reply));
        List<ChatMessage> prompt = List.of(ChatMessage.of("user", "q"));
        SamplingOptions greedy = SamplingOptions.greedy(8);
        assertThat(chat.complete(prompt, greedy, null).text()).isEqualTo(reply);

        Completion banned = chat.complete(prompt,
                greedy.withLogitBias(java.util.Map.of((int) 'a', -100.0, ByteTokenizer.END, -100.0)).withLogprobs(1), null);
        assertThat(banned.text()).isNotEmpty().doesNotContain("a");
        assertThat(banned.logprobs().get(0).top().get(0).token()).as("logprobs stay the model's own").isEqualTo((int) 'a');
        assertThat(chat.complete(prompt, greedy.withLogitBias(java.util.Map.of((int) 'z', 100.0)), null).text())
                .isEqualTo("zzzzzzzz");

        String penalized = chat.complete(prompt, greedy.withPenalties(0, 2), null).text();
        assertThat(penalized.chars().filter(ch -> ch == 'a').count()).as(penalized).isLessThan(reply.length());
        ChatModel random = new ChatModel(randomModel());
        String plain = random.complete(prompt, SamplingOptions.greedy(30), null).text();
        String present = random.complete(prompt, SamplingOptions.greedy(30).withPenalties(2, 0), null).text();
        assertThat(present).as("presence").isNotEqualTo(plain);
        assertThat(present.chars().distinct().count()).as(plain + " / " + present).isGreaterThan(plain.chars().distinct().count());

        assertThatThrownBy(() -> greedy.withLogitBias(java.util.Map.of(300, 1.0))).hasMessageContaining("token ids are 0..258");
        assertThatThrownBy(() -> greedy.withPenalties(2.5, 0)).hasMessageContaining("presence_penalty");
        assertThatThrownBy(() -> greedy.withLogprobs(21)).hasMessageContaining("logprobs");
    }

    /** A model trained 50 steps on one chat: the user's "q" and {@code reply}. */
    private static GptModel taught(String reply) throws java.io.IOException {
        List<ChatExample> data = List.of(ChatExample.of(ChatMessage.of("user", "q"), ChatMessage.of("assistant", reply)));
        Trainer t = Trainer.create(GptModel.init(CFG, 2), data, List.of(), new Hyperparameters(50, 1, 10), 1, 1);
        t.run(new TrainingListener() {}, new TrainingControl());
        return t.model();
    }

    private static int[] tokensOf(List<TokenLogprob> logprobs) {
        return logprobs.stream().mapToInt(TokenLogprob::token).toArray();
    }

    @Test
    void promptLongerThanTheContextIsRefused() {
        ChatModel chat = new ChatModel(randomModel());
        assertThatThrownBy(() -> chat.complete(List.of(ChatMessage.of("user", "x".repeat(60))), SamplingOptions.greedy(5), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the prompt has");
    }
}
