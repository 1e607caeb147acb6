package dev.finetune4j.train;

/** Activations of one sequence (up to the context length) kept for the backward pass, plus scratch; one per thread. */
final class Workspace {
    /**
     * Query rows per attention block. Blocks of 32 give the matrix products long enough loops while the causal
     * triangle wastes at most 31 columns per block.
     */
    static final int QUERY_BLOCK = 32;
    final int T, C, L, H, V, hd;
    final float[][] x;      // (L+1)*T rows of C: input of each layer, then the output of the last
    final float[][] xa;     // L*T rows of C: residual stream after attention
    final float[][] ln1, ln2, atty; // L*T rows of C
    final float[] ln1Mean, ln1Rstd, ln2Mean, ln2Rstd; // L*T
    final float[][] qkv;    // L*T rows of 3C
    final float[][] att;    // L*H*T rows of T: attention probabilities (lower triangle)
    final float[][] fcPre, fcAct, fcTanh; // L*T rows of 4C
    final float[][] lnf;
    final float[] lnfMean, lnfRstd;
    final int[] headPos;    // positions whose logits are computed
    final float[][] headIn; // the lnf rows at headPos (references)
    final float[][] logits; // one row of V per head position, turned into dlogits by the loss
    final float[] expScratch; // max(T, V): scratch of Kernels.exp
    // backward scratch
    final float[][] dres, dtmp, datty, dHead, dqkv, dfc;
    // per-head attention scratch
    final float[][] kT, vT, dkT, dvT; // hd rows of T
    final float[][] kh, vh, yh, dqh;  // T rows of hd
    final float[][] ds;               // QUERY_BLOCK rows of T
    final float[][] wideScratch;      // C rows of max(4C, V): transposed weight gradients

    Workspace(GptConfig c) {
        T = c.contextLength();
        C = c.dim();
        L = c.layers();
        H = c.heads();
        V = c.vocabSize();
        hd = c.headDim();
        x = new float[(L + 1) * T][C];
        xa = new float[L * T][C];
        ln1 = new float[L * T][C];
        ln2 = new float[L * T][C];
        atty = new float[L * T][C];
        ln1Mean = new float[L * T];
        ln1Rstd = new float[L * T];
        ln2Mean = new float[L * T];
        ln2Rstd = new float[L * T];
        qkv = new float[L * T][3 * C];
        att = new float[L * H * T][T];
        fcPre = new float[L * T][4 * C];
        fcAct = new float[L * T][4 * C];
        fcTanh = new float[L * T][4 * C];
        lnf = new float[T][C];
        lnfMean = new float[T];
        lnfRstd = new float[T];
        headPos = new int[T];
        headIn = new float[T][];
        logits = new float[T][V];
        expScratch = new float[Math.max(T, V)];
        dres = new float[T][C];
        dtmp = new float[T][C];
        datty = new float[T][C];
        dHead = new float[T][C];
        dqkv = new float[T][3 * C];
        dfc = new float[T][4 * C];
        kT = new float[hd][T];
        vT = new float[hd][T];
        dkT = new float[hd][T];
        dvT = new float[hd][T];
        kh = new float[T][hd];
        vh = new float[T][hd];
        yh = new float[T][hd];
        dqh = new float[T][hd];
        ds = new float[QUERY_BLOCK][T];
        wideScratch = new float[C][Math.max(4 * C, V)];
    }
}
