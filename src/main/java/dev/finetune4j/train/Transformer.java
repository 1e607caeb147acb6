package dev.finetune4j.train;

/**
 * Forward and backward passes of one token sequence, llm.c style: explicit loops, every activation the backward
 * pass needs kept in a {@link Workspace}.
 */
final class Transformer {
    private Transformer() {}

    /**
     * Runs {@code tokens[0..T)} through the model and computes the logits of the {@code nHead} positions in
     * {@code ws.headPos} into {@code ws.logits} (row i belongs to position {@code headPos[i]}).
     */
    static void forward(GptModel model, Workspace ws, int[] tokens, int T, int nHead) {
        Layout lay = model.layout;
        float[][] p = model.rows;
        int C = ws.C, L = ws.L, V = ws.V, TT = ws.T;
        for (int t = 0; t < T; t++) {
            float[] xr = ws.x[t], e = p[lay.wte + tokens[t]], q = p[lay.wpe + t];
            for (int i = 0; i < C; i++) xr[i] = e[i] + q[i];
        }
        for (int l = 0; l < L; l++) {
            int xl = l * TT, xl1 = (l + 1) * TT;
            Kernels.layerNorm(ws.ln1, xl, ws.ln1Mean, ws.ln1Rstd, xl, ws.x, xl, p[lay.ln1W[l]], p[lay.ln1B[l]], T);
            fillRows(ws.qkv, xl, p[lay.attnB[l]], T);
            Kernels.matmulAdd(ws.qkv, xl, ws.ln1, xl, 0, false, p, lay.attnW[l], T, 0, C, 3 * C);
            attentionForward(ws, l, T);
            fillRows(ws.xa, xl, p[lay.projB[l]], T);
            Kernels.matmulAdd(ws.xa, xl, ws.atty, xl, 0, false, p, lay.projW[l], T, 0, C, C);
            for (int t = 0; t < T; t++) Kernels.add(ws.xa[xl + t], ws.x[xl + t], C);
            Kernels.layerNorm(ws.ln2, xl, ws.ln2Mean, ws.ln2Rstd, xl, ws.xa, xl, p[lay.ln2W[l]], p[lay.ln2B[l]], T);
            fillRows(ws.fcPre, xl, p[lay.fcB[l]], T);
            Kernels.matmulAdd(ws.fcPre, xl, ws.ln2, xl, 0, false, p, lay.fcW[l], T, 0, C, 4 * C);
            for (int t = 0; t < T; t++) Kernels.gelu(ws.fcAct[xl + t], ws.fcTanh[xl + t], ws.fcPre[xl + t], 4 * C);
            fillRows(ws.x, xl1, p[lay.fcProjB[l]], T);
            Kernels.matmulAdd(ws.x, xl1, ws.fcAct, xl, 0, false, p, lay.fcProjW[l], T, 0, 4 * C, C);
            for (int t = 0; t < T; t++) Kernels.add(ws.x[xl1 + t], ws.xa[xl + t], C);
        }
        Kernels.layerNorm(ws.lnf, 0, ws.lnfMean, ws.lnfRstd, 0, ws.x, L * TT, p[lay.lnfW], p[lay.lnfB], T);
        for (int i = 0; i < nHead; i++) ws.headIn[i] = ws.lnf[ws.headPos[i]];
        Kernels.zero(ws.logits, 0, nHead, V);
        Kernels.matmulAdd(ws.logits, 0, ws.headIn, 0, 0, false, model.transposedRows, model.layout.wteT, nHead, 0, C, V);
    }

    private static void fillRows(float[][] out, int r0, float[] bias, int rows) {
        for (int t = 0; t < rows; t++) System.arraycopy(bias, 0, out[r0 + t], 0, bias.length);
    }

    /** Causal self-attention of layer {@code l}, head by head, in blocks of {@link Workspace#QUERY_BLOCK} query rows. */
    private static void attentionForward(Workspace ws, int l, int T) {
        int C = ws.C, H = ws.H, hd = ws.hd, TT = ws.T, base = l * TT;
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[][] qkv = ws.qkv, att = ws.att, kT = ws.kT, vh = ws.vh, yh = ws.yh;
        for (int h = 0; h < H; h++) {
            int attBase = (l * H + h) * TT, kc = C + h * hd, vc = 2 * C + h * hd;
            for (int s = 0; s < T; s++) {
                float[] row = qkv[base + s];
                for (int d = 0; d < hd; d++) kT[d][s] = row[kc + d];
                System.arraycopy(row, vc, vh[s], 0, hd);
            }
            for (int i0 = 0; i0 < T; i0 += Workspace.QUERY_BLOCK) {
                int r = Math.min(Workspace.QUERY_BLOCK, T - i0), n = i0 + r;
                Kernels.zero(att, attBase + i0, r, n);
                Kernels.matmulAdd(att, attBase + i0, qkv, base + i0, h * hd, false, kT, 0, r, 0, hd, n);
                for (int t = 0; t < r; t++) Kernels.softmaxRow(att[attBase + i0 + t], i0 + t + 1, n, scale, ws.expScratch);
                Kernels.zero(yh, i0, r, hd);
                Kernels.matmulAdd(yh, i0, att, attBase + i0, 0, false, vh, 0, r, 0, n, hd);
            }
            for (int t = 0; t < T; t++) System.arraycopy(yh[t], 0, ws.atty[base + t], h * hd, hd);
        }
    }

    /**
     * Backward pass given {@code dlogits} in {@code ws.logits} (as {@link #forward} left the positions); adds the
     * parameter gradients into {@code g} (rows laid out like the parameters).
     */
    static void backward(GptModel model, Workspace ws, int[] tokens, int T, int nHead, float[][] g) {
        Layout lay = model.layout;
        float[][] p = model.rows, pt = model.transposedRows;
        int C = ws.C, L = ws.L, V = ws.V, TT = ws.T;
        float[][] dres = ws.dres, dtmp = ws.dtmp;
        // tied head: dheadIn = dlogits wte ; dwte += dlogits^T headIn
        Kernels.zero(ws.dHead, 0, nHead, C);
        Kernels.matmulAdd(ws.dHead, 0, ws.logits, 0, 0, false, p, lay.wte, nHead, 0, V, C);
        weightGradient(g, lay.wte, ws.headIn, 0, ws.logits, 0, nHead, C, V, ws.wideScratch);
        Kernels.zero(dtmp, 0, T, C);
        for (int i = 0; i < nHead; i++) Kernels.add(dtmp[ws.headPos[i]], ws.dHead[i], C);
        Kernels.zero(dres, 0, T, C);
        Kernels.layerNormBackward(dres, dtmp, ws.x, L * TT, ws.lnfMean, ws.lnfRstd, 0, p[lay.lnfW],
                g[lay.lnfW], g[lay.lnfB], T);
        for (int l = L - 1; l >= 0; l--) {
            int xl = l * TT;
            // MLP: x_{l+1} = xa + gelu(ln2 Wfc + bfc) Wproj + bproj
            weightGradient(g, lay.fcProjW[l], dres, 0, ws.fcAct, xl, T, C, 4 * C, ws.wideScratch);
            addRows(g[lay.fcProjB[l]], dres, T);
            Kernels.zero(ws.dfc, 0, T, 4 * C);
            Kernels.matmulAdd(ws.dfc, 0, dres, 0, 0, false, pt, lay.fcProjWT[l], T, 0, C, 4 * C);
            for (int t = 0; t < T; t++) Kernels.geluBackward(ws.dfc[t], ws.fcPre[xl + t], ws.fcTanh[xl + t], 4 * C);
            Kernels.matmulAdd(g, lay.fcW[l], ws.ln2, xl, 0, true, ws.dfc, 0, C, 0, T, 4 * C);
            addRows(g[lay.fcB[l]], ws.dfc, T);
            Kernels.zero(dtmp, 0, T, C);
            Kernels.matmulAdd(dtmp, 0, ws.dfc, 0, 0, false, pt, lay.fcWT[l], T, 0, 4 * C, C);
            Kernels.layerNormBackward(dres, dtmp, ws.xa, xl, ws.ln2Mean, ws.ln2Rstd, xl, p[lay.ln2W[l]],
                    g[lay.ln2W[l]], g[lay.ln2B[l]], T);
            // attention: xa = x + atty Wproj + bproj
            Kernels.matmulAdd(g, lay.projW[l], ws.atty, xl, 0, true, dres, 0, C, 0, T, C);
            addRows(g[lay.projB[l]], dres, T);
            Kernels.zero(ws.datty, 0, T, C);
            Kernels.matmulAdd(ws.datty, 0, dres, 0, 0, false, pt, lay.projWT[l], T, 0, C, C);
            Kernels.zero(ws.dqkv, 0, T, 3 * C);
            attentionBackward(ws, l, T);
            Kernels.matmulAdd(g, lay.attnW[l], ws.ln1, xl, 0, true, ws.dqkv, 0, C, 0, T, 3 * C);
            addRows(g[lay.attnB[l]], ws.dqkv, T);
            Kernels.zero(dtmp, 0, T, C);
            Kernels.matmulAdd(dtmp, 0, ws.dqkv, 0, 0, false, pt, lay.attnWT[l], T, 0, 3 * C, C);
            Kernels.layerNormBackward(dres, dtmp, ws.x, xl, ws.ln1Mean, ws.ln1Rstd, xl, p[lay.ln1W[l]],
                    g[lay.ln1W[l]], g[lay.ln1B[l]], T);
        }
        for (int t = 0; t < T; t++) {
            Kernels.add(g[lay.wte + tokens[t]], dres[t], C);
            Kernels.add(g[lay.wpe + t], dres[t], C);
        }
    }

    /**
     * {@code g[w + i][o] += sum_t in[t][i] * dy[t][o]} for a weight of {@code nIn} rows and {@code nOut} columns
     * where {@code nIn > nOut}: computed transposed ({@code nOut} rows of {@code nIn}, the longer SIMD loop) in
     * {@code scratch}, then added in. Here {@code dy} are rows {@code dy0..} and {@code in} rows {@code in0..}.
     */
    private static void weightGradient(float[][] g, int w, float[][] dy, int dy0, float[][] in, int in0, int T,
                                       int nOut, int nIn, float[][] scratch) {
        Kernels.zero(scratch, 0, nOut, nIn);
        Kernels.matmulAdd(scratch, 0, dy, dy0, 0, true, in, in0, nOut, 0, T, nIn);
        for (int i = 0; i < nIn; i++) {
            float[] gr = g[w + i];
            for (int o = 0; o < nOut; o++) gr[o] += scratch[o][i];
        }
    }

    private static void addRows(float[] acc, float[][] rows, int count) {
        for (int t = 0; t < count; t++) Kernels.add(acc, rows[t], acc.length);
    }

    private static void attentionBackward(Workspace ws, int l, int T) {
        int C = ws.C, H = ws.H, hd = ws.hd, TT = ws.T, base = l * TT;
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[][] qkv = ws.qkv, att = ws.att, kT = ws.kT, vT = ws.vT, dkT = ws.dkT, dvT = ws.dvT, ds = ws.ds;
        float[][] kh = ws.kh, dqh = ws.dqh, dqkv = ws.dqkv;
        for (int h = 0; h < H; h++) {
            int attBase = (l * H + h) * TT, qc = h * hd, kc = C + h * hd, vc = 2 * C + h * hd;
            for (int s = 0; s < T; s++) {
                float[] row = qkv[base + s];
                for (int d = 0; d < hd; d++) {
                    kT[d][s] = row[kc + d];
                    vT[d][s] = row[vc + d];
                }
                System.arraycopy(row, kc, kh[s], 0, hd);
            }
            Kernels.zero(dkT, 0, hd, T);
            Kernels.zero(dvT, 0, hd, T);
            Kernels.zero(dqh, 0, T, hd);
            for (int i0 = 0; i0 < T; i0 += Workspace.QUERY_BLOCK) {
                int r = Math.min(Workspace.QUERY_BLOCK, T - i0), n = i0 + r;
                // dp = dy v^T
                Kernels.zero(ds, 0, r, n);
                Kernels.matmulAdd(ds, 0, ws.datty, i0, qc, false, vT, 0, r, 0, hd, n);
                for (int t = 0; t < r; t++) {
                    int len = i0 + t + 1;
                    float[] pr = att[attBase + i0 + t], dr = ds[t];
                    double dot = 0;
                    for (int s = 0; s < len; s++) dot += pr[s] * dr[s];
                    float fd = (float) dot;
                    for (int s = 0; s < len; s++) dr[s] = pr[s] * (dr[s] - fd) * scale;
                    for (int s = len; s < n; s++) dr[s] = 0f;
                }
                // dq = ds k ; dk^T += q^T ds ; dv^T += dy^T p
                Kernels.matmulAdd(dqh, i0, ds, 0, 0, false, kh, 0, r, 0, n, hd);
                Kernels.matmulAdd(dkT, 0, qkv, base + i0, qc, true, ds, 0, hd, 0, r, n);
                Kernels.matmulAdd(dvT, 0, ws.datty, i0, qc, true, att, attBase + i0, hd, 0, r, n);
            }
            for (int s = 0; s < T; s++) {
                float[] row = dqkv[s], dq = dqh[s];
                for (int d = 0; d < hd; d++) {
                    row[qc + d] += dq[d];
                    row[kc + d] += dkT[d][s];
                    row[vc + d] += dvT[d][s];
                }
            }
        }
    }

    /**
     * Cross-entropy of the head rows against {@code targets[i]}; replaces each logits row by its gradient times
     * {@code gradScale}, and puts each row's loss into {@code rowLoss} when it is not null. Returns {sum of losses,
     * number of correct argmax predictions}.
     */
    static double[] crossEntropy(Workspace ws, int nHead, int[] targets, float gradScale, double[] rowLoss) {
        int V = ws.V;
        double lossSum = 0;
        int correct = 0;
        for (int i = 0; i < nHead; i++) {
            float[] lg = ws.logits[i];
            int target = targets[i];
            int best = 0;
            float max = lg[0];
            for (int v = 1; v < V; v++) {
                if (lg[v] > max) {
                    max = lg[v];
                    best = v;
                }
            }
            if (best == target) correct++;
            float targetLogit = lg[target] - max;
            Kernels.exp(lg, V, 1f, max, ws.expScratch);
            double sum = 0;
            for (int v = 0; v < V; v++) sum += lg[v];
            double loss = Math.log(sum) - targetLogit;
            lossSum += loss;
            if (rowLoss != null) rowLoss[i] = loss;
            float inv = (float) (1.0 / sum);
            for (int v = 0; v < V; v++) lg[v] = lg[v] * inv * gradScale;
            lg[target] -= gradScale;
        }
        return new double[] {lossSum, correct};
    }
}
