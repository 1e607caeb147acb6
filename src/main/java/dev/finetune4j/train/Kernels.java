package dev.finetune4j.train;

/**
 * The numeric loops of the model over rows ({@code float[][]}). Every inner loop reads and writes whole arrays
 * from index 0 with no reduction across iterations, which is the form the JIT turns into SIMD code (it does not
 * vectorise loops whose arrays are indexed from different offsets). Summation orders depend only on the arguments,
 * never on threads, so results are reproducible bit for bit.
 */
final class Kernels {
    static final float LN_EPS = 1e-5f;
    private static final float GELU_K = (float) Math.sqrt(2.0 / Math.PI);
    /** Beyond this, the rational tanh below is 1 in float precision. */
    private static final float TANH_CLAMP = 7.90531110763549805f;
    /** Floats of B kept hot while a block of k is applied to every row of C. */
    private static final int BLOCK_FLOATS = 4096;
    /**
     * Whether matrix products go to {@link VectorMatmul}: when the JVM runs with
     * {@code --add-modules jdk.incubator.vector} (the project's scripts, kernels and benchmarks do), unless
     * {@code -Dfinetune4j.simd=false}. Both kernels give bit-identical results, so this changes speed only.
     */
    static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("finetune4j.simd"));

    private Kernels() {}

    /**
     * {@code C[i][j] += sum_{k0 <= k < k1} A(i,k) * B[k][j]} for {@code i < m, j < n}, with C row i =
     * {@code c[c0 + i]}, B row k = {@code b[b0 + k]}, and {@code A(i,k) = a[a0 + i][aCol + k]}, or
     * {@code a[a0 + k][aCol + i]} when {@code aT}. Each element is one chain of fused multiply-adds over k in order,
     * so the result does not depend on how the caller splits rows. Runs on {@link VectorMatmul} or
     * {@link #portableMatmulAdd} (see {@link #SIMD}).
     */
    static void matmulAdd(float[][] c, int c0, float[][] a, int a0, int aCol, boolean aT,
                          float[][] b, int b0, int m, int k0, int k1, int n) {
        if (SIMD) {
            VectorMatmul.matmulAdd(c, c0, a, a0, aCol, aT, b, b0, m, k0, k1, n);
        } else {
            portableMatmulAdd(c, c0, a, a0, aCol, aT, b, b0, m, k0, k1, n);
        }
    }

    /**
     * {@link #matmulAdd} in loops the JIT auto-vectorises, for JVMs without the Vector API module.
     *
     * <p>Four C rows take two B rows per pass: each loaded B element feeds four rows, and the four rows are
     * independent chains of multiply-adds the processor overlaps. Larger tiles would reuse more, but C2 only
     * unrolls (and so vectorises) loop bodies below a small node count: 4x2 is the largest tile that stays
     * vectorised (4x3, 5x2 and 2x4 fall back to scalar code, 3x as slow), and {@code Math.fma} is one node where
     * {@code a * b + c} is two.
     */
    static void portableMatmulAdd(float[][] c, int c0, float[][] a, int a0, int aCol, boolean aT,
                                  float[][] b, int b0, int m, int k0, int k1, int n) {
        int kBlock = Math.max(4, (BLOCK_FLOATS / Math.max(1, n)) & ~3);
        for (int kb = k0; kb < k1; kb += kBlock) {
            int ke = Math.min(k1, kb + kBlock);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                float[] c0r = c[c0 + i], c1r = c[c0 + i + 1], c2r = c[c0 + i + 2], c3r = c[c0 + i + 3];
                int k = kb;
                for (; k + 2 <= ke; k += 2) {
                    float x00 = aAt(a, a0, aCol, aT, i, k), x01 = aAt(a, a0, aCol, aT, i, k + 1);
                    float x10 = aAt(a, a0, aCol, aT, i + 1, k), x11 = aAt(a, a0, aCol, aT, i + 1, k + 1);
                    float x20 = aAt(a, a0, aCol, aT, i + 2, k), x21 = aAt(a, a0, aCol, aT, i + 2, k + 1);
                    float x30 = aAt(a, a0, aCol, aT, i + 3, k), x31 = aAt(a, a0, aCol, aT, i + 3, k + 1);
                    float[] q0 = b[b0 + k], q1 = b[b0 + k + 1];
                    for (int j = 0; j < n; j++) {
                        float u0 = q0[j], u1 = q1[j];
                        c0r[j] = Math.fma(x01, u1, Math.fma(x00, u0, c0r[j]));
                        c1r[j] = Math.fma(x11, u1, Math.fma(x10, u0, c1r[j]));
                        c2r[j] = Math.fma(x21, u1, Math.fma(x20, u0, c2r[j]));
                        c3r[j] = Math.fma(x31, u1, Math.fma(x30, u0, c3r[j]));
                    }
                }
                if (k < ke) {
                    float x0 = aAt(a, a0, aCol, aT, i, k), x1 = aAt(a, a0, aCol, aT, i + 1, k);
                    float x2 = aAt(a, a0, aCol, aT, i + 2, k), x3 = aAt(a, a0, aCol, aT, i + 3, k);
                    float[] q = b[b0 + k];
                    for (int j = 0; j < n; j++) {
                        float u = q[j];
                        c0r[j] = Math.fma(x0, u, c0r[j]);
                        c1r[j] = Math.fma(x1, u, c1r[j]);
                        c2r[j] = Math.fma(x2, u, c2r[j]);
                        c3r[j] = Math.fma(x3, u, c3r[j]);
                    }
                }
            }
            for (; i + 2 <= m; i += 2) {
                float[] ca = c[c0 + i], cb = c[c0 + i + 1];
                int k = kb;
                for (; k + 2 <= ke; k += 2) {
                    float xa0 = aAt(a, a0, aCol, aT, i, k), xa1 = aAt(a, a0, aCol, aT, i, k + 1);
                    float xb0 = aAt(a, a0, aCol, aT, i + 1, k), xb1 = aAt(a, a0, aCol, aT, i + 1, k + 1);
                    float[] q0 = b[b0 + k], q1 = b[b0 + k + 1];
                    for (int j = 0; j < n; j++) {
                        float u0 = q0[j], u1 = q1[j];
                        ca[j] = Math.fma(xa1, u1, Math.fma(xa0, u0, ca[j]));
                        cb[j] = Math.fma(xb1, u1, Math.fma(xb0, u0, cb[j]));
                    }
                }
                if (k < ke) {
                    float xa = aAt(a, a0, aCol, aT, i, k), xb = aAt(a, a0, aCol, aT, i + 1, k);
                    float[] q = b[b0 + k];
                    for (int j = 0; j < n; j++) {
                        float u = q[j];
                        ca[j] = Math.fma(xa, u, ca[j]);
                        cb[j] = Math.fma(xb, u, cb[j]);
                    }
                }
            }
            if (i < m) {
                float[] ci = c[c0 + i];
                int k = kb;
                for (; k + 2 <= ke; k += 2) {
                    float x0 = aAt(a, a0, aCol, aT, i, k), x1 = aAt(a, a0, aCol, aT, i, k + 1);
                    float[] q0 = b[b0 + k], q1 = b[b0 + k + 1];
                    for (int j = 0; j < n; j++) ci[j] = Math.fma(x1, q1[j], Math.fma(x0, q0[j], ci[j]));
                }
                if (k < ke) {
                    float x = aAt(a, a0, aCol, aT, i, k);
                    float[] q = b[b0 + k];
                    for (int j = 0; j < n; j++) ci[j] = Math.fma(x, q[j], ci[j]);
                }
            }
        }
    }

    private static float aAt(float[][] a, int a0, int aCol, boolean aT, int i, int k) {
        return aT ? a[a0 + k][aCol + i] : a[a0 + i][aCol + k];
    }

    /** {@code c[j] += a[j]} for {@code j < n}. */
    static void add(float[] c, float[] a, int n) {
        for (int j = 0; j < n; j++) c[j] += a[j];
    }

    /** {@code out[i] = LayerNorm(x[i])} for rows {@code i < rows}, saving mean and 1/std per row. */
    static void layerNorm(float[][] out, int o0, float[] mean, float[] rstd, int s0, float[][] x, int x0,
                          float[] w, float[] bias, int rows) {
        for (int t = 0; t < rows; t++) {
            float[] xr = x[x0 + t], orow = out[o0 + t];
            int C = w.length;
            double s = 0;
            for (int i = 0; i < C; i++) s += xr[i];
            float m = (float) (s / C);
            double v = 0;
            for (int i = 0; i < C; i++) {
                float d = xr[i] - m;
                v += d * d;
            }
            float r = (float) (1.0 / Math.sqrt(v / C + LN_EPS));
            for (int i = 0; i < C; i++) orow[i] = (xr[i] - m) * r * w[i] + bias[i];
            mean[s0 + t] = m;
            rstd[s0 + t] = r;
        }
    }

    /** Backward of {@link #layerNorm}: adds to {@code dx} and to the weight and bias gradients. */
    static void layerNormBackward(float[][] dx, float[][] dout, float[][] x, int x0, float[] mean, float[] rstd, int s0,
                                  float[] w, float[] gw, float[] gb, int rows) {
        int C = w.length;
        for (int t = 0; t < rows; t++) {
            float[] xr = x[x0 + t], dr = dout[t], dxr = dx[t];
            float m = mean[s0 + t], r = rstd[s0 + t];
            double sumD = 0, sumDX = 0;
            for (int i = 0; i < C; i++) {
                float xhat = (xr[i] - m) * r;
                float dn = dr[i] * w[i];
                sumD += dn;
                sumDX += dn * xhat;
            }
            float meanD = (float) (sumD / C), meanDX = (float) (sumDX / C);
            for (int i = 0; i < C; i++) {
                float xhat = (xr[i] - m) * r;
                float d = dr[i];
                gw[i] += d * xhat;
                gb[i] += d;
                dxr[i] += (d * w[i] - meanD - xhat * meanDX) * r;
            }
        }
    }

    /** GELU with the tanh approximation, as GPT-2; keeps the tanh values for the backward pass. */
    static void gelu(float[] out, float[] tanhOut, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[i];
            float th = tanh(GELU_K * (v + 0.044715f * v * v * v));
            tanhOut[i] = th;
            out[i] = 0.5f * v * (1 + th);
        }
    }

    /** {@code d[i] *= gelu'(x[i])}, in place, given the tanh values saved by {@link #gelu}. */
    static void geluBackward(float[] d, float[] x, float[] th, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[i], t = th[i];
            float du = GELU_K * (1 + 3 * 0.044715f * v * v);
            d[i] *= 0.5f * (1 + t) + 0.5f * v * (1 - t * t) * du;
        }
    }

    /**
     * tanh as a rational function of degree 13/6 (Eigen's float tanh), within 3e-7 of {@link Math#tanh}: only
     * multiply-adds, a division and a clamp, so the loops calling it are vectorised, unlike a call to {@link Math#exp}.
     */
    static float tanh(float u) {
        float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, u));
        float x2 = x * x;
        float p = Math.fma(x2, -2.76076847742355e-16f, 2.00018790482477e-13f);
        p = Math.fma(x2, p, -8.60467152213735e-11f);
        p = Math.fma(x2, p, 5.12229709037114e-08f);
        p = Math.fma(x2, p, 1.48572235717979e-05f);
        p = Math.fma(x2, p, 6.37261928875436e-04f);
        p = Math.fma(x2, p, 4.89352455891786e-03f);
        float q = Math.fma(x2, 1.19825839466702e-06f, 1.18534705686654e-04f);
        q = Math.fma(x2, q, 2.26843463243900e-03f);
        q = Math.fma(x2, q, 4.89352518554385e-03f);
        return x * p / q;
    }

    /**
     * In place: {@code row[0..len) = softmax(scale * row[0..len))}, {@code row[len..n) = 0}; {@code scratch} holds
     * at least {@code len} floats.
     */
    static void softmaxRow(float[] a, int len, int n, float scale, float[] scratch) {
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < len; s++) max = Math.max(max, a[s]);
        exp(a, len, scale, max, scratch);
        double sum = 0;
        for (int s = 0; s < len; s++) sum += a[s];
        float inv = (float) (1.0 / sum);
        for (int s = 0; s < len; s++) a[s] *= inv;
        for (int s = len; s < n; s++) a[s] = 0f;
    }

    /** 1.5 * 2^23: adding it to a float of magnitude below 2^22 rounds it to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B400000;

    /**
     * In place: {@code a[s] = exp(scale * (a[s] - shift))} for {@code s < len}, for arguments at most ~88, within
     * 2e-7 relative of {@link Math#exp} (results below 2^-126 flush to zero). Cephes' expf: {@code x = n ln2 + r},
     * a degree-6 polynomial for {@code e^r}, times {@code 2^n} built from its bits. Two loops because C2
     * vectorises the polynomial only when the float-to-bits step is in a loop of its own; a call to
     * {@link Math#exp} is never vectorised and costs four times as much.
     */
    static void exp(float[] a, int len, float scale, float shift, float[] scratch) {
        for (int s = 0; s < len; s++) {
            float x = Math.max(-87.3f, scale * (a[s] - shift));
            float fx = Math.fma(x, 1.44269504088896341f, ROUNDER); // n + ROUNDER, n = round(x / ln 2)
            float fn = fx - ROUNDER;
            float r = Math.fma(fn, -0.693359375f, x);               // ln 2 in two parts keeps r exact
            r = Math.fma(fn, 2.12194440e-4f, r);
            float p = Math.fma(1.9875691500e-4f, r, 1.3981999507e-3f);
            p = Math.fma(p, r, 8.3334519073e-3f);
            p = Math.fma(p, r, 4.1665795894e-2f);
            p = Math.fma(p, r, 1.6666665459e-1f);
            p = Math.fma(p, r, 5.0000001201e-1f);
            a[s] = Math.fma(p, r * r, r) + 1f;
            scratch[s] = fx;
        }
        for (int s = 0; s < len; s++) {
            a[s] *= Float.intBitsToFloat((Float.floatToRawIntBits(scratch[s]) - ROUNDER_BITS + 127) << 23);
        }
    }

    static void zero(float[][] rows, int r0, int count, int n) {
        for (int i = 0; i < count; i++) java.util.Arrays.fill(rows[r0 + i], 0, n, 0f);
    }
}
