package dev.finetune4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Training and generation speed of the Java engine with the workload of {@code torch_tiny_gpt.py}: random byte
 * tokens, batch 8, loss on the second half of each sequence, AdamW; greedy generation of 64 tokens after a 16-token
 * prompt with the KV cache. Prints one JSON line with the same keys as the PyTorch script.
 *
 * <p>Run through {@code bench/train-bench}, or directly:
 * {@code java -cp target/classes:target/test-classes dev.finetune4j.train.TrainBench --ctx 128 --layers 2 --heads 2 --dim 64 --threads 2}
 */
public final class TrainBench {
    private TrainBench() {}

    public static void main(String[] args) {
        int vocab = 259, ctx = 128, layers = 2, heads = 2, dim = 64, batch = 8, steps = 30, warmup = 5, threads = 1;
        int prompt = 16, gen = 64, genReps = 5;
        long seed = 1234;
        for (int i = 0; i < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--vocab" -> vocab = v;
                case "--ctx" -> ctx = v;
                case "--layers" -> layers = v;
                case "--heads" -> heads = v;
                case "--dim" -> dim = v;
                case "--batch" -> batch = v;
                case "--steps" -> steps = v;
                case "--warmup" -> warmup = v;
                case "--threads" -> threads = v;
                case "--prompt" -> prompt = v;
                case "--gen" -> gen = v;
                case "--gen-reps" -> genReps = v;
                case "--seed" -> seed = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        GptConfig config = new GptConfig("bench", vocab, ctx, layers, heads, dim);
        int total = warmup + steps;
        Rng rng = new Rng(seed + 1);
        List<TokenizedExample> data = new ArrayList<>();
        for (int s = 0; s < total * batch; s++) {
            int[] tokens = new int[ctx + 1];
            boolean[] trained = new boolean[ctx + 1];
            for (int t = 0; t <= ctx; t++) {
                tokens[t] = rng.nextInt(Math.min(256, vocab));
                trained[t] = t - 1 >= ctx / 2; // target of position t-1, as torch's mask[:, ctx//2:]
            }
            data.add(new TokenizedExample(tokens, trained));
        }
        Trainer trainer = Trainer.createTokenized(GptModel.init(config, seed), data,
                new Hyperparameters(1, batch, 1.0), seed, threads);
        long[] stamps = new long[total + 1];
        long[] cpu = new long[total + 1];
        double[] losses = new double[total];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        stamps[0] = System.nanoTime();
        cpu[0] = mx.getCurrentThreadCpuTime();
        try {
            trainer.run(new TrainingListener() {
                @Override
                public void onStep(TrainingMetrics m) {
                    stamps[m.step()] = System.nanoTime();
                    cpu[m.step()] = mx.getCurrentThreadCpuTime();
                    losses[m.step() - 1] = m.trainLoss();
                }
            }, new TrainingControl());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double[] times = new double[steps];
        double[] cpuTimes = new double[steps];
        for (int s = 0; s < steps; s++) {
            times[s] = (stamps[warmup + s + 1] - stamps[warmup + s]) / 1e9;
            cpuTimes[s] = (cpu[warmup + s + 1] - cpu[warmup + s]) / 1e9;
        }
        double med = median(times), best = Arrays.stream(times).min().orElse(0), mean = Arrays.stream(times).average().orElse(0);
        long tokens = (long) batch * ctx;
        long nMm = 12L * layers * dim * dim + (long) vocab * dim;
        double flops = 6.0 * nMm * tokens + 12.0 * layers * ctx * dim * tokens;

        StringBuilder json = new StringBuilder("{");
        put(json, "engine", "\"java\"");
        put(json, "java", "\"" + System.getProperty("java.version") + "\"");
        put(json, "threads", threads);
        put(json, "kernel", Kernels.SIMD ? "\"vector\"" : "\"portable\"");
        put(json, "vocab", vocab);
        put(json, "ctx", ctx);
        put(json, "layers", layers);
        put(json, "heads", heads);
        put(json, "dim", dim);
        put(json, "batch", batch);
        put(json, "steps", steps);
        put(json, "warmup", warmup);
        put(json, "params", trainer.model().parameterCount());
        put(json, "ms_step_median", med * 1e3);
        put(json, "ms_step_min", best * 1e3);
        put(json, "ms_step_mean", mean * 1e3);
        // CPU time of the calling thread (it trains its share of rows): with 1 thread, the step time of an idle machine
        put(json, "main_thread_cpu_ms_step_median", median(cpuTimes) * 1e3);
        // what the JIT's warm-up costs: the untimed first steps against the same number of steady-state steps
        put(json, "warmup_s", (stamps[warmup] - stamps[0]) / 1e9);
        put(json, "warmup_steady_s", warmup * med);
        put(json, "train_tok_s", tokens / med);
        put(json, "train_tok_s_best", tokens / best);
        put(json, "flops_step", flops);
        put(json, "gflops", flops / med / 1e9);
        put(json, "gflops_best", flops / best / 1e9);
        put(json, "loss_first", losses[0]);
        put(json, "loss_last", losses[total - 1]);
        if (gen > 0) {
            GptModel model = trainer.model();
            int[] promptTokens = new int[prompt];
            for (int i = 0; i < prompt; i++) promptTokens[i] = rng.nextInt(Math.min(256, vocab));
            // warm-up until the JIT has compiled the cache's per-token code (a few hundred calls are not enough)
            int[] out = generate(model, promptTokens, gen);
            long warmEnd = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < warmEnd) out = generate(model, promptTokens, gen);
            double[] runs = new double[genReps];
            for (int r = 0; r < genReps; r++) {
                long t0 = System.nanoTime();
                out = generate(model, promptTokens, gen);
                runs[r] = (System.nanoTime() - t0) / 1e9;
            }
            put(json, "gen_tok_s_kv", gen / median(runs));
            put(json, "kv_match", Arrays.equals(out, generateNoCache(model, promptTokens, gen)));
        }
        json.setLength(json.length() - 2);
        System.out.println(json.append("}"));
    }

    /** Greedy generation with the KV cache (the workload of the PyTorch script's {@code generate(..., use_cache=True)}). */
    static int[] generate(GptModel model, int[] prompt, int n) {
        KvCache cache = new KvCache(model);
        int[] seq = Arrays.copyOf(prompt, prompt.length + n);
        float[] logits = null;
        for (int t : prompt) logits = cache.next(t);
        for (int i = 0; i < n; i++) {
            int next = argmax(logits);
            seq[prompt.length + i] = next;
            if (i + 1 < n) logits = cache.next(next);
        }
        return seq;
    }

    static int[] generateNoCache(GptModel model, int[] prompt, int n) {
        Workspace ws = new Workspace(model.config());
        int[] seq = Arrays.copyOf(prompt, prompt.length + n);
        for (int i = 0; i < n; i++) {
            int len = prompt.length + i;
            ws.headPos[0] = len - 1;
            Transformer.forward(model, ws, seq, len, 1);
            seq[len] = argmax(ws.logits[0]);
        }
        return seq;
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void put(StringBuilder sb, String key, Object value) {
        String v = value instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(value);
        sb.append('"').append(key).append("\": ").append(v).append(", ");
    }
}
