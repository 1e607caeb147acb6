package dev.finetune4j.train;

/**
 * The numeric loops of the model. Each inner loop runs over contiguous floats with no reduction across
 * iterations, the shape the JIT turns into SIMD code; the summation order depends only on the arguments, never on
 * threads, so results are reproducible bit for bit.
 */
final class Kernels {
    static final float LN_EPS = 1e-5f;
    private static final float GELU_K = (float) Math.sqrt(2.0 / Math.PI);

    private Kernels() {}

    /**
     * {@code C[i][j] += sum_{k0 <= k < k1} A(i,k) * B[k][j]} for {@code i < m, j < n}, where
     * {@code A(i,k) = a[aOff + i*ams + k*aks]}, {@code B[k][j] = b[bOff + k*ldb + j]}, {@code C[i][j] = c[cOff + i*ldc + j]}.
     * Blocks of 4 rows and 4 k share loads; every row sums over k in the same order whichever path it takes.
     */
    static void matmulAdd(float[] c, int cOff, int ldc, float[] a, int aOff, int ams, int aks,
                          float[] b, int bOff, int ldb, int m, int k0, int k1, int n) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            int r0 = aOff + i * ams, r1 = r0 + ams, r2 = r1 + ams, r3 = r2 + ams;
            int k = k0;
            for (; k + 4 <= k1; k += 4) {
                int q0 = k * aks, q1 = q0 + aks, q2 = q1 + aks, q3 = q2 + aks;
                float a00 = a[r0 + q0], a01 = a[r0 + q1], a02 = a[r0 + q2], a03 = a[r0 + q3];
                float a10 = a[r1 + q0], a11 = a[r1 + q1], a12 = a[r1 + q2], a13 = a[r1 + q3];
                float a20 = a[r2 + q0], a21 = a[r2 + q1], a22 = a[r2 + q2], a23 = a[r2 + q3];
                float a30 = a[r3 + q0], a31 = a[r3 + q1], a32 = a[r3 + q2], a33 = a[r3 + q3];
                int b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                for (int j = 0; j < n; j++) {
                    float x0 = b[b0 + j], x1 = b[b1 + j], x2 = b[b2 + j], x3 = b[b3 + j];
                    c[c0 + j] += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
                    c[c1 + j] += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
                    c[c2 + j] += a20 * x0 + a21 * x1 + a22 * x2 + a23 * x3;
                    c[c3 + j] += a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3;
                }
            }
            for (; k < k1; k++) {
                int q = k * aks;
                float a0 = a[r0 + q], a1 = a[r1 + q], a2 = a[r2 + q], a3 = a[r3 + q];
                int b0 = bOff + k * ldb;
                for (int j = 0; j < n; j++) {
                    float x = b[b0 + j];
                    c[c0 + j] += a0 * x;
                    c[c1 + j] += a1 * x;
                    c[c2 + j] += a2 * x;
                    c[c3 + j] += a3 * x;
                }
            }
        }
        for (; i < m; i++) {
            int c0 = cOff + i * ldc;
            int r0 = aOff + i * ams;
            int k = k0;
            for (; k + 4 <= k1; k += 4) {
                int q0 = k * aks;
                float a00 = a[r0 + q0], a01 = a[r0 + q0 + aks], a02 = a[r0 + q0 + 2 * aks], a03 = a[r0 + q0 + 3 * aks];
                int b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                for (int j = 0; j < n; j++) {
                    c[c0 + j] += a00 * b[b0 + j] + a01 * b[b1 + j] + a02 * b[b2 + j] + a03 * b[b3 + j];
                }
            }
            for (; k < k1; k++) {
                float a0 = a[r0 + k * aks];
                int b0 = bOff + k * ldb;
                for (int j = 0; j < n; j++) c[c0 + j] += a0 * b[b0 + j];
            }
        }
    }

    /** {@code out[t][j] = bias[j]} for each of {@code rows} rows of width {@code n} (the start of a linear layer). */
    static void fillRows(float[] out, int off, float[] bias, int bOff, int rows, int n) {
        for (int t = 0; t < rows; t++) System.arraycopy(bias, bOff, out, off + t * n, n);
    }

    /** {@code acc[j] += sum_t x[t][j]} (a bias gradient); rows summed in order. */
    static void addColumnSums(float[] acc, int accOff, float[] x, int xOff, int rows, int n) {
        for (int t = 0; t < rows; t++) {
            int r = xOff + t * n;
            for (int j = 0; j < n; j++) acc[accOff + j] += x[r + j];
        }
    }

    /** LayerNorm of {@code rows} rows of width C; saves mean and 1/std per row for the backward pass. */
    static void layerNorm(float[] out, int oOff, float[] mean, float[] rstd, int sOff,
                          float[] x, int xOff, float[] p, int wOff, int bOff, int rows, int C) {
        for (int t = 0; t < rows; t++) {
            int xr = xOff + t * C, orow = oOff + t * C;
            double s = 0;
            for (int i = 0; i < C; i++) s += x[xr + i];
            float m = (float) (s / C);
            double v = 0;
            for (int i = 0; i < C; i++) {
                float d = x[xr + i] - m;
                v += d * d;
            }
            float r = (float) (1.0 / Math.sqrt(v / C + LN_EPS));
            for (int i = 0; i < C; i++) out[orow + i] = (x[xr + i] - m) * r * p[wOff + i] + p[bOff + i];
            mean[sOff + t] = m;
            rstd[sOff + t] = r;
        }
    }

    /** Backward of {@link #layerNorm}: adds to {@code dx} and to the weight and bias gradients. */
    static void layerNormBackward(float[] dx, int dxOff, float[] dout, int dOff, float[] x, int xOff,
                                  float[] mean, float[] rstd, int sOff, float[] p, int wOff,
                                  float[] g, int gwOff, int gbOff, int rows, int C) {
        for (int t = 0; t < rows; t++) {
            int xr = xOff + t * C, dr = dOff + t * C, dxr = dxOff + t * C;
            float m = mean[sOff + t], r = rstd[sOff + t];
            double sumD = 0, sumDX = 0;
            for (int i = 0; i < C; i++) {
                float xhat = (x[xr + i] - m) * r;
                float dn = dout[dr + i] * p[wOff + i];
                sumD += dn;
                sumDX += dn * xhat;
            }
            float meanD = (float) (sumD / C), meanDX = (float) (sumDX / C);
            for (int i = 0; i < C; i++) {
                float xhat = (x[xr + i] - m) * r;
                float d = dout[dr + i];
                float dn = d * p[wOff + i];
                g[gwOff + i] += d * xhat;
                g[gbOff + i] += d;
                dx[dxr + i] += (dn - meanD - xhat * meanDX) * r;
            }
        }
    }

    /** GELU with the tanh approximation, as GPT-2. */
    static void gelu(float[] out, int oOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float th = tanh(GELU_K * (v + 0.044715f * v * v * v));
            out[oOff + i] = 0.5f * v * (1 + th);
        }
    }

    /** {@code d[i] *= gelu'(x[i])}, in place. */
    static void geluBackward(float[] d, int dOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float u = GELU_K * (v + 0.044715f * v * v * v);
            float th = tanh(u);
            float du = GELU_K * (1 + 3 * 0.044715f * v * v);
            float grad = 0.5f * (1 + th) + 0.5f * v * (1 - th * th) * du;
            d[dOff + i] *= grad;
        }
    }

    /** tanh through one exp, much faster than {@link Math#tanh} and accurate to float precision. */
    static float tanh(float u) {
        if (u > 15f) return 1f;
        if (u < -15f) return -1f;
        double e = Math.exp(2.0 * u);
        return (float) ((e - 1) / (e + 1));
    }

    /** Sum of {@code x[off..off+n)} with 4 running partial sums (a fixed order). */
    static double sum(float[] x, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += x[off + i];
            s1 += x[off + i + 1];
            s2 += x[off + i + 2];
            s3 += x[off + i + 3];
        }
        for (; i < n; i++) s0 += x[off + i];
        return (s0 + s1) + (s2 + s3);
    }
}
