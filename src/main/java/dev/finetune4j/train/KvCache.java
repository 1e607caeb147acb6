package dev.finetune4j.train;

import java.util.Arrays;

/**
 * Single-sequence inference with cached keys and values, so each new token costs one pass over the weights plus
 * attention over the tokens before it. Keys are cached transposed (a row of positions per key dimension) so the
 * scores of a new token are SIMD loops over positions.
 */
final class KvCache {
    private final GptModel model;
    private final int T, C, H, hd, V;
    private final float[][][] kT;  // per layer: C rows of T
    private final float[][][] v;   // per layer and head: T rows of hd
    private final float[][] x, ln, qkv, y, yh, tmp, fc, act, th, scores, logits;
    private final float[] expScratch;
    private final float[] mean = new float[1], rstd = new float[1];
    private int length;

    KvCache(GptModel model) {
        this.model = model;
        GptConfig c = model.config();
        T = c.contextLength();
        C = c.dim();
        H = c.heads();
        hd = c.headDim();
        V = c.vocabSize();
        kT = new float[c.layers()][C][T];
        v = new float[c.layers() * H][T][hd];
        x = new float[1][C];
        ln = new float[1][C];
        qkv = new float[1][3 * C];
        y = new float[1][C];
        yh = new float[1][hd];
        tmp = new float[1][C];
        fc = new float[1][4 * C];
        act = new float[1][4 * C];
        th = new float[1][4 * C];
        scores = new float[1][T];
        expScratch = new float[T];
        logits = new float[1][V];
    }

    int length() {
        return length;
    }

    /** Feeds the next token; returns the logits for the token after it (a shared array, overwritten next call). */
    float[] next(int token) {
        if (length >= T) throw new IllegalStateException("context of " + T + " tokens is full");
        Layout lay = model.layout;
        float[][] p = model.rows;
        int pos = length++;
        float[] xr = x[0], e = p[lay.wte + token], q = p[lay.wpe + pos];
        for (int i = 0; i < C; i++) xr[i] = e[i] + q[i];
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int l = 0; l < kT.length; l++) {
            Kernels.layerNorm(ln, 0, mean, rstd, 0, x, 0, p[lay.ln1W[l]], p[lay.ln1B[l]], 1);
            System.arraycopy(p[lay.attnB[l]], 0, qkv[0], 0, 3 * C);
            Kernels.matmulAdd(qkv, 0, ln, 0, 0, false, p, lay.attnW[l], 1, 0, C, 3 * C);
            float[][] kl = kT[l];
            for (int i = 0; i < C; i++) kl[i][pos] = qkv[0][C + i];
            int n = pos + 1;
            for (int h = 0; h < H; h++) {
                float[][] vh = v[l * H + h];
                System.arraycopy(qkv[0], 2 * C + h * hd, vh[pos], 0, hd);
                Arrays.fill(scores[0], 0, n, 0f);
                Kernels.matmulAdd(scores, 0, qkv, 0, h * hd, false, kl, h * hd, 1, 0, hd, n);
                Kernels.softmaxRow(scores[0], n, n, scale, expScratch);
                Arrays.fill(yh[0], 0f);
                Kernels.matmulAdd(yh, 0, scores, 0, 0, false, vh, 0, 1, 0, n, hd);
                System.arraycopy(yh[0], 0, y[0], h * hd, hd);
            }
            System.arraycopy(p[lay.projB[l]], 0, tmp[0], 0, C);
            Kernels.matmulAdd(tmp, 0, y, 0, 0, false, p, lay.projW[l], 1, 0, C, C);
            Kernels.add(xr, tmp[0], C);
            Kernels.layerNorm(ln, 0, mean, rstd, 0, x, 0, p[lay.ln2W[l]], p[lay.ln2B[l]], 1);
            System.arraycopy(p[lay.fcB[l]], 0, fc[0], 0, 4 * C);
            Kernels.matmulAdd(fc, 0, ln, 0, 0, false, p, lay.fcW[l], 1, 0, C, 4 * C);
            Kernels.gelu(act[0], th[0], fc[0], 4 * C);
            System.arraycopy(p[lay.fcProjB[l]], 0, tmp[0], 0, C);
            Kernels.matmulAdd(tmp, 0, act, 0, 0, false, p, lay.fcProjW[l], 1, 0, 4 * C, C);
            Kernels.add(xr, tmp[0], C);
        }
        Kernels.layerNorm(ln, 0, mean, rstd, 0, x, 0, p[lay.lnfW], p[lay.lnfB], 1);
        Arrays.fill(logits[0], 0f);
        Kernels.matmulAdd(logits, 0, ln, 0, 0, false, model.transposedRows, lay.wteT, 1, 0, C, V);
        return logits[0];
    }
}
