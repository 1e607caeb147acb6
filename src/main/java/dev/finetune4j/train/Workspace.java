package dev.finetune4j.train;

/** Activations of one sequence (up to the context length) kept for the backward pass, plus scratch; one per thread. */
final class Workspace {
    final int T, C, L, H, V, hd;
    final float[] x;      // (L+1) x T x C: input of each layer, then the output of the last
    final float[] xa;     // L x T x C: residual stream after attention
    final float[] ln1, ln2;           // L x T x C
    final float[] ln1Mean, ln1Rstd, ln2Mean, ln2Rstd; // L x T
    final float[] qkv;    // L x T x 3C
    final float[] att;    // L x H x T x T: attention probabilities (lower triangle)
    final float[] atty;   // L x T x C: attention output before projection
    final float[] fcPre, fcAct;       // L x T x 4C
    final float[] lnf, lnfMean, lnfRstd;
    final int[] headPos;  // positions whose logits are computed
    final float[] headIn; // rows of lnf at headPos
    final float[] logits; // headPos x V, turned into dlogits by the loss
    // backward scratch
    final float[] dres, dtmp, dqkv, datty, dfc, dHead;
    final float[] kT, vT, dkT, dvT, ds;

    Workspace(GptConfig c) {
        T = c.contextLength();
        C = c.dim();
        L = c.layers();
        H = c.heads();
        V = c.vocabSize();
        hd = c.headDim();
        x = new float[(L + 1) * T * C];
        xa = new float[L * T * C];
        ln1 = new float[L * T * C];
        ln2 = new float[L * T * C];
        ln1Mean = new float[L * T];
        ln1Rstd = new float[L * T];
        ln2Mean = new float[L * T];
        ln2Rstd = new float[L * T];
        qkv = new float[L * T * 3 * C];
        att = new float[L * H * T * T];
        atty = new float[L * T * C];
        fcPre = new float[L * T * 4 * C];
        fcAct = new float[L * T * 4 * C];
        lnf = new float[T * C];
        lnfMean = new float[T];
        lnfRstd = new float[T];
        headPos = new int[T];
        headIn = new float[T * C];
        logits = new float[T * V];
        dres = new float[T * C];
        dtmp = new float[T * C];
        dqkv = new float[T * 3 * C];
        datty = new float[T * C];
        dfc = new float[T * 4 * C];
        dHead = new float[T * C];
        kT = new float[hd * T];
        vT = new float[hd * T];
        dkT = new float[hd * T];
        dvT = new float[hd * T];
        ds = new float[4 * T];
    }
}
