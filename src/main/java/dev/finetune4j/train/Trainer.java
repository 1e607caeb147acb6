package dev.finetune4j.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fine-tuning of a {@link GptModel}: supervised on chat examples, by preference (DPO) on pairs of answers, or by
 * reinforcement on rewarded samples. AdamW (betas 0.9/0.95, eps 1e-8, weight decay 0.1
 * on matrices and embeddings only), gradient clipping at global norm 1.0, linear warm-up over the first 5% of steps
 * then linear decay. The supervised loss is the cross-entropy of the trained (assistant) tokens, averaged over all
 * trained tokens of the batch.
 *
 * <p>The preference loss is DPO's (Rafailov et al., 2023), averaged over the pairs of the batch:
 * {@code -log sigmoid(beta * ((log p(preferred) - log p_ref(preferred)) - (log p(other) - log p_ref(other))))}, where
 * {@code log p} sums over the answer's tokens and {@code p_ref} is the model before training, measured once when the
 * trainer is created (and kept in checkpoints). A pair is stored as two sequences, its preferred conversation then
 * the other, so that datasets, fingerprints and checkpoints work alike for both methods.
 *
 * <p>Reinforcement fine-tuning samples several answers to each prompt of the batch (4 by default, see
 * {@link ReinforcementOptions}; temperature 1, at most {@value #MAX_ANSWER_TOKENS} tokens), scores them with a
 * {@link RewardFunction}, and follows the policy gradient with each answer's reward less the mean reward of its
 * prompt's answers, divided by their standard deviation, as its advantage (GRPO's group-relative advantage; 0 for all
 * the answers of a prompt that all score the same). The division makes training the same whatever the grader's unit:
 * the KL penalty's weight would otherwise mean a different strength for every grader. The loss of an
 * answer is {@code -advantage * log p(answer)} plus, for each of its tokens, {@code klCoefficient} times the estimate
 * {@code r - log r - 1} of the divergence from the starting model, with {@code r = p_ref(token) / p(token)} (GRPO's
 * penalty, Shao et al., 2024); the losses are averaged over the answers of the batch. The penalty keeps the model near
 * what it knew on prompts whose answers all score the same, which carry no reward signal. A prompt is stored as its
 * messages, untrained; its answers open an assistant message. Sampling is seeded by the trainer's seed, the step and
 * the answer's place, so runs stay exact and resumable.
 *
 * <pre>{@code
 * var hp = Hyperparameters.resolve(null, null, null, train.size());
 * var trainer = Trainer.create(GptModel.base("nano"), train, valid, hp, 42, 2);
 * trainer.run(new TrainingListener() {}, new TrainingControl());
 * trainer.model().save(Path.of("model.f4jw"));
 * // preference: Trainer.createPreference(GptModel.base("nano"), pairs, List.of(), hp, 0.1, 42, 2)
 * }</pre>
 *
 * <p>Each epoch visits the examples in an order shuffled by the trainer's seeded generator. The rows of a batch are
 * split into a fixed number of shards (depending on the batch only) that accumulate gradients separately and are
 * summed in shard order, so results are bit-identical whatever the thread count. A checkpoint stores the weights,
 * AdamW moments, generator state, epoch order and data position; resuming from it continues exactly.
 *
 * <p>Checkpoint format (version 1): magic {@code "F4JC"}, int version, the config, hyperparameters, seed, training and
 * validation data fingerprints (count and 64-bit hash of tokens and masks), step, trained tokens, validation cursor,
 * generator state, epoch order, then weights and both AdamW moments as float arrays; version 2 adds DPO's beta (0
 * but for preference training), whether it is reinforcement fine-tuning (then its options) and, for preference
 * training, the reference
 * log-probabilities of every training and validation sequence; version 3 adds, for reinforcement fine-tuning, the KL
 * coefficient and (when it is not 0) the starting model's weights; a trailing CRC-32 of all preceding bytes.
 */
public final class Trainer {
    /** Steps between two measurements of {@code valid_loss} on one validation batch (also measured at each epoch end). */
    public static final int VALID_EVERY = 10;
    /** Longest sampled answer in reinforcement fine-tuning, in tokens. */
    public static final int MAX_ANSWER_TOKENS = 64;

    /**
     * Whether matrix products run on the SIMD kernel, which needs the JVM started with
     * {@code --add-modules jdk.incubator.vector} (training about 1.5x as fast; the same bits either way).
     * Example: {@code Trainer.vectorKernel()} → {@code true} in {@code scripts/ftshell}.
     */
    public static boolean vectorKernel() {
        return Kernels.SIMD;
    }
    /** DPO's beta when a job leaves it to {@code auto}, e.g. {@code Trainer.createPreference(base, pairs, valid, hp, Trainer.DEFAULT_BETA, 42, 2)}. */
    public static final double DEFAULT_BETA = 0.1;
    static final int MAGIC = 0x46344A43; // "F4JC"
    static final int VERSION = 3;
    static final int MAX_SHARDS = 8;
    private static final double BETA1 = 0.9, BETA2 = 0.95, EPS = 1e-8, WEIGHT_DECAY = 0.1, CLIP_NORM = 1.0;

    private final GptModel model;
    private final List<TokenizedExample> train;
    private final List<TokenizedExample> valid;
    /** Fingerprints of the data, written into checkpoints (computed once: the data may live in a file). */
    private final long trainHash, validHash;
    private final long tokensPerEpoch;
    private final Hyperparameters hp;
    /** DPO's beta; 0 for supervised and reinforcement training. */
    private final double beta;
    /** Whether this is reinforcement fine-tuning: the examples are prompts, scored by the reward functions. */
    private final boolean reinforcement;
    /** How a reinforcement run samples and evaluates (set with {@link #reinforcement}, kept in checkpoints). */
    private ReinforcementOptions options = ReinforcementOptions.DEFAULT;
    private RewardFunction trainRewards, validRewards;
    /** The starting model of a reinforcement run with a KL penalty (kept in checkpoints), else null. */
    private GptModel reference;
    /** Log-probabilities of each sequence's trained tokens under the initial model (preference training only). */
    private double[] trainRef, validRef;
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
    private volatile TrainingControl control = new TrainingControl(); // of the current run, read by worker threads

    private Trainer(GptModel model, List<TokenizedExample> train, List<TokenizedExample> valid, Hyperparameters hp,
                    double beta, boolean reinforcement, long seed, int threads, float[][] adamM, float[][] adamV,
                    Rng rng, int[] order) {
        this(model, train, valid, fingerprint(train), fingerprint(valid), tokens(train), hp, beta, reinforcement, seed,
                threads, adamM, adamV, rng, order);
    }

    private Trainer(GptModel model, TokenizedDataset train, TokenizedDataset valid, Hyperparameters hp, double beta,
                    boolean reinforcement, long seed, int threads, float[][] adamM, float[][] adamV, Rng rng,
                    int[] order) {
        this(model, train.asList(), valid == null ? List.of() : valid.asList(), train.fingerprint(),
                valid == null ? fingerprint(List.of()) : valid.fingerprint(), train.tokenCount(), hp, beta,
                reinforcement, seed, threads, adamM, adamV, rng, order);
    }

    private Trainer(GptModel model, List<TokenizedExample> train, List<TokenizedExample> valid, long trainHash,
                    long validHash, long tokensPerEpoch, Hyperparameters hp, double beta, boolean reinforcement,
                    long seed, int threads, float[][] adamM, float[][] adamV, Rng rng, int[] order) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        if (!(beta >= 0) || beta > 2) throw new IllegalArgumentException("beta must be in (0, 2], got " + beta);
        if (beta > 0 && (train.size() % 2 != 0 || valid.size() % 2 != 0)) {
            throw new IllegalArgumentException("preference data hold pairs: an even number of sequences");
        }
        this.model = model;
        this.train = train;
        this.valid = valid;
        this.trainHash = trainHash;
        this.validHash = validHash;
        this.tokensPerEpoch = tokensPerEpoch;
        this.hp = hp;
        this.beta = beta;
        this.reinforcement = reinforcement;
        this.seed = seed;
        this.threads = threads;
        this.stepsPerEpoch = hp.stepsPerEpoch(beta > 0 ? train.size() / 2 : train.size());
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
     * {@code Trainer.create(GptModel.base("nano"), train, List.of(), hp, 42, 2)}.
     *
     * @throws IllegalArgumentException if an example is longer than the context (the message names it, counting
     *     from 1) or no example has a trained token
     */
    public static Trainer create(GptModel base, List<ChatExample> train, List<ChatExample> valid,
                                 Hyperparameters hp, long seed, int threads) {
        GptModel model = base.copy();
        List<TokenizedExample> t = tokenize(train, "training", model.config());
        List<TokenizedExample> v = tokenize(valid == null ? List.of() : valid, "validation", model.config());
        if (t.isEmpty()) throw new IllegalArgumentException("the training set is empty");
        if (t.stream().allMatch(e -> e.trainedCount() == 0)) {
            throw new IllegalArgumentException("no training example has a trained assistant message");
        }
        return new Trainer(model, t, v, hp, 0, false, seed, threads, model.layout.newRows(),
                model.layout.newRows(), new Rng(seed), null);
    }

    /**
     * A preference (DPO) trainer starting from {@code base} (copied, not modified), e.g.
     * {@code Trainer.createPreference(GptModel.base("nano"), pairs, List.of(), hp, 0.1, 42, 2)}; {@code hp} counts
     * pairs as examples. Measures the reference log-probabilities with {@code base} first.
     *
     * @throws IllegalArgumentException if a conversation is longer than the context, or beta is not in (0, 2]
     */
    public static Trainer createPreference(GptModel base, List<PreferencePair> train, List<PreferencePair> valid,
                                           Hyperparameters hp, double beta, long seed, int threads) {
        if (!(beta > 0)) throw new IllegalArgumentException("beta must be in (0, 2], got " + beta);
        if (train.isEmpty()) throw new IllegalArgumentException("the training set is empty");
        GptModel model = base.copy();
        List<TokenizedExample> t = tokenize(PreferencePair.interleaved(train), "training", model.config());
        List<TokenizedExample> v = tokenize(PreferencePair.interleaved(valid == null ? List.of() : valid), "validation",
                model.config());
        return new Trainer(model, t, v, hp, beta, false, seed, threads, model.layout.newRows(),
                model.layout.newRows(), new Rng(seed), null).measureReference();
    }

    /**
     * {@link #createPreference(GptModel, List, List, Hyperparameters, double, long, int)} over pairs tokenized into
     * files, each pair as its {@linkplain PreferencePair#chosen() chosen} then its
     * {@linkplain PreferencePair#rejected() rejected} conversation (see {@link PreferencePair#interleaved}).
     */
    public static Trainer createPreference(GptModel base, TokenizedDataset train, TokenizedDataset valid,
                                           Hyperparameters hp, double beta, long seed, int threads) {
        if (!(beta > 0)) throw new IllegalArgumentException("beta must be in (0, 2], got " + beta);
        GptModel model = base.copy();
        checkData(train, valid, model.config(), false);
        return new Trainer(model, train, valid, hp, beta, false, seed, threads, model.layout.newRows(),
                model.layout.newRows(), new Rng(seed), null).measureReference();
    }

    /**
     * A reinforcement trainer starting from {@code base} (copied, not modified): each prompt's answers are sampled
     * and scored by the reward function of its set, e.g.
     * {@code Trainer.createReinforcement(GptModel.base("nano"), prompts, rewards, List.of(), null, hp,
     * ReinforcementOptions.DEFAULT, 42, 2)}.
     *
     * @throws IllegalArgumentException if a prompt leaves no room for an answer in the context
     */
    public static Trainer createReinforcement(GptModel base, List<List<ChatMessage>> train, RewardFunction trainRewards,
                                              List<List<ChatMessage>> valid, RewardFunction validRewards,
                                              Hyperparameters hp, ReinforcementOptions options, long seed,
                                              int threads) {
        if (train.isEmpty()) throw new IllegalArgumentException("the training set is empty");
        GptModel model = base.copy();
        List<TokenizedExample> t = tokenize(prompts(train), "training", model.config());
        List<TokenizedExample> v = tokenize(prompts(valid == null ? List.of() : valid), "validation", model.config());
        return new Trainer(model, t, v, hp, 0, true, seed, threads, model.layout.newRows(), model.layout.newRows(),
                new Rng(seed), null).withOptions(options).rewards(trainRewards, validRewards).checkPrompts();
    }

    /**
     * {@link #createReinforcement(GptModel, List, RewardFunction, List, RewardFunction, Hyperparameters,
     * ReinforcementOptions, long, int)} over prompts tokenized into files, each prompt as an example of its messages
     * (none trained).
     */
    public static Trainer createReinforcement(GptModel base, TokenizedDataset train, RewardFunction trainRewards,
                                              TokenizedDataset valid, RewardFunction validRewards, Hyperparameters hp,
                                              ReinforcementOptions options, long seed, int threads) {
        GptModel model = base.copy();
        checkData(train, valid, model.config(), true);
        return new Trainer(model, train, valid, hp, 0, true, seed, threads, model.layout.newRows(),
                model.layout.newRows(), new Rng(seed), null).withOptions(options).rewards(trainRewards, validRewards)
                .checkPrompts();
    }

    private static List<ChatExample> prompts(List<List<ChatMessage>> prompts) {
        List<ChatExample> out = new ArrayList<>(prompts.size());
        for (List<ChatMessage> p : prompts) {
            out.add(new ChatExample(p.stream().map(m -> new ChatMessage(m.role(), m.content(), false)).toList()));
        }
        return out;
    }

    /**
     * Sets the reward functions of a reinforcement trainer, which a checkpoint cannot hold: call it after
     * {@link #resume}, e.g. {@code Trainer.resume(cp, train, valid, 2).rewards(trainRewards, validRewards)}.
     * {@code valid} may be null without validation prompts.
     */
    public Trainer rewards(RewardFunction train, RewardFunction valid) {
        if (!reinforcement) throw new IllegalStateException("rewards are for reinforcement fine-tuning");
        if (train == null || (valid == null && !this.valid.isEmpty())) {
            throw new IllegalArgumentException("a reward function is needed for each set of prompts");
        }
        this.trainRewards = train;
        this.validRewards = valid;
        return this;
    }

    private Trainer withOptions(ReinforcementOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.reference = options.klCoefficient() > 0 ? model.copy() : null;
        return this;
    }

    private Trainer checkPrompts() {
        for (List<TokenizedExample> set : List.of(train, valid)) {
            for (int i = 0; i < set.size(); i++) {
                if (set.get(i).length() + ASSISTANT_HEADER.length >= model.config().contextLength()) {
                    throw new IllegalArgumentException((set == train ? "training" : "validation") + " prompt " + (i + 1)
                            + " leaves no room for an answer in the context of " + model.config().name());
                }
            }
        }
        return this;
    }

    /** Reference log-probabilities of every sequence under the model as it is now (before training). */
    private Trainer measureReference() {
        try (WorkerPool pool = new WorkerPool(threads); Buffers buf = new Buffers(model.layout, threads, false)) {
            trainRef = logProbs(pool, buf, train);
            validRef = logProbs(pool, buf, valid);
        }
        return this;
    }

    private double[] logProbs(WorkerPool pool, Buffers buf, List<TokenizedExample> sequences) {
        double[] out = new double[sequences.size()];
        pool.run(out.length, (i, worker) -> out[i] = -forward(sequences.get(i), buf.workspaces[worker], 1f).loss);
        return out;
    }

    /**
     * A trainer over examples tokenized into files, read batch by batch: for data of any size, e.g.
     * {@code Trainer.create(GptModel.base("nano"), trainTokens, null, hp, 42, 2)}. The datasets must stay open
     * while the trainer runs.
     *
     * @throws IllegalArgumentException if the datasets were tokenized for another context length than the model's,
     *     or no example has a trained token
     */
    public static Trainer create(GptModel base, TokenizedDataset train, TokenizedDataset valid, Hyperparameters hp,
                                 long seed, int threads) {
        GptModel model = base.copy();
        checkData(train, valid, model.config(), false);
        return new Trainer(model, train, valid, hp, 0, false, seed, threads, model.layout.newRows(),
                model.layout.newRows(), new Rng(seed), null);
    }

    /** Checks datasets against the model's context; {@code prompts}: reinforcement prompts, which train no token. */
    private static void checkData(TokenizedDataset train, TokenizedDataset valid, GptConfig config, boolean prompts) {
        for (TokenizedDataset d : new TokenizedDataset[] {train, valid}) {
            if (d != null && d.contextLength() != config.contextLength()) {
                throw new IllegalArgumentException("the data were tokenized for a context of " + d.contextLength()
                        + " tokens, the model has " + config.contextLength());
            }
        }
        if (train.size() == 0) throw new IllegalArgumentException("the training set is empty");
        if (!prompts && !train.anyTrained()) {
            throw new IllegalArgumentException("no training example has a trained assistant message");
        }
    }

    /** A trainer over already tokenized sequences (up to context + 1 tokens each), for benchmarks and tests. */
    static Trainer createTokenized(GptModel base, List<TokenizedExample> train, Hyperparameters hp, long seed, int threads) {
        GptModel model = base.copy();
        for (TokenizedExample e : train) {
            if (e.length() > model.config().contextLength() + 1 || e.length() < 2) {
                throw new IllegalArgumentException("sequence of " + e.length() + " tokens");
            }
        }
        return new Trainer(model, List.copyOf(train), List.of(), hp, 0, false, seed, threads, model.layout.newRows(),
                model.layout.newRows(), new Rng(seed), null);
    }

    /**
     * Continues from a checkpoint written by {@link #saveCheckpoint}, given the same training and validation data.
     *
     * @throws CheckpointFormatException if the file is damaged or not a checkpoint
     * @throws IllegalArgumentException if the data differ from those the checkpoint was made with
     */
    public static Trainer resume(Path checkpoint, List<ChatExample> train, List<ChatExample> valid, int threads)
            throws IOException {
        Saved saved = BinaryFiles.read(checkpoint, MAGIC, "checkpoint", VERSION, Trainer::readCheckpoint);
        GptConfig config = saved.model.config();
        List<TokenizedExample> t = tokenize(train, "training", config);
        List<TokenizedExample> v = tokenize(valid == null ? List.of() : valid, "validation", config);
        checkSameData(saved, t.size(), fingerprint(t), v.size(), fingerprint(v));
        return restore(saved, new Trainer(saved.model, t, v, saved.hp, saved.beta, saved.reinforcement, saved.seed,
                threads, saved.adamM, saved.adamV, saved.rng, saved.order));
    }

    /** {@link #resume(Path, List, List, int)} over examples tokenized into files (which must stay open). */
    public static Trainer resume(Path checkpoint, TokenizedDataset train, TokenizedDataset valid, int threads)
            throws IOException {
        Saved saved = BinaryFiles.read(checkpoint, MAGIC, "checkpoint", VERSION, Trainer::readCheckpoint);
        checkData(train, valid, saved.model.config(), saved.reinforcement);
        checkSameData(saved, train.size(), train.fingerprint(), valid == null ? 0 : valid.size(),
                valid == null ? fingerprint(List.of()) : valid.fingerprint());
        return restore(saved, new Trainer(saved.model, train, valid, saved.hp, saved.beta, saved.reinforcement,
                saved.seed, threads, saved.adamM, saved.adamV, saved.rng, saved.order));
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
        if (saved.order != null && saved.order.length != (saved.beta > 0 ? trainCount / 2 : trainCount)) {
            throw new IllegalArgumentException("the checkpoint's epoch order has " + saved.order.length + " examples");
        }
    }

    private static Trainer restore(Saved saved, Trainer trainer) {
        if (saved.step < 0 || saved.step > trainer.totalSteps) {
            throw new IllegalArgumentException("the checkpoint's step " + saved.step + " is outside 0.." + trainer.totalSteps);
        }
        if (saved.beta > 0
                && (saved.trainRef.length != trainer.train.size() || saved.validRef.length != trainer.valid.size())) {
            throw new IllegalArgumentException("the checkpoint's reference log-probabilities do not match the data");
        }
        trainer.options = saved.options;
        trainer.reference = saved.reference;
        trainer.trainRef = saved.trainRef;
        trainer.validRef = saved.validRef;
        trainer.step = saved.step;
        trainer.trainedTokens = saved.trainedTokens;
        trainer.validCursor = saved.validCursor;
        return trainer;
    }

    /** The contents of a checkpoint file, checked against the data only once the checksum has been verified. */
    private record Saved(GptModel model, Hyperparameters hp, long seed, int trainCount, long trainHash, int validCount,
                         long validHash, int step, long trainedTokens, int validCursor, Rng rng, int[] order,
                         float[][] adamM, float[][] adamV, double beta, boolean reinforcement,
                         ReinforcementOptions options, GptModel reference, double[] trainRef, double[] validRef) {}

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
        double beta = version >= 2 ? in.readDouble() : 0;
        if (!(beta >= 0) || beta > 2) throw new IllegalArgumentException("beta of " + beta);
        boolean reinforcement = version >= 2 && in.readBoolean();
        ReinforcementOptions options = ReinforcementOptions.DEFAULT;
        GptModel reference = null;
        if (reinforcement) {
            int samples = in.readInt(), evalInterval = in.readInt(), evalSamples = in.readInt();
            // version 2 runs had no penalty, and go on without it
            options = new ReinforcementOptions(samples, version >= 3 ? in.readDouble() : 0, evalInterval, evalSamples);
            if (options.klCoefficient() > 0) {
                float[][] ref = layout.newRows();
                BinaryFiles.readRows(in, ref);
                reference = new GptModel(config, ref);
            }
        }
        double[] trainRef = beta > 0 ? readDoubles(in, trainCount) : null;
        double[] validRef = beta > 0 ? readDoubles(in, validCount) : null;
        return new Saved(new GptModel(config, params), hp, seed, trainCount, trainHash, validCount, validHash, step,
                trainedTokens, validCursor, rng, order, m, v, beta, reinforcement, options, reference, trainRef,
                validRef);
    }

    private static double[] readDoubles(DataInputStream in, int expected) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new IllegalArgumentException(n + " reference log-probabilities for " + expected + " sequences");
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = in.readDouble();
        return out;
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
        out.writeDouble(beta);
        out.writeBoolean(reinforcement);
        if (reinforcement) {
            out.writeInt(options.samplesPerPrompt());
            out.writeInt(options.evalInterval());
            out.writeInt(options.evalSamples());
            out.writeDouble(options.klCoefficient());
            if (reference != null) BinaryFiles.writeRows(out, reference.rows);
        }
        if (beta > 0) {
            for (double[] ref : new double[][] {trainRef, validRef}) {
                out.writeInt(ref.length);
                for (double d : ref) out.writeDouble(d);
            }
        }
    }

    /**
     * Trains until all steps are done or {@code control} asks to stop, checked before every step and, in
     * reinforcement fine-tuning, before every answer is sampled and graded: a grader may take minutes, so a stop
     * request drops the step under way (it is trained again after a pause) instead of waiting for its grades. Can be
     * called again after a pause to continue in the same process.
     */
    public TrainingOutcome run(TrainingListener listener, TrainingControl control) throws IOException {
        if (reinforcement && trainRewards == null) {
            throw new IllegalStateException("a reinforcement trainer needs its reward functions: call rewards(...)");
        }
        this.control = control;
        try (WorkerPool pool = new WorkerPool(threads);
             Buffers buffers = new Buffers(model.layout, threads, beta > 0)) {
            while (step < totalSteps) {
                if (control.isCancelRequested()) return TrainingOutcome.CANCELLED;
                if (control.isPauseRequested()) return TrainingOutcome.PAUSED;
                TrainingMetrics metrics = trainStep(pool, buffers);
                if (metrics == null) {
                    return control.isCancelRequested() ? TrainingOutcome.CANCELLED : TrainingOutcome.PAUSED;
                }
                listener.onStep(metrics);
                if (step % stepsPerEpoch == 0) listener.onEpochEnd(new EpochCheckpoint(this, metrics));
            }
            return TrainingOutcome.COMPLETED;
        }
    }

    /**
     * Scratch memory of one {@link #run}: a workspace per thread (two for pairs: both answers stay in memory until
     * the pair's loss is known), a gradient buffer per shard.
     */
    private static final class Buffers implements AutoCloseable {
        final Layout layout;
        final Workspace[] workspaces;
        final Workspace[] pairWorkspaces;
        final float[][][] shardGrads;

        Buffers(Layout layout, int threads, boolean pairs) {
            this.layout = layout;
            workspaces = new Workspace[threads];
            pairWorkspaces = new Workspace[pairs ? threads : 0];
            for (int i = 0; i < threads; i++) workspaces[i] = new Workspace(layout.config);
            for (int i = 0; i < pairWorkspaces.length; i++) pairWorkspaces[i] = new Workspace(layout.config);
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
        if (reinforcement) return reinforcementStep(pool, buf);
        boolean pairs = beta > 0;
        int inEpoch = step % stepsPerEpoch;
        if (inEpoch == 0) {
            order = new int[pairs ? train.size() / 2 : train.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            rng.shuffle(order);
        }
        int from = inEpoch * hp.batchSize();
        int rows = Math.min(hp.batchSize(), order.length - from);
        // a row is an example, or a pair: its preferred conversation in batch[], the other in other[]
        TokenizedExample[] batch = new TokenizedExample[rows];
        TokenizedExample[] other = new TokenizedExample[pairs ? rows : 0];
        long masked = 0;
        for (int r = 0; r < rows; r++) {
            int unit = order[from + r];
            batch[r] = train.get(pairs ? 2 * unit : unit);
            masked += batch[r].trainedCount();
            trainedTokens += batch[r].length();
            if (pairs) {
                other[r] = train.get(2 * unit + 1);
                trainedTokens += other[r].length();
            }
        }
        // the supervised loss is a mean over trained tokens, the preference loss a mean over pairs
        float gradScale = pairs ? 1f / rows : masked == 0 ? 0f : (float) (1.0 / masked);
        int shards = Math.min(rows, MAX_SHARDS);
        double[] rowLoss = new double[rows];
        double[] rowCorrect = new double[rows];
        pool.run(shards, (s, worker) -> {
            float[][] g = buf.shard(s); // zero: the reduction below and the optimizer step clear what they consume
            Workspace ws = buf.workspaces[worker];
            for (int r = s; r < rows; r += shards) {
                int unit = order[from + r];
                double[] res = pairs
                        ? pairForwardBackward(batch[r], other[r], trainRef[2 * unit], trainRef[2 * unit + 1], ws,
                                buf.pairWorkspaces[worker], gradScale, g)
                        : forwardBackward(batch[r], ws, gradScale, g);
                rowLoss[r] = res[0];
                rowCorrect[r] = res[1];
            }
        });
        applyGradients(pool, buf, shards);
        double lossSum = 0, correct = 0;
        for (int r = 0; r < rows; r++) {
            lossSum += rowLoss[r];
            correct += rowCorrect[r];
        }
        double trainLoss = pairs ? lossSum / rows : masked == 0 ? 0 : lossSum / masked;
        double trainAcc = masked == 0 ? 0 : correct / masked;

        boolean epochEnd = step % stepsPerEpoch == 0;
        Double validLoss = null, validAcc = null, fullLoss = null, fullAcc = null;
        int validUnits = pairs ? valid.size() / 2 : valid.size();
        if (validUnits > 0 && (step % VALID_EVERY == 0 || step == 1 || epochEnd)) {
            int[] units = new int[Math.min(hp.batchSize(), validUnits)];
            for (int i = 0; i < units.length; i++) units[i] = (validCursor + i) % validUnits;
            validCursor = (validCursor + units.length) % validUnits;
            double[] e = evaluate(pool, buf, units);
            validLoss = e[0];
            validAcc = e[1];
        }
        if (validUnits > 0 && epochEnd) {
            int[] all = new int[validUnits];
            for (int i = 0; i < all.length; i++) all[i] = i;
            double[] e = evaluate(pool, buf, all);
            fullLoss = e[0];
            fullAcc = e[1];
        }
        int epoch = (step - 1) / stepsPerEpoch + 1;
        return new TrainingMetrics(step, totalSteps, epoch, trainLoss, trainAcc, validLoss, validAcc, fullLoss, fullAcc,
                trainedTokens);
    }

    /** Sums the shards' gradients into shard 0 and takes one optimizer step with them (clipped by their norm). */
    private void applyGradients(WorkerPool pool, Buffers buf, int shards) {
        float[][] grad = buf.shard(0);
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
        step++;
        adamStep(pool, grad, Math.sqrt(gradNorm2), learningRate(step));
    }

    /** One sampled answer: the prompt and answer tokens (the answer trained) and its reward. */
    private record Rollout(TokenizedExample sequence, double reward) {}

    /** {@code <|start|>assistant\n}: what opens the answer after a prompt's messages. */
    private static final int[] ASSISTANT_HEADER = ChatTemplate.prompt(List.of());

    /** Whether the run was asked to stop; polled between the answers of a reinforcement step. */
    private boolean stopping() {
        return control.isCancelRequested() || control.isPauseRequested();
    }

    /** One reinforcement step, or null when a stop request dropped it before its weights changed. */
    private TrainingMetrics reinforcementStep(WorkerPool pool, Buffers buf) {
        int inEpoch = step % stepsPerEpoch;
        // a dropped step leaves the run as it was before it, so a paused job samples the same answers again
        long rngState = rng.state();
        double rngSpare = rng.spare();
        int[] previousOrder = order;
        if (inEpoch == 0) {
            order = new int[train.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            rng.shuffle(order);
        }
        int from = inEpoch * hp.batchSize();
        int prompts = Math.min(hp.batchSize(), order.length - from);
        int group = options.samplesPerPrompt();
        int n = prompts * group;
        Rollout[] rollouts = new Rollout[n];
        pool.run(n, (i, worker) -> {
            if (stopping()) return;
            int prompt = order[from + i / group];
            rollouts[i] = rollout(train.get(prompt), prompt, trainRewards, 1.0, sampleSeed(step, i));
        });
        // checked after the answers too: a grader stopped for the request scored its answer 0, which must not train
        if (stopping()) {
            rng.restore(rngState, rngSpare);
            order = previousOrder;
            return null;
        }
        // advantage: the reward less the mean reward of the same prompt's answers, divided by their standard
        // deviation (GRPO's). Without the division the advantage is in the grader's unit while the KL penalty is not,
        // so the penalty's fixed weight would mean a different strength for every grader: a score_model grader scoring
        // 0..10 would all but switch it off, and a fuzzy_match grader, whose answers to a prompt score close together
        // (spread about 0.2 against 0.4 for right-or-wrong answers), would be held at its start twice as hard as an
        // exact one. Divided, a prompt's answers always weigh in at unit spread against the penalty.
        double[] advantage = new double[n];
        double rewardSum = 0;
        // without the penalty only answers with an advantage carry a gradient; their order is fixed, so the sums are
        // the same bits
        int[] active = new int[n];
        int learning = 0;
        for (int p = 0; p < prompts; p++) {
            double mean = 0;
            for (int k = 0; k < group; k++) mean += rollouts[p * group + k].reward();
            rewardSum += mean;
            mean /= group;
            double squares = 0, largest = 0;
            for (int k = 0; k < group; k++) {
                double r = rollouts[p * group + k].reward();
                squares += (r - mean) * (r - mean);
                largest = Math.max(largest, Math.abs(r));
            }
            double deviation = Math.sqrt(squares / group);
            // answers that score the same but for rounding (0.1 + 0.2 against 0.3) carry no signal to magnify
            boolean flat = deviation <= 1e-9 * largest;
            for (int k = 0; k < group; k++) {
                int i = p * group + k;
                advantage[i] = flat ? 0 : (rollouts[i].reward() - mean) / deviation;
                boolean moves = advantage[i] != 0 || reference != null;
                if (moves && rollouts[i].sequence().trainedCount() > 0) active[learning++] = i;
            }
        }
        int count = learning;
        int shards = Math.max(1, Math.min(count, MAX_SHARDS));
        double[] divergence = new double[count]; // each answer's summed KL estimate, added up in order below
        pool.run(shards, (s, worker) -> {
            float[][] g = buf.shard(s);
            for (int a = s; a < count; a += shards) {
                Rollout r = rollouts[active[a]];
                if (reference == null) {
                    // loss -A log p(answer) / n: the cross-entropy gradient is that of -log p, scaled by A / n
                    forwardBackward(r.sequence(), buf.workspaces[worker], (float) (advantage[active[a]] / n), g);
                } else {
                    divergence[a] = penalizedForwardBackward(r.sequence(), buf.workspaces[worker],
                            advantage[active[a]], n, g);
                }
            }
        });
        Double trainKl = null;
        if (reference != null) {
            double sum = 0;
            long tokens = 0;
            for (int a = 0; a < count; a++) {
                sum += divergence[a];
                tokens += rollouts[active[a]].sequence().trainedCount();
            }
            trainKl = tokens == 0 ? 0.0 : sum / tokens;
        }
        for (Rollout r : rollouts) trainedTokens += r.sequence().length();
        applyGradients(pool, buf, shards);

        boolean epochEnd = step % stepsPerEpoch == 0;
        Double validReward = null, fullValidReward = null;
        if (!valid.isEmpty() && (step % options.evalInterval() == 0 || step == 1 || epochEnd)) {
            int samples = options.evalSamples() > 0 ? options.evalSamples() : hp.batchSize();
            int[] units = new int[Math.min(samples, valid.size())];
            for (int i = 0; i < units.length; i++) units[i] = (validCursor + i) % valid.size();
            validCursor = (validCursor + units.length) % valid.size();
            validReward = validReward(pool, units);
        }
        if (!valid.isEmpty() && epochEnd) {
            int[] all = new int[valid.size()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            fullValidReward = validReward(pool, all);
        }
        int epoch = (step - 1) / stepsPerEpoch + 1;
        return TrainingMetrics.reinforcement(step, totalSteps, epoch, rewardSum / n, validReward, fullValidReward,
                trainKl, trainedTokens);
    }

    /**
     * Mean reward of the greedy answers to validation prompts; null when a stop request came first (the step's
     * weights are already updated, so the step keeps them and reports no validation reward).
     */
    private Double validReward(WorkerPool pool, int[] units) {
        double[] reward = new double[units.length];
        pool.run(units.length, (i, worker) -> {
            if (!stopping()) reward[i] = rollout(valid.get(units[i]), units[i], validRewards, 0, 0).reward();
        });
        if (stopping()) return null;
        double sum = 0;
        for (double r : reward) sum += r;
        return sum / units.length;
    }

    /** A seed of its own for every sampled answer, from the run's seed, the step and the answer's place. */
    private long sampleSeed(int step, int i) {
        long h = seed * 0x9E3779B97F4A7C15L + step;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + i;
        return (h ^ (h >>> 29)) * 0x94D049BB133111EBL;
    }

    /**
     * Samples an answer to {@code prompt} (its messages, then an open assistant message) from the current weights at
     * {@code temperature} (0: greedy), and scores it.
     */
    private Rollout rollout(TokenizedExample prompt, int index, RewardFunction rewards, double temperature,
                            long sampleSeed) {
        int ctx = model.config().contextLength();
        int[] tokens = Arrays.copyOf(prompt.tokens(), ctx);
        int length = prompt.length();
        System.arraycopy(ASSISTANT_HEADER, 0, tokens, length, ASSISTANT_HEADER.length);
        length += ASSISTANT_HEADER.length;
        int start = length;
        KvCache cache = new KvCache(model);
        float[] logits = null;
        for (int t = 0; t < length; t++) logits = cache.next(tokens[t]);
        SamplingOptions options = new SamplingOptions(temperature, 1, MAX_ANSWER_TOKENS, List.of(), sampleSeed);
        Rng random = new Rng(sampleSeed);
        Utf8Decoder text = new Utf8Decoder();
        StringBuilder answer = new StringBuilder();
        while (length < ctx && length - start < MAX_ANSWER_TOKENS) {
            int token = ChatModel.sample(logits, options, random);
            tokens[length++] = token;
            if (ByteTokenizer.isSpecial(token)) break;
            answer.append(text.accept(token));
            if (length < ctx) logits = cache.next(token);
        }
        answer.append(text.flush());
        boolean[] trained = new boolean[length];
        Arrays.fill(trained, start, length, true);
        String a = answer.toString();
        double reward = rewards.reward(index, a);
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("the reward of an answer to prompt " + (index + 1) + " is " + reward);
        }
        return new Rollout(new TokenizedExample(Arrays.copyOf(tokens, length), trained), reward);
    }

    /**
     * Mean loss and token accuracy of validation examples (or pairs: the preference loss, and the accuracy on the
     * preferred answers), without gradients.
     */
    private double[] evaluate(WorkerPool pool, Buffers buf, int[] units) {
        boolean pairs = beta > 0;
        int n = units.length;
        double[] loss = new double[n];
        double[] correct = new double[n];
        long[] masked = new long[n];
        pool.run(n, (i, worker) -> {
            int u = units[i];
            TokenizedExample ex = valid.get(pairs ? 2 * u : u);
            double[] r = pairs
                    ? pairForwardBackward(ex, valid.get(2 * u + 1), validRef[2 * u], validRef[2 * u + 1],
                            buf.workspaces[worker], buf.pairWorkspaces[worker], 1f, null)
                    : forwardBackward(ex, buf.workspaces[worker], 1f, null);
            loss[i] = r[0];
            correct[i] = r[1];
            masked[i] = ex.trainedCount();
        });
        double l = 0, c = 0;
        long m = 0;
        for (int i = 0; i < n; i++) {
            l += loss[i];
            c += correct[i];
            m += masked[i];
        }
        if (m == 0) return new double[] {pairs ? l / n : 0, 0};
        return new double[] {pairs ? l / n : l / m, c / m};
    }

    /** One sequence after its forward pass: loss sum and correct count of its trained tokens, and its extent. */
    private record Pass(double loss, double correct, int used, int nHead) {}

    /**
     * Forward pass and cross-entropy of one example's trained tokens; leaves their gradient (times {@code gradScale})
     * in {@code ws} for {@link #backward}.
     */
    private Pass forward(TokenizedExample ex, Workspace ws, float gradScale) {
        int[] targets = new int[ex.length() - 1];
        int nHead = heads(ex, ws, targets);
        if (nHead == 0) return new Pass(0, 0, 0, 0);
        // positions after the last trained target cannot change the loss
        int used = ws.headPos[nHead - 1] + 1;
        Transformer.forward(model, ws, ex.tokens(), used, nHead);
        double[] res = Transformer.crossEntropy(ws, nHead, targets, gradScale, null);
        return new Pass(res[0], res[1], used, nHead);
    }

    /** Puts the trained targets into {@code targets} and their positions into {@code ws.headPos}; returns their count. */
    private static int heads(TokenizedExample ex, Workspace ws, int[] targets) {
        int[] tokens = ex.tokens();
        boolean[] trained = ex.trained();
        int nHead = 0;
        for (int t = 0; t < tokens.length - 1; t++) {
            if (trained[t + 1]) {
                ws.headPos[nHead] = t;
                targets[nHead++] = tokens[t + 1];
            }
        }
        return nHead;
    }

    /**
     * Adds the gradient of a sampled answer's loss divided by {@code n}: {@code -advantage * log p(answer)} plus the
     * KL penalty of each token, {@code klCoefficient * (r - log r - 1)} with {@code r = p_ref / p}. The penalty's
     * gradient is {@code klCoefficient * (r - 1)} times that of {@code -log p(token)}, so each token's cross-entropy
     * gradient is scaled by {@code (advantage + klCoefficient * (r - 1)) / n}. Returns the sum of the tokens'
     * {@code r - log r - 1}.
     */
    private double penalizedForwardBackward(TokenizedExample answer, Workspace ws, double advantage, int n,
                                            float[][] grad) {
        int[] targets = new int[answer.length() - 1];
        int nHead = heads(answer, ws, targets);
        if (nHead == 0) return 0;
        int used = ws.headPos[nHead - 1] + 1;
        double[] refLoss = new double[nHead];
        double[] loss = new double[nHead];
        Transformer.forward(reference, ws, answer.tokens(), used, nHead);
        Transformer.crossEntropy(ws, nHead, targets, 0f, refLoss);
        Transformer.forward(model, ws, answer.tokens(), used, nHead);
        Transformer.crossEntropy(ws, nHead, targets, 1f, loss);
        double kl = options.klCoefficient();
        double divergence = 0;
        for (int i = 0; i < nHead; i++) {
            // the losses are -log p: log r = loss - refLoss, bounded so that a token the model has all but ruled out
            // cannot overflow the weights (the gradient's norm is clipped anyway)
            double logR = Math.min(loss[i] - refLoss[i], 20);
            double r = Math.exp(logR);
            divergence += r - logR - 1;
            float w = (float) ((advantage + kl * (r - 1)) / n);
            float[] lg = ws.logits[i];
            for (int v = 0; v < ws.V; v++) lg[v] *= w;
        }
        Transformer.backward(model, ws, answer.tokens(), used, nHead, grad);
        return divergence;
    }

    /** Adds the gradients of the pass left in {@code ws}, times {@code scale}, into {@code grad}. */
    private void backward(TokenizedExample ex, Workspace ws, Pass pass, float scale, float[][] grad) {
        if (pass.nHead() == 0) return;
        if (scale != 1f) {
            for (int i = 0; i < pass.nHead(); i++) {
                float[] lg = ws.logits[i];
                for (int v = 0; v < ws.V; v++) lg[v] *= scale;
            }
        }
        Transformer.backward(model, ws, ex.tokens(), pass.used(), pass.nHead(), grad);
    }

    /** Loss sum and correct count of one example; adds its gradients (times {@code gradScale}) into {@code grad} if non-null. */
    private double[] forwardBackward(TokenizedExample ex, Workspace ws, float gradScale, float[][] grad) {
        Pass pass = forward(ex, ws, gradScale);
        if (grad != null) backward(ex, ws, pass, 1f, grad);
        return new double[] {pass.loss(), pass.correct()};
    }

    /**
     * DPO loss of one pair and the correct count of its preferred answer; adds the pair's gradients (times
     * {@code gradScale}) into {@code grad} if non-null.
     */
    private double[] pairForwardBackward(TokenizedExample preferred, TokenizedExample other, double refPreferred,
                                         double refOther, Workspace wp, Workspace wo, float gradScale, float[][] grad) {
        Pass p = forward(preferred, wp, 1f);
        Pass o = forward(other, wo, 1f);
        // the cross-entropy sums are the answers' negative log-probabilities
        double z = beta * ((-p.loss() - refPreferred) - (-o.loss() - refOther));
        double loss = z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)); // -log sigmoid(z)
        if (grad != null) {
            // d loss / d log p(preferred) = -beta * sigmoid(-z) = -d loss / d log p(other); the workspaces hold the
            // gradients of -log p, so they are scaled by +w and -w
            float w = (float) (beta / (1 + Math.exp(z)) * gradScale);
            backward(preferred, wp, p, w, grad);
            backward(other, wo, o, -w, grad);
        }
        return new double[] {loss, p.correct()};
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

    /** Steps of the whole run: {@code nEpochs * ceil(examples / batchSize)}, counting a pair as one example. */
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
