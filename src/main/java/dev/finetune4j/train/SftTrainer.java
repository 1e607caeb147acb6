package dev.finetune4j.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Supervised fine-tuning of a {@link GptModel} on chat examples: AdamW (betas 0.9/0.95, eps 1e-8, weight decay 0.1
 * on matrices and embeddings only), gradient clipping at global norm 1.0, linear warm-up over the first 5% of steps
 * then linear decay. The loss is the cross-entropy of the trained (assistant) tokens, averaged over all trained
 * tokens of the batch.
 *
 * <pre>{@code
 * var hp = Hyperparameters.resolve(null, null, null, train.size());
 * var trainer = SftTrainer.create(GptModel.base("nano"), train, valid, hp, 42, 2);
 * trainer.run(new TrainingListener() {}, new TrainingControl());
 * trainer.model().save(Path.of("model.f4jw"));
 * }</pre>
 *
 * <p>Each epoch visits the examples in an order shuffled by the trainer's seeded generator. The rows of a batch are
 * split into a fixed number of shards (depending on the batch only) that accumulate gradients separately and are
 * summed in shard order, so results are bit-identical whatever the thread count. A checkpoint stores the weights,
 * AdamW moments, generator state, epoch order and data position; resuming from it continues exactly.
 *
 * <p>Checkpoint format (version 1): magic {@code "F4JC"}, int version, the config, hyperparameters, seed, training and
 * validation data fingerprints (count and 64-bit hash of tokens and masks), step, trained tokens, validation cursor,
 * generator state, epoch order, then weights and both AdamW moments as float arrays; a trailing CRC-32 of all
 * preceding bytes.
 */
public final class SftTrainer {
    /** Steps between two measurements of {@code valid_loss} on one validation batch (also measured at each epoch end). */
    public static final int VALID_EVERY = 10;

    /**
     * Whether matrix products run on the SIMD kernel, which needs the JVM started with
     * {@code --add-modules jdk.incubator.vector} (training about 1.5x as fast; the same bits either way).
     * Example: {@code SftTrainer.vectorKernel()} → {@code true} in {@code scripts/ftshell}.
     */
    public static boolean vectorKernel() {
        return Kernels.SIMD;
    }
    static final int MAGIC = 0x46344A43; // "F4JC"
    static final int VERSION = 1;
    static final int MAX_SHARDS = 8;
    private static final double BETA1 = 0.9, BETA2 = 0.95, EPS = 1e-8, WEIGHT_DECAY = 0.1, CLIP_NORM = 1.0;

    private final GptModel model;
    private final List<TokenizedExample> train;
    private final List<TokenizedExample> valid;
    /** Fingerprints of the data, written into checkpoints (computed once: the data may live in a file). */
    private final long trainHash, validHash;
    private final long tokensPerEpoch;
    private final Hyperparameters hp;
    private final long seed;
    private final int threads;
    private final int stepsPerEpoch;
    private final int totalSteps;
    private final float[][] adamM;
    private final float[][] adamV;
    private final boolean[] decays; // per tensor of the layout
    private final Rng rng;
    private int[] order;
    private int step;
    private long trainedTokens;
    private int validCursor;

    private SftTrainer(GptModel model, List<TokenizedExample> train, List<TokenizedExample> valid, Hyperparameters hp,
                       long seed, int threads, float[][] adamM, float[][] adamV, Rng rng, int[] order) {
        this(model, train, valid, fingerprint(train), fingerprint(valid), tokens(train), hp, seed, threads, adamM,
                adamV, rng, order);
    }

    private SftTrainer(GptModel model, TokenizedDataset train, TokenizedDataset valid, Hyperparameters hp, long seed,
                       int threads, float[][] adamM, float[][] adamV, Rng rng, int[] order) {
        this(model, train.asList(), valid == null ? List.of() : valid.asList(), train.fingerprint(),
                valid == null ? fingerprint(List.of()) : valid.fingerprint(), train.tokenCount(), hp, seed, threads,
                adamM, adamV, rng, order);
    }

    private SftTrainer(GptModel model, List<TokenizedExample> train, List<TokenizedExample> valid, long trainHash,
                       long validHash, long tokensPerEpoch, Hyperparameters hp, long seed, int threads,
                       float[][] adamM, float[][] adamV, Rng rng, int[] order) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.model = model;
        this.train = train;
        this.valid = valid;
        this.trainHash = trainHash;
        this.validHash = validHash;
        this.tokensPerEpoch = tokensPerEpoch;
        this.hp = hp;
        this.seed = seed;
        this.threads = threads;
        this.stepsPerEpoch = hp.stepsPerEpoch(train.size());
        this.totalSteps = stepsPerEpoch * hp.nEpochs();
        this.adamM = adamM;
        this.adamV = adamV;
        this.rng = rng;
        this.order = order;
        List<Layout.Tensor> tensors = model.layout.tensors;
        this.decays = new boolean[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) decays[i] = tensors.get(i).decays();
    }

    /**
     * A trainer starting from {@code base} (copied, not modified), e.g.
     * {@code SftTrainer.create(GptModel.base("nano"), train, List.of(), hp, 42, 2)}.
     *
     * @throws IllegalArgumentException if an example is longer than the context (the message names it, counting
     *     from 1) or no example has a trained token
     */
    public static SftTrainer create(GptModel base, List<ChatExample> train, List<ChatExample> valid,
                                    Hyperparameters hp, long seed, int threads) {
        GptModel model = base.copy();
        List<TokenizedExample> t = tokenize(train, "training", model.config());
        List<TokenizedExample> v = tokenize(valid == null ? List.of() : valid, "validation", model.config());
        if (t.isEmpty()) throw new IllegalArgumentException("the training set is empty");
        if (t.stream().allMatch(e -> e.trainedCount() == 0)) {
            throw new IllegalArgumentException("no training example has a trained assistant message");
        }
        return new SftTrainer(model, t, v, hp, seed, threads, model.layout.newRows(), model.layout.newRows(),
                new Rng(seed), null);
    }

    /**
     * A trainer over examples tokenized into files, read batch by batch: for data of any size, e.g.
     * {@code SftTrainer.create(GptModel.base("nano"), trainTokens, null, hp, 42, 2)}. The datasets must stay open
     * while the trainer runs.
     *
     * @throws IllegalArgumentException if the datasets were tokenized for another context length than the model's,
     *     or no example has a trained token
     */
    public static SftTrainer create(GptModel base, TokenizedDataset train, TokenizedDataset valid, Hyperparameters hp,
                                    long seed, int threads) {
        GptModel model = base.copy();
        checkData(train, valid, model.config());
        return new SftTrainer(model, train, valid, hp, seed, threads, model.layout.newRows(), model.layout.newRows(),
                new Rng(seed), null);
    }

    private static void checkData(TokenizedDataset train, TokenizedDataset valid, GptConfig config) {
        for (TokenizedDataset d : new TokenizedDataset[] {train, valid}) {
            if (d != null && d.contextLength() != config.contextLength()) {
                throw new IllegalArgumentException("the data were tokenized for a context of " + d.contextLength()
                        + " tokens, the model has " + config.contextLength());
            }
        }
        if (train.size() == 0) throw new IllegalArgumentException("the training set is empty");
        if (!train.anyTrained()) throw new IllegalArgumentException("no training example has a trained assistant message");
    }

    /** A trainer over already tokenized sequences (up to context + 1 tokens each), for benchmarks and tests. */
    static SftTrainer createTokenized(GptModel base, List<TokenizedExample> train, Hyperparameters hp, long seed, int threads) {
        GptModel model = base.copy();
        for (TokenizedExample e : train) {
            if (e.length() > model.config().contextLength() + 1 || e.length() < 2) {
                throw new IllegalArgumentException("sequence of " + e.length() + " tokens");
            }
        }
        return new SftTrainer(model, List.copyOf(train), List.of(), hp, seed, threads, model.layout.newRows(),
                model.layout.newRows(), new Rng(seed), null);
    }

    /**
     * Continues from a checkpoint written by {@link #saveCheckpoint}, given the same training and validation data.
     *
     * @throws CheckpointFormatException if the file is damaged or not a checkpoint
     * @throws IllegalArgumentException if the data differ from those the checkpoint was made with
     */
    public static SftTrainer resume(Path checkpoint, List<ChatExample> train, List<ChatExample> valid, int threads)
            throws IOException {
        Saved saved = BinaryFiles.read(checkpoint, MAGIC, "checkpoint", VERSION, SftTrainer::readCheckpoint);
        GptConfig config = saved.model.config();
        List<TokenizedExample> t = tokenize(train, "training", config);
        List<TokenizedExample> v = tokenize(valid == null ? List.of() : valid, "validation", config);
        checkSameData(saved, t.size(), fingerprint(t), v.size(), fingerprint(v));
        return restore(saved, new SftTrainer(saved.model, t, v, saved.hp, saved.seed, threads, saved.adamM,
                saved.adamV, saved.rng, saved.order));
    }

    /** {@link #resume(Path, List, List, int)} over examples tokenized into files (which must stay open). */
    public static SftTrainer resume(Path checkpoint, TokenizedDataset train, TokenizedDataset valid, int threads)
            throws IOException {
        Saved saved = BinaryFiles.read(checkpoint, MAGIC, "checkpoint", VERSION, SftTrainer::readCheckpoint);
        checkData(train, valid, saved.model.config());
        checkSameData(saved, train.size(), train.fingerprint(), valid == null ? 0 : valid.size(),
                valid == null ? fingerprint(List.of()) : valid.fingerprint());
        return restore(saved, new SftTrainer(saved.model, train, valid, saved.hp, saved.seed, threads, saved.adamM,
                saved.adamV, saved.rng, saved.order));
    }

    private static void checkSameData(Saved saved, int trainCount, long trainHash, int validCount, long validHash) {
        if (trainCount != saved.trainCount || trainHash != saved.trainHash) {
            throw new IllegalArgumentException("the checkpoint was made with different training data ("
                    + saved.trainCount + " examples)");
        }
        if (validCount != saved.validCount || validHash != saved.validHash) {
            throw new IllegalArgumentException("the checkpoint was made with different validation data ("
                    + saved.validCount + " examples)");
        }
        if (saved.order != null && saved.order.length != trainCount) {
            throw new IllegalArgumentException("the checkpoint's epoch order has " + saved.order.length + " examples");
        }
    }

    private static SftTrainer restore(Saved saved, SftTrainer trainer) {
        if (saved.step < 0 || saved.step > trainer.totalSteps) {
            throw new IllegalArgumentException("the checkpoint's step " + saved.step + " is outside 0.." + trainer.totalSteps);
        }
        trainer.step = saved.step;
        trainer.trainedTokens = saved.trainedTokens;
        trainer.validCursor = saved.validCursor;
        return trainer;
    }

    /** The contents of a checkpoint file, checked against the data only once the checksum has been verified. */
    private record Saved(GptModel model, Hyperparameters hp, long seed, int trainCount, long trainHash, int validCount,
                         long validHash, int step, long trainedTokens, int validCursor, Rng rng, int[] order,
                         float[][] adamM, float[][] adamV) {}

    private static Saved readCheckpoint(DataInputStream in, int version) throws IOException {
        GptConfig config = BinaryFiles.readConfig(in);
        Hyperparameters hp = new Hyperparameters(in.readInt(), in.readInt(), in.readDouble());
        long seed = in.readLong();
        int trainCount = in.readInt();
        long trainHash = in.readLong();
        int validCount = in.readInt();
        long validHash = in.readLong();
        int step = in.readInt();
        long trainedTokens = in.readLong();
        int validCursor = in.readInt();
        Rng rng = new Rng(0);
        rng.restore(in.readLong(), in.readDouble());
        int orderLength = in.readInt();
        if (orderLength < 0 || orderLength > trainCount) throw new IllegalArgumentException("epoch order of " + orderLength);
        int[] order = null;
        if (orderLength > 0) {
            order = new int[orderLength];
            for (int i = 0; i < orderLength; i++) order[i] = in.readInt();
        }
        Layout layout = new Layout(config);
        float[][] params = layout.newRows();
        float[][] m = layout.newRows();
        float[][] v = layout.newRows();
        BinaryFiles.readRows(in, params);
        BinaryFiles.readRows(in, m);
        BinaryFiles.readRows(in, v);
        return new Saved(new GptModel(config, params), hp, seed, trainCount, trainHash, validCount, validHash, step,
                trainedTokens, validCursor, rng, order, m, v);
    }

    /** Writes the full training state; call between steps (from a listener, or after {@link #run} returned). */
    public void saveCheckpoint(Path path) throws IOException {
        BinaryFiles.write(path, MAGIC, VERSION, this::writeCheckpoint);
    }

    private void writeCheckpoint(DataOutputStream out) throws IOException {
        BinaryFiles.writeConfig(out, model.config());
        out.writeInt(hp.nEpochs());
        out.writeInt(hp.batchSize());
        out.writeDouble(hp.learningRateMultiplier());
        out.writeLong(seed);
        out.writeInt(train.size());
        out.writeLong(trainHash);
        out.writeInt(valid.size());
        out.writeLong(validHash);
        out.writeInt(step);
        out.writeLong(trainedTokens);
        out.writeInt(validCursor);
        out.writeLong(rng.state());
        out.writeDouble(rng.spare());
        out.writeInt(order == null ? 0 : order.length);
        if (order != null) for (int i : order) out.writeInt(i);
        BinaryFiles.writeRows(out, model.rows);
        BinaryFiles.writeRows(out, adamM);
        BinaryFiles.writeRows(out, adamV);
    }

    /**
     * Trains until all steps are done or {@code control} asks to stop, checked before every step. Can be called again
     * after a pause to continue in the same process.
     */
    public TrainingOutcome run(TrainingListener listener, TrainingControl control) throws IOException {
        try (WorkerPool pool = new WorkerPool(threads);
             Buffers buffers = new Buffers(model.layout, threads)) {
            while (step < totalSteps) {
                if (control.isCancelRequested()) return TrainingOutcome.CANCELLED;
                if (control.isPauseRequested()) return TrainingOutcome.PAUSED;
                TrainingMetrics metrics = trainStep(pool, buffers);
                listener.onStep(metrics);
                if (step % stepsPerEpoch == 0) listener.onEpochEnd(new EpochCheckpoint(this, metrics));
            }
            return TrainingOutcome.COMPLETED;
        }
    }

    /** Scratch memory of one {@link #run}: a workspace per thread, a gradient buffer per shard. */
    private static final class Buffers implements AutoCloseable {
        final Layout layout;
        final Workspace[] workspaces;
        final float[][][] shardGrads;

        Buffers(Layout layout, int threads) {
            this.layout = layout;
            workspaces = new Workspace[threads];
            for (int i = 0; i < threads; i++) workspaces[i] = new Workspace(layout.config);
            shardGrads = new float[MAX_SHARDS][][];
        }

        /** Gradient rows of shard {@code s}, allocated on first use (shards run on different threads). */
        float[][] shard(int s) {
            if (shardGrads[s] == null) shardGrads[s] = layout.newRows();
            return shardGrads[s];
        }

        @Override
        public void close() {}
    }

    private TrainingMetrics trainStep(WorkerPool pool, Buffers buf) {
        int inEpoch = step % stepsPerEpoch;
        if (inEpoch == 0) {
            order = new int[train.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            rng.shuffle(order);
        }
        int from = inEpoch * hp.batchSize();
        int rows = Math.min(hp.batchSize(), train.size() - from);
        TokenizedExample[] batch = new TokenizedExample[rows];
        long masked = 0;
        for (int r = 0; r < rows; r++) {
            batch[r] = train.get(order[from + r]);
            masked += batch[r].trainedCount();
            trainedTokens += batch[r].length();
        }
        float gradScale = masked == 0 ? 0f : (float) (1.0 / masked);
        int shards = Math.min(rows, MAX_SHARDS);
        double[] rowLoss = new double[rows];
        double[] rowCorrect = new double[rows];
        pool.run(shards, (s, worker) -> {
            float[][] g = buf.shard(s); // zero: the reduction below and the optimizer step clear what they consume
            Workspace ws = buf.workspaces[worker];
            for (int r = s; r < rows; r += shards) {
                double[] res = forwardBackward(batch[r], ws, gradScale, g);
                rowLoss[r] = res[0];
                rowCorrect[r] = res[1];
            }
        });
        float[][] grad = buf.shardGrads[0];
        int chunks = 16;
        int chunk = (grad.length + chunks - 1) / chunks;
        double[] chunkNorm2 = new double[chunks];
        pool.run(chunks, (c, worker) -> {
            int lo = c * chunk, hi = Math.min(grad.length, lo + chunk);
            for (int s = 1; s < shards; s++) {
                float[][] gs = buf.shardGrads[s];
                for (int i = lo; i < hi; i++) {
                    Kernels.add(grad[i], gs[i], grad[i].length);
                    Arrays.fill(gs[i], 0f);
                }
            }
            double norm2 = 0;
            for (int i = lo; i < hi; i++) {
                for (float g : grad[i]) norm2 += (double) g * g;
            }
            chunkNorm2[c] = norm2;
        });
        double gradNorm2 = 0;
        for (double n2 : chunkNorm2) gradNorm2 += n2;
        double lossSum = 0, correct = 0;
        for (int r = 0; r < rows; r++) {
            lossSum += rowLoss[r];
            correct += rowCorrect[r];
        }
        step++;
        adamStep(pool, grad, Math.sqrt(gradNorm2), learningRate(step));
        double trainLoss = masked == 0 ? 0 : lossSum / masked;
        double trainAcc = masked == 0 ? 0 : correct / masked;

        boolean epochEnd = step % stepsPerEpoch == 0;
        Double validLoss = null, validAcc = null, fullLoss = null, fullAcc = null;
        if (!valid.isEmpty() && (step % VALID_EVERY == 0 || step == 1 || epochEnd)) {
            int n = Math.min(hp.batchSize(), valid.size());
            List<TokenizedExample> vb = new ArrayList<>(n);
            for (int i = 0; i < n; i++) vb.add(valid.get((validCursor + i) % valid.size()));
            validCursor = (validCursor + n) % valid.size();
            double[] e = evaluate(pool, buf, vb);
            validLoss = e[0];
            validAcc = e[1];
        }
        if (!valid.isEmpty() && epochEnd) {
            double[] e = evaluate(pool, buf, valid);
            fullLoss = e[0];
            fullAcc = e[1];
        }
        int epoch = (step - 1) / stepsPerEpoch + 1;
        return new TrainingMetrics(step, totalSteps, epoch, trainLoss, trainAcc, validLoss, validAcc, fullLoss, fullAcc,
                trainedTokens);
    }

    /** Mean loss and accuracy over the trained tokens of {@code examples}, without gradients. */
    private double[] evaluate(WorkerPool pool, Buffers buf, List<TokenizedExample> examples) {
        int n = examples.size();
        double[] loss = new double[n];
        double[] correct = new double[n];
        pool.run(n, (i, worker) -> {
            double[] r = forwardBackward(examples.get(i), buf.workspaces[worker], 1f, null);
            loss[i] = r[0];
            correct[i] = r[1];
        });
        double l = 0, c = 0;
        long masked = 0;
        for (int i = 0; i < n; i++) {
            l += loss[i];
            c += correct[i];
            masked += examples.get(i).trainedCount();
        }
        return masked == 0 ? new double[] {0, 0} : new double[] {l / masked, c / masked};
    }

    /** Loss sum and correct count of one example; adds its gradients (times {@code gradScale}) into {@code grad} if non-null. */
    private double[] forwardBackward(TokenizedExample ex, Workspace ws, float gradScale, float[][] grad) {
        int T = ex.length() - 1;
        int[] tokens = ex.tokens();
        boolean[] trained = ex.trained();
        int nHead = 0;
        int[] targets = new int[T];
        for (int t = 0; t < T; t++) {
            if (trained[t + 1]) {
                ws.headPos[nHead] = t;
                targets[nHead++] = tokens[t + 1];
            }
        }
        if (nHead == 0) return new double[] {0, 0};
        // positions after the last trained target cannot change the loss
        int used = ws.headPos[nHead - 1] + 1;
        Transformer.forward(model, ws, tokens, used, nHead);
        double[] res = Transformer.crossEntropy(ws, nHead, targets, gradScale);
        if (grad != null) Transformer.backward(model, ws, tokens, used, nHead, grad);
        return res;
    }

    private double learningRate(int step) {
        int warmup = Math.max(1, (int) Math.round(totalSteps * 0.05));
        double peak = hp.peakLearningRate();
        if (step <= warmup) return peak * step / warmup;
        return peak * (totalSteps - step + 1) / (double) (totalSteps - warmup + 1);
    }

    private void adamStep(WorkerPool pool, float[][] grad, double norm, double lr) {
        float clip = norm > CLIP_NORM ? (float) (CLIP_NORM / (norm + 1e-6)) : 1f;
        double bc1 = 1 - Math.pow(BETA1, step), bc2 = 1 - Math.pow(BETA2, step);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float b1 = (float) BETA1, b2 = (float) BETA2, eps = (float) EPS;
        float[][] p = model.rows;
        List<Layout.Tensor> tensors = model.layout.tensors;
        pool.run(tensors.size(), (ti, worker) -> {
            Layout.Tensor t = tensors.get(ti);
            float decay = decays[ti] ? (float) (1 - lr * WEIGHT_DECAY) : 1f;
            for (int r = t.row(); r < t.row() + t.rows(); r++) {
                float[] pr = p[r], gr = grad[r], mr = adamM[r], vr = adamV[r];
                for (int i = 0; i < pr.length; i++) {
                    float g = gr[i] * clip;
                    gr[i] = 0f;
                    float m = mr[i] = b1 * mr[i] + (1 - b1) * g;
                    float v = vr[i] = b2 * vr[i] + (1 - b2) * g * g;
                    pr[i] = pr[i] * decay - stepSize * m / ((float) Math.sqrt(v) / bc2Sqrt + eps);
                }
            }
            model.layout.transposeTensor(ti, p, model.transposedRows); // the copy the next step reads
        });
    }

    private static List<TokenizedExample> tokenize(List<ChatExample> examples, String kind, GptConfig config) {
        List<TokenizedExample> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) out.add(encode(examples.get(i), i + 1, kind, config));
        return out;
    }

    /** Example {@code number} (from 1) as tokens; refused, naming it, when longer than the context of {@code config}. */
    static TokenizedExample encode(ChatExample ex, int number, String kind, GptConfig config) {
        int n = ChatTemplate.tokenCount(ex);
        if (n > config.contextLength()) {
            throw new IllegalArgumentException(kind + " example " + number + " has " + n
                    + " tokens, more than the context length " + config.contextLength() + " of " + config.name());
        }
        return ChatTemplate.encode(ex);
    }

    /** FNV-1a over lengths, tokens and masks: the fingerprint checkpoints keep of their data. */
    static long fingerprint(List<TokenizedExample> examples) {
        long h = FNV_OFFSET;
        for (TokenizedExample e : examples) h = fingerprint(h, e);
        return h;
    }

    static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** {@code h} continued over one more example. */
    static long fingerprint(long h, TokenizedExample e) {
        h = (h ^ e.length()) * FNV_PRIME;
        for (int i = 0; i < e.length(); i++) h = (h ^ (e.tokens()[i] * 2 + (e.trained()[i] ? 1 : 0))) * FNV_PRIME;
        return h;
    }

    /** The model being trained (its weights change as training runs). */
    public GptModel model() {
        return model;
    }

    /** Steps done so far. */
    public int step() {
        return step;
    }

    /** Steps of the whole run: {@code nEpochs * ceil(examples / batchSize)}. */
    public int totalSteps() {
        return totalSteps;
    }

    /** Optimizer steps per epoch. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** The resolved hyperparameters. */
    public Hyperparameters hyperparameters() {
        return hp;
    }

    /** Tokens of all training examples, once: {@code nEpochs} times this is what a full run trains on. */
    public long trainingTokensPerEpoch() {
        return tokensPerEpoch;
    }

    private static long tokens(List<TokenizedExample> examples) {
        long n = 0;
        for (TokenizedExample e : examples) n += e.length();
        return n;
    }

    /** Tokens of the training examples processed so far. */
    public long trainedTokens() {
        return trainedTokens;
    }
}
