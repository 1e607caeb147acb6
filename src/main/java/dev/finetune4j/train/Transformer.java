package dev.finetune4j.train;

import java.util.Arrays;

/**
 * Forward and backward passes of one token sequence, llm.c style: explicit loops over flat arrays, every
 * activation the backward pass needs kept in a {@link Workspace}.
 */
final class Transformer {
    private Transformer() {}

    /**
     * Runs {@code tokens[0..T)} through the model and computes the logits of the {@code nHead} positions in
     * {@code ws.headPos} into {@code ws.logits} (row i belongs to position {@code headPos[i]}).
     */
    static void forward(GptModel model, Workspace ws, int[] tokens, int T, int nHead) {
        Layout lay = model.layout;
        float[] p = model.params;
        int C = ws.C, L = ws.L, V = ws.V;
        float[] x = ws.x;
        for (int t = 0; t < T; t++) {
            int tok = tokens[t];
            int xr = t * C, e = lay.wte + tok * C, q = lay.wpe + t * C;
            for (int i = 0; i < C; i++) x[xr + i] = p[e + i] + p[q + i];
        }
        for (int l = 0; l < L; l++) {
            int xl = l * ws.T * C, xl1 = (l + 1) * ws.T * C, sl = l * ws.T;
            int qkvOff = l * ws.T * 3 * C, fcOff = l * ws.T * 4 * C;
            Kernels.layerNorm(ws.ln1, xl, ws.ln1Mean, ws.ln1Rstd, sl, x, xl, p, lay.ln1W[l], lay.ln1B[l], T, C);
            Kernels.fillRows(ws.qkv, qkvOff, p, lay.attnB[l], T, 3 * C);
            Kernels.matmulAdd(ws.qkv, qkvOff, 3 * C, ws.ln1, xl, C, 1, p, lay.attnW[l], 3 * C, T, 0, C, 3 * C);
            attentionForward(ws, l, T);
            // xa = x + atty W_proj + b
            Kernels.fillRows(ws.xa, xl, p, lay.projB[l], T, C);
            Kernels.matmulAdd(ws.xa, xl, C, ws.atty, xl, C, 1, p, lay.projW[l], C, T, 0, C, C);
            for (int i = 0; i < T * C; i++) ws.xa[xl + i] += x[xl + i];
            Kernels.layerNorm(ws.ln2, xl, ws.ln2Mean, ws.ln2Rstd, sl, ws.xa, xl, p, lay.ln2W[l], lay.ln2B[l], T, C);
            Kernels.fillRows(ws.fcPre, fcOff, p, lay.fcB[l], T, 4 * C);
            Kernels.matmulAdd(ws.fcPre, fcOff, 4 * C, ws.ln2, xl, C, 1, p, lay.fcW[l], 4 * C, T, 0, C, 4 * C);
            Kernels.gelu(ws.fcAct, fcOff, ws.fcPre, fcOff, T * 4 * C);
            Kernels.fillRows(x, xl1, p, lay.fcProjB[l], T, C);
            Kernels.matmulAdd(x, xl1, C, ws.fcAct, fcOff, 4 * C, 1, p, lay.fcProjW[l], C, T, 0, 4 * C, C);
            for (int i = 0; i < T * C; i++) x[xl1 + i] += ws.xa[xl + i];
        }
        int xL = L * ws.T * C;
        Kernels.layerNorm(ws.lnf, 0, ws.lnfMean, ws.lnfRstd, 0, x, xL, p, lay.lnfW, lay.lnfB, T, C);
        for (int i = 0; i < nHead; i++) System.arraycopy(ws.lnf, ws.headPos[i] * C, ws.headIn, i * C, C);
        Arrays.fill(ws.logits, 0, nHead * V, 0f);
        Kernels.matmulAdd(ws.logits, 0, V, ws.headIn, 0, C, 1, model.transposed, lay.wteT, V, nHead, 0, C, V);
    }

    /** Causal self-attention of layer {@code l}, head by head, in blocks of 4 query rows. */
    private static void attentionForward(Workspace ws, int l, int T) {
        int C = ws.C, H = ws.H, hd = ws.hd, TT = ws.T;
        int qkvOff = l * TT * 3 * C, yOff = l * TT * C;
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] qkv = ws.qkv, att = ws.att, kT = ws.kT;
        for (int h = 0; h < H; h++) {
            int attOff = (l * H + h) * TT * TT;
            for (int s = 0; s < T; s++) {
                int kr = qkvOff + s * 3 * C + C + h * hd;
                for (int d = 0; d < hd; d++) kT[d * TT + s] = qkv[kr + d];
            }
            for (int t = 0; t < T; t++) Arrays.fill(ws.atty, yOff + t * C + h * hd, yOff + t * C + h * hd + hd, 0f);
            for (int i0 = 0; i0 < T; i0 += 4) {
                int r = Math.min(4, T - i0), n = i0 + r;
                int rowBase = attOff + i0 * TT;
                for (int t = 0; t < r; t++) Arrays.fill(att, rowBase + t * TT, rowBase + t * TT + n, 0f);
                Kernels.matmulAdd(att, rowBase, TT, qkv, qkvOff + i0 * 3 * C + h * hd, 3 * C, 1, kT, 0, TT, r, 0, hd, n);
                for (int t = 0; t < r; t++) softmaxRow(att, rowBase + t * TT, i0 + t + 1, n, scale);
                Kernels.matmulAdd(ws.atty, yOff + i0 * C + h * hd, C, att, rowBase, TT, 1,
                        qkv, qkvOff + 2 * C + h * hd, 3 * C, r, 0, n, hd);
            }
        }
    }

    /** In place: {@code row[0..len) = softmax(scale * row[0..len))}, {@code row[len..n) = 0}. */
    static void softmaxRow(float[] a, int off, int len, int n, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < len; s++) max = Math.max(max, a[off + s]);
        double sum = 0;
        for (int s = 0; s < len; s++) {
            float e = (float) Math.exp(scale * (a[off + s] - max));
            a[off + s] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int s = 0; s < len; s++) a[off + s] *= inv;
        for (int s = len; s < n; s++) a[off + s] = 0f;
    }

    /**
     * Backward pass given {@code dlogits} in {@code ws.logits} (as {@link #forward} left the positions); adds the
     * parameter gradients into {@code grad} (laid out like the parameters).
     */
    static void backward(GptModel model, Workspace ws, int[] tokens, int T, int nHead, float[] grad) {
        Layout lay = model.layout;
        float[] p = model.params, pt = model.transposed;
        int C = ws.C, L = ws.L, V = ws.V, TT = ws.T;
        float[] dres = ws.dres, dtmp = ws.dtmp;
        // tied head: dheadIn = dlogits wte ; dwte += dlogits^T headIn
        Arrays.fill(ws.dHead, 0, nHead * C, 0f);
        Kernels.matmulAdd(ws.dHead, 0, C, ws.logits, 0, V, 1, p, lay.wte, C, nHead, 0, V, C);
        Kernels.matmulAdd(grad, lay.wte, C, ws.logits, 0, 1, V, ws.headIn, 0, C, V, 0, nHead, C);
        Arrays.fill(dtmp, 0, T * C, 0f);
        for (int i = 0; i < nHead; i++) {
            int r = ws.headPos[i] * C, hr = i * C;
            for (int j = 0; j < C; j++) dtmp[r + j] += ws.dHead[hr + j];
        }
        Arrays.fill(dres, 0, T * C, 0f);
        Kernels.layerNormBackward(dres, 0, dtmp, 0, ws.x, L * TT * C, ws.lnfMean, ws.lnfRstd, 0, p, lay.lnfW,
                grad, lay.lnfW, lay.lnfB, T, C);
        for (int l = L - 1; l >= 0; l--) {
            int xl = l * TT * C, sl = l * TT, fcOff = l * TT * 4 * C;
            // MLP: x_{l+1} = xa + gelu(ln2 Wfc + bfc) Wproj + bproj
            Kernels.matmulAdd(grad, lay.fcProjW[l], C, ws.fcAct, fcOff, 1, 4 * C, dres, 0, C, 4 * C, 0, T, C);
            Kernels.addColumnSums(grad, lay.fcProjB[l], dres, 0, T, C);
            Arrays.fill(ws.dfc, 0, T * 4 * C, 0f);
            Kernels.matmulAdd(ws.dfc, 0, 4 * C, dres, 0, C, 1, pt, lay.fcProjWT[l], 4 * C, T, 0, C, 4 * C);
            Kernels.geluBackward(ws.dfc, 0, ws.fcPre, fcOff, T * 4 * C);
            Kernels.matmulAdd(grad, lay.fcW[l], 4 * C, ws.ln2, xl, 1, C, ws.dfc, 0, 4 * C, C, 0, T, 4 * C);
            Kernels.addColumnSums(grad, lay.fcB[l], ws.dfc, 0, T, 4 * C);
            Arrays.fill(dtmp, 0, T * C, 0f);
            Kernels.matmulAdd(dtmp, 0, C, ws.dfc, 0, 4 * C, 1, pt, lay.fcWT[l], C, T, 0, 4 * C, C);
            Kernels.layerNormBackward(dres, 0, dtmp, 0, ws.xa, xl, ws.ln2Mean, ws.ln2Rstd, sl, p, lay.ln2W[l],
                    grad, lay.ln2W[l], lay.ln2B[l], T, C);
            // attention: xa = x + atty Wproj + bproj
            Kernels.matmulAdd(grad, lay.projW[l], C, ws.atty, xl, 1, C, dres, 0, C, C, 0, T, C);
            Kernels.addColumnSums(grad, lay.projB[l], dres, 0, T, C);
            Arrays.fill(ws.datty, 0, T * C, 0f);
            Kernels.matmulAdd(ws.datty, 0, C, dres, 0, C, 1, pt, lay.projWT[l], C, T, 0, C, C);
            Arrays.fill(ws.dqkv, 0, T * 3 * C, 0f);
            attentionBackward(ws, l, T);
            Kernels.matmulAdd(grad, lay.attnW[l], 3 * C, ws.ln1, xl, 1, C, ws.dqkv, 0, 3 * C, C, 0, T, 3 * C);
            Kernels.addColumnSums(grad, lay.attnB[l], ws.dqkv, 0, T, 3 * C);
            Arrays.fill(dtmp, 0, T * C, 0f);
            Kernels.matmulAdd(dtmp, 0, C, ws.dqkv, 0, 3 * C, 1, pt, lay.attnWT[l], C, T, 0, 3 * C, C);
            Kernels.layerNormBackward(dres, 0, dtmp, 0, ws.x, xl, ws.ln1Mean, ws.ln1Rstd, sl, p, lay.ln1W[l],
                    grad, lay.ln1W[l], lay.ln1B[l], T, C);
        }
        for (int t = 0; t < T; t++) {
            int e = lay.wte + tokens[t] * C, q = lay.wpe + t * C, r = t * C;
            for (int i = 0; i < C; i++) {
                grad[e + i] += dres[r + i];
                grad[q + i] += dres[r + i];
            }
        }
    }

    private static void attentionBackward(Workspace ws, int l, int T) {
        int C = ws.C, H = ws.H, hd = ws.hd, TT = ws.T;
        int qkvOff = l * TT * 3 * C;
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] qkv = ws.qkv, att = ws.att, kT = ws.kT, vT = ws.vT, dkT = ws.dkT, dvT = ws.dvT, ds = ws.ds;
        for (int h = 0; h < H; h++) {
            int attOff = (l * H + h) * TT * TT;
            for (int s = 0; s < T; s++) {
                int kr = qkvOff + s * 3 * C + C + h * hd, vr = kr + C;
                for (int d = 0; d < hd; d++) {
                    kT[d * TT + s] = qkv[kr + d];
                    vT[d * TT + s] = qkv[vr + d];
                }
            }
            Arrays.fill(dkT, 0, hd * TT, 0f);
            Arrays.fill(dvT, 0, hd * TT, 0f);
            for (int i0 = 0; i0 < T; i0 += 4) {
                int r = Math.min(4, T - i0), n = i0 + r;
                int rowBase = attOff + i0 * TT;
                for (int t = 0; t < r; t++) Arrays.fill(ds, t * TT, t * TT + n, 0f);
                // dp = dy v^T
                Kernels.matmulAdd(ds, 0, TT, ws.datty, i0 * C + h * hd, C, 1, vT, 0, TT, r, 0, hd, n);
                for (int t = 0; t < r; t++) {
                    int len = i0 + t + 1, pr = rowBase + t * TT, dr = t * TT;
                    double dot = 0;
                    for (int s = 0; s < len; s++) dot += att[pr + s] * ds[dr + s];
                    float fd = (float) dot;
                    for (int s = 0; s < len; s++) ds[dr + s] = att[pr + s] * (ds[dr + s] - fd) * scale;
                    for (int s = len; s < n; s++) ds[dr + s] = 0f;
                }
                // dq = ds k ; dk^T += q^T ds ; dv^T += dy^T p
                Kernels.matmulAdd(ws.dqkv, i0 * 3 * C + h * hd, 3 * C, ds, 0, TT, 1,
                        qkv, qkvOff + C + h * hd, 3 * C, r, 0, n, hd);
                Kernels.matmulAdd(dkT, 0, TT, qkv, qkvOff + i0 * 3 * C + h * hd, 1, 3 * C, ds, 0, TT, hd, 0, r, n);
                Kernels.matmulAdd(dvT, 0, TT, ws.datty, i0 * C + h * hd, 1, C, att, rowBase, TT, hd, 0, r, n);
            }
            for (int s = 0; s < T; s++) {
                int kr = s * 3 * C + C + h * hd, vr = kr + C;
                for (int d = 0; d < hd; d++) {
                    ws.dqkv[kr + d] += dkT[d * TT + s];
                    ws.dqkv[vr + d] += dvT[d * TT + s];
                }
            }
        }
    }

    /**
     * Cross-entropy of the head rows against {@code targets[i]}; replaces each logits row by its gradient times
     * {@code gradScale}. Returns {sum of losses, number of correct argmax predictions}.
     */
    static double[] crossEntropy(Workspace ws, int nHead, int[] targets, float gradScale) {
        int V = ws.V;
        float[] lg = ws.logits;
        double lossSum = 0;
        int correct = 0;
        for (int i = 0; i < nHead; i++) {
            int off = i * V, target = targets[i];
            int best = 0;
            float max = lg[off];
            for (int v = 1; v < V; v++) {
                if (lg[off + v] > max) {
                    max = lg[off + v];
                    best = v;
                }
            }
            if (best == target) correct++;
            double sum = 0;
            for (int v = 0; v < V; v++) sum += Math.exp(lg[off + v] - max);
            lossSum += Math.log(sum) - (lg[off + target] - max);
            float inv = (float) (1.0 / sum);
            for (int v = 0; v < V; v++) {
                float prob = (float) Math.exp(lg[off + v] - max) * inv;
                lg[off + v] = (prob - (v == target ? 1f : 0f)) * gradScale;
            }
        }
        return new double[] {lossSum, correct};
    }
}
