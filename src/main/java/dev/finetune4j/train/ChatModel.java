package dev.finetune4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
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
        return stream(messages, options, onText == null ? null : (text, logprobs) -> onText.accept(text));
    }

    /**
     * Like {@link #complete}, but each piece of text comes with the log-probabilities of the tokens that make it
     * (empty unless {@link SamplingOptions#logprobs()} asks for them). Example:
     * {@code chat.stream(msgs, SamplingOptions.greedy(64).withLogprobs(3), (text, lp) -> System.out.print(text))}.
     */
    public Completion stream(List<ChatMessage> messages, SamplingOptions options,
                             BiConsumer<String, List<TokenLogprob>> onPiece) {
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
        TextStream text = new TextStream(options.stop(), onPiece);
        LogitAdjuster adjuster = options.adjustsLogits() ? new LogitAdjuster(options, logits.length) : null;
        int generated = 0;
        String finish = Completion.LENGTH;
        while (generated < options.maxTokens() && prompt.length + generated < ctx) {
            int token = sample(adjuster == null ? logits : adjuster.apply(logits), options, rng);
            generated++;
            if (ByteTokenizer.isSpecial(token)) {
                finish = Completion.STOP;
                break;
            }
            if (adjuster != null) adjuster.generated(token);
            if (text.add(token, options.logprobs() == null ? null : logprob(logits, token, options.logprobs()))) {
                finish = Completion.STOP;
                break;
            }
            if (prompt.length + generated < ctx) logits = cache.next(token);
        }
        String reply = text.finish();
        return new Completion(reply, finish, prompt.length, generated, text.logprobs());
    }

    /**
     * The log-probability of {@code token} under the softmax of {@code logits}, and the {@code top} most likely tokens
     * (ties to the lower id). Values below -9999 are reported as -9999, OpenAI's floor, so that JSON can carry them.
     */
    static TokenLogprob logprob(float[] logits, int token, int top) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (float l : logits) sum += Math.exp(l - max);
        double logZ = max + Math.log(sum);
        int[] best = new int[Math.min(top, logits.length)];
        int kept = 0;
        for (int v = 0; v < logits.length; v++) {
            if (kept == best.length && (kept == 0 || logits[v] <= logits[best[kept - 1]])) continue;
            int i = kept < best.length ? kept++ : kept - 1;
            while (i > 0 && logits[best[i - 1]] < logits[v]) {
                best[i] = best[i - 1];
                i--;
            }
            best[i] = v;
        }
        List<TokenLogprob.Alternative> alternatives = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) alternatives.add(new TokenLogprob.Alternative(best[i], floor(logits[best[i]] - logZ)));
        return new TokenLogprob(token, floor(logits[token] - logZ), alternatives);
    }

    private static double floor(double logprob) {
        return Math.max(logprob, -9999.0);
    }

    /** Moves logits by the bias and the presence and frequency penalties of the tokens generated so far. */
    private static final class LogitAdjuster {
        private final double presence;
        private final double frequency;
        private final float[] bias;
        private final int[] counts;
        private final float[] adjusted;

        LogitAdjuster(SamplingOptions o, int vocab) {
            presence = o.presencePenalty();
            frequency = o.frequencyPenalty();
            bias = new float[vocab];
            for (var e : o.logitBias().entrySet()) bias[e.getKey()] = (float) (double) e.getValue();
            counts = new int[vocab];
            adjusted = new float[vocab];
        }

        float[] apply(float[] logits) {
            for (int v = 0; v < logits.length; v++) {
                int c = counts[v];
                adjusted[v] = (float) (logits[v] + bias[v] - c * frequency - (c > 0 ? presence : 0));
            }
            return adjusted;
        }

        void generated(int token) {
            counts[token]++;
        }
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

    /**
     * Decodes bytes, watches for stop sequences and streams the text that can no longer be cut, each piece with the
     * log-probabilities of the tokens whose characters it completes.
     */
    private static final class TextStream {
        private final List<String> stops;
        private final BiConsumer<String, List<TokenLogprob>> sink;
        private final Utf8Decoder decoder = new Utf8Decoder();
        private final StringBuilder text = new StringBuilder();
        private final List<TokenLogprob> logprobs = new ArrayList<>();
        /** For each token, the text's length once the character it belongs to is complete. */
        private int[] ends = new int[64];
        private int tokens;
        private int pending;
        private int emitted;
        private int emittedTokens;
        private boolean stopped;

        TextStream(List<String> stops, BiConsumer<String, List<TokenLogprob>> sink) {
            this.stops = stops;
            this.sink = sink;
        }

        /** Adds a byte token and its log-probabilities (null when not asked for); true when a stop sequence has appeared. */
        boolean add(int token, TokenLogprob logprob) {
            if (logprob != null) logprobs.add(logprob);
            tokens++;
            String piece = decoder.accept(token);
            if (piece.isEmpty()) return false;
            append(piece);
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

        private void append(String piece) {
            text.append(piece);
            if (ends.length < tokens) ends = Arrays.copyOf(ends, Math.max(tokens, 2 * ends.length));
            for (; pending < tokens; pending++) ends[pending] = text.length();
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
            if (upTo <= emitted) return;
            int from = emittedTokens;
            while (emittedTokens < pending && ends[emittedTokens] <= upTo) emittedTokens++;
            if (sink != null) {
                List<TokenLogprob> lp = logprobs.isEmpty() ? List.of() : logprobs.subList(from, emittedTokens);
                sink.accept(text.substring(emitted, upTo), List.copyOf(lp));
            }
            emitted = upTo;
        }

        String finish() {
            if (!stopped) {
                String rest = decoder.flush();
                if (!rest.isEmpty() || pending < tokens) append(rest);
                emit(text.length());
            }
            return text.toString();
        }

        /** The log-probabilities of the tokens of the finished text. */
        List<TokenLogprob> logprobs() {
            return logprobs.isEmpty() ? List.of() : logprobs.subList(0, emittedTokens);
        }
    }
}
