package dev.finetune4j.train;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Answers chat messages with a trained model, using a KV cache so generation cost grows linearly with length.
 *
 * <pre>{@code
 * ChatModel chat = new ChatModel(GptModel.load(Path.of("model.f4jw")));
 * Completion c = chat.complete(List.of(ChatMessage.of("user", "Capital of France?")), SamplingOptions.greedy(64), null);
 * }</pre>
 *
 * <p>Thread-safe: each call uses its own cache; the model must not be trained meanwhile.
 */
public final class ChatModel {
    private final GptModel model;

    public ChatModel(GptModel model) {
        this.model = model;
    }

    public GptModel model() {
        return model;
    }

    /** Prompt tokens the messages take, including the opening of the assistant reply. */
    public int promptTokens(List<ChatMessage> messages) {
        return ChatTemplate.prompt(messages).length;
    }

    /**
     * Generates the assistant's reply to {@code messages}. {@code onText}, if non-null, receives the text as it is
     * produced, in pieces that never split a character and never contain (a prefix of) a stop sequence that ends up
     * cutting the reply; the pieces concatenate to the returned text.
     *
     * @throws IllegalArgumentException if the prompt leaves no room in the context for a reply
     */
    public Completion complete(List<ChatMessage> messages, SamplingOptions options, Consumer<String> onText) {
        int[] prompt = ChatTemplate.prompt(messages);
        int ctx = model.config().contextLength();
        if (prompt.length >= ctx) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the context of "
                    + model.config().name() + " holds " + ctx + ", leaving no room for a reply");
        }
        KvCache cache = new KvCache(model);
        float[] logits = null;
        for (int t : prompt) logits = cache.next(t);
        Rng rng = new Rng(options.seed() != null ? options.seed() : System.nanoTime());
        TextStream text = new TextStream(options.stop(), onText);
        int generated = 0;
        String finish = Completion.LENGTH;
        while (generated < options.maxTokens() && prompt.length + generated < ctx) {
            int token = sample(logits, options, rng);
            generated++;
            if (ByteTokenizer.isSpecial(token)) {
                finish = Completion.STOP;
                break;
            }
            if (text.add(token)) {
                finish = Completion.STOP;
                break;
            }
            if (prompt.length + generated < ctx) logits = cache.next(token);
        }
        return new Completion(text.finish(), finish, prompt.length, generated);
    }

    /** The next token: argmax at temperature 0, else a draw from the tempered, nucleus-truncated distribution. */
    static int sample(float[] logits, SamplingOptions o, Rng rng) {
        int V = logits.length;
        if (o.temperature() == 0) {
            int best = 0;
            for (int v = 1; v < V; v++) if (logits[v] > logits[best]) best = v;
            return best;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] prob = new double[V];
        double sum = 0;
        for (int v = 0; v < V; v++) sum += prob[v] = Math.exp((logits[v] - max) / o.temperature());
        Integer[] idx = new Integer[V];
        for (int v = 0; v < V; v++) {
            prob[v] /= sum;
            idx[v] = v;
        }
        int keep = V;
        if (o.topP() < 1) {
            Arrays.sort(idx, (a, b) -> prob[b] != prob[a] ? Double.compare(prob[b], prob[a]) : Integer.compare(a, b));
            double cum = 0;
            for (int i = 0; i < V; i++) {
                cum += prob[idx[i]];
                if (cum >= o.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        double total = 0;
        for (int i = 0; i < keep; i++) total += prob[idx[i]];
        double u = rng.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            u -= prob[idx[i]];
            if (u < 0) return idx[i];
        }
        return idx[keep - 1];
    }

    /** Decodes bytes, watches for stop sequences and streams the text that can no longer be cut. */
    private static final class TextStream {
        private final List<String> stops;
        private final Consumer<String> sink;
        private final Utf8Decoder decoder = new Utf8Decoder();
        private final StringBuilder text = new StringBuilder();
        private int emitted;
        private boolean stopped;

        TextStream(List<String> stops, Consumer<String> sink) {
            this.stops = stops;
            this.sink = sink;
        }

        /** Adds a byte token; returns true when a stop sequence has appeared. */
        boolean add(int token) {
            String piece = decoder.accept(token);
            if (piece.isEmpty()) return false;
            text.append(piece);
            int cut = -1;
            for (String s : stops) {
                int from = Math.max(0, emitted - s.length() + 1);
                int at = text.indexOf(s, from);
                if (at >= 0 && (cut < 0 || at < cut)) cut = at;
            }
            if (cut >= 0) {
                text.setLength(cut);
                stopped = true;
                emit(text.length());
                return true;
            }
            emit(text.length() - heldBack());
            return false;
        }

        /** Length of the longest suffix of the text that is a proper prefix of a stop sequence. */
        private int heldBack() {
            int held = 0;
            for (String s : stops) {
                for (int k = Math.min(s.length() - 1, text.length() - emitted); k > held; k--) {
                    if (text.substring(text.length() - k).equals(s.substring(0, k))) {
                        held = k;
                        break;
                    }
                }
            }
            return held;
        }

        private void emit(int upTo) {
            if (upTo > emitted) {
                if (sink != null) sink.accept(text.substring(emitted, upTo));
                emitted = upTo;
            }
        }

        String finish() {
            if (!stopped) {
                text.append(decoder.flush());
                emit(text.length());
            }
            return text.toString();
        }
    }
}
