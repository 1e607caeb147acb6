package dev.finetune4j.train;

import java.util.Arrays;

/**
 * Single-sequence inference with cached keys and values, so each new token costs one pass over the weights plus
 * attention over the tokens before it. Keys are cached transposed ([dim][context]) so that scores are one SIMD loop.
 */
final class KvCache {
    private final GptModel model;
    private final int T, C, H, hd, V;
    private final float[][] kT, v; // per layer: [C][T] and [T][C]
    private final float[] x, ln, qkv, y, tmp, fc, act, scores, logits;
    private int length;

    KvCache(GptModel model) {
        this.model = model;
        GptConfig c = model.config();
        T = c.contextLength();
        C = c.dim();
        H = c.heads();
        hd = c.headDim();
        V = c.vocabSize();
        kT = new float[c.layers()][C * T];
        v = new float[c.layers()][T * C];
        x = new float[C];
        ln = new float[C];
        qkv = new float[3 * C];
        y = new float[C];
        tmp = new float[C];
        fc = new float[4 * C];
        act = new float[4 * C];
        scores = new float[T];
        logits = new float[V];
    }

    int length() {
        return length;
    }

    /** Feeds the next token; returns the logits for the token after it (a shared array, overwritten next call). */
    float[] next(int token) {
        if (length >= T) throw new IllegalStateException("context of " + T + " tokens is full");
        Layout lay = model.layout;
        float[] p = model.params;
        int pos = length++;
        for (int i = 0; i < C; i++) x[i] = p[lay.wte + token * C + i] + p[lay.wpe + pos * C + i];
        float[] mean = new float[1], rstd = new float[1];
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int l = 0; l < kT.length; l++) {
            Kernels.layerNorm(ln, 0, mean, rstd, 0, x, 0, p, lay.ln1W[l], lay.ln1B[l], 1, C);
            System.arraycopy(p, lay.attnB[l], qkv, 0, 3 * C);
            Kernels.matmulAdd(qkv, 0, 3 * C, ln, 0, C, 1, p, lay.attnW[l], 3 * C, 1, 0, C, 3 * C);
            float[] kl = kT[l], vl = v[l];
            for (int i = 0; i < C; i++) kl[i * T + pos] = qkv[C + i];
            System.arraycopy(qkv, 2 * C, vl, pos * C, C);
            Arrays.fill(y, 0f);
            int n = pos + 1;
            for (int h = 0; h < H; h++) {
                Arrays.fill(scores, 0, n, 0f);
                Kernels.matmulAdd(scores, 0, T, qkv, h * hd, hd, 1, kl, h * hd * T, T, 1, 0, hd, n);
                Transformer.softmaxRow(scores, 0, n, n, scale);
                Kernels.matmulAdd(y, h * hd, C, scores, 0, T, 1, vl, h * hd, C, 1, 0, n, hd);
            }
            System.arraycopy(p, lay.projB[l], tmp, 0, C);
            Kernels.matmulAdd(tmp, 0, C, y, 0, C, 1, p, lay.projW[l], C, 1, 0, C, C);
            for (int i = 0; i < C; i++) x[i] += tmp[i];
            Kernels.layerNorm(ln, 0, mean, rstd, 0, x, 0, p, lay.ln2W[l], lay.ln2B[l], 1, C);
            System.arraycopy(p, lay.fcB[l], fc, 0, 4 * C);
            Kernels.matmulAdd(fc, 0, 4 * C, ln, 0, C, 1, p, lay.fcW[l], 4 * C, 1, 0, C, 4 * C);
            Kernels.gelu(act, 0, fc, 0, 4 * C);
            System.arraycopy(p, lay.fcProjB[l], tmp, 0, C);
            Kernels.matmulAdd(tmp, 0, C, act, 0, 4 * C, 1, p, lay.fcProjW[l], C, 1, 0, 4 * C, C);
            for (int i = 0; i < C; i++) x[i] += tmp[i];
        }
        Kernels.layerNorm(ln, 0, mean, rstd, 0, x, 0, p, lay.lnfW, lay.lnfB, 1, C);
        Arrays.fill(logits, 0f);
        Kernels.matmulAdd(logits, 0, V, ln, 0, C, 1, model.transposed, lay.wteT, V, 1, 0, C, V);
        return logits;
    }
}
