package dev.finetune4j.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels#matmulAdd} with explicit SIMD vectors, used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}. Auto-vectorised loops must load and store C on every multiply-add;
 * here a tile of C (four rows by two vectors) stays in registers for the whole sum over k, so each loaded B vector
 * feeds four rows and nothing goes back to memory until the tile is done.
 *
 * <p>Results are bit-identical to {@link Kernels#matmulAdd}: each element is the same chain of fused multiply-adds
 * over k in increasing order, starting from C's value. Only this class touches the incubator module, and it is
 * loaded only when {@link Kernels} found the module present.
 */
final class VectorMatmul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMatmul() {}

    static void matmulAdd(float[][] c, int c0, float[][] a, int a0, int aCol, boolean aT,
                          float[][] b, int b0, int m, int k0, int k1, int n) {
        int L = S.length();
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            float[] r0 = c[c0 + i], r1 = c[c0 + i + 1], r2 = c[c0 + i + 2], r3 = c[c0 + i + 3];
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                FloatVector s00 = FloatVector.fromArray(S, r0, j), s01 = FloatVector.fromArray(S, r0, j + L);
                FloatVector s10 = FloatVector.fromArray(S, r1, j), s11 = FloatVector.fromArray(S, r1, j + L);
                FloatVector s20 = FloatVector.fromArray(S, r2, j), s21 = FloatVector.fromArray(S, r2, j + L);
                FloatVector s30 = FloatVector.fromArray(S, r3, j), s31 = FloatVector.fromArray(S, r3, j + L);
                for (int k = k0; k < k1; k++) {
                    float[] q = b[b0 + k];
                    FloatVector u0 = FloatVector.fromArray(S, q, j), u1 = FloatVector.fromArray(S, q, j + L);
                    float x0, x1, x2, x3;
                    if (aT) {
                        float[] ar = a[a0 + k];
                        x0 = ar[aCol + i]; x1 = ar[aCol + i + 1]; x2 = ar[aCol + i + 2]; x3 = ar[aCol + i + 3];
                    } else {
                        x0 = a[a0 + i][aCol + k]; x1 = a[a0 + i + 1][aCol + k];
                        x2 = a[a0 + i + 2][aCol + k]; x3 = a[a0 + i + 3][aCol + k];
                    }
                    s00 = u0.fma(FloatVector.broadcast(S, x0), s00); s01 = u1.fma(FloatVector.broadcast(S, x0), s01);
                    s10 = u0.fma(FloatVector.broadcast(S, x1), s10); s11 = u1.fma(FloatVector.broadcast(S, x1), s11);
                    s20 = u0.fma(FloatVector.broadcast(S, x2), s20); s21 = u1.fma(FloatVector.broadcast(S, x2), s21);
                    s30 = u0.fma(FloatVector.broadcast(S, x3), s30); s31 = u1.fma(FloatVector.broadcast(S, x3), s31);
                }
                s00.intoArray(r0, j); s01.intoArray(r0, j + L);
                s10.intoArray(r1, j); s11.intoArray(r1, j + L);
                s20.intoArray(r2, j); s21.intoArray(r2, j + L);
                s30.intoArray(r3, j); s31.intoArray(r3, j + L);
            }
            for (; j + L <= n; j += L) {
                FloatVector s0 = FloatVector.fromArray(S, r0, j), s1 = FloatVector.fromArray(S, r1, j);
                FloatVector s2 = FloatVector.fromArray(S, r2, j), s3 = FloatVector.fromArray(S, r3, j);
                for (int k = k0; k < k1; k++) {
                    FloatVector u = FloatVector.fromArray(S, b[b0 + k], j);
                    s0 = u.fma(FloatVector.broadcast(S, at(a, a0, aCol, aT, i, k)), s0);
                    s1 = u.fma(FloatVector.broadcast(S, at(a, a0, aCol, aT, i + 1, k)), s1);
                    s2 = u.fma(FloatVector.broadcast(S, at(a, a0, aCol, aT, i + 2, k)), s2);
                    s3 = u.fma(FloatVector.broadcast(S, at(a, a0, aCol, aT, i + 3, k)), s3);
                }
                s0.intoArray(r0, j); s1.intoArray(r1, j); s2.intoArray(r2, j); s3.intoArray(r3, j);
            }
            if (j < n) {
                for (int r = 0; r < 4; r++) tail(c[c0 + i + r], a, a0, aCol, aT, i + r, b, b0, k0, k1, j, n);
            }
        }
        for (; i < m; i++) {
            float[] r = c[c0 + i];
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) {
                FloatVector s0 = FloatVector.fromArray(S, r, j), s1 = FloatVector.fromArray(S, r, j + L);
                FloatVector s2 = FloatVector.fromArray(S, r, j + 2 * L), s3 = FloatVector.fromArray(S, r, j + 3 * L);
                for (int k = k0; k < k1; k++) {
                    float[] q = b[b0 + k];
                    float x = at(a, a0, aCol, aT, i, k);
                    s0 = FloatVector.fromArray(S, q, j).fma(FloatVector.broadcast(S, x), s0);
                    s1 = FloatVector.fromArray(S, q, j + L).fma(FloatVector.broadcast(S, x), s1);
                    s2 = FloatVector.fromArray(S, q, j + 2 * L).fma(FloatVector.broadcast(S, x), s2);
                    s3 = FloatVector.fromArray(S, q, j + 3 * L).fma(FloatVector.broadcast(S, x), s3);
                }
                s0.intoArray(r, j); s1.intoArray(r, j + L); s2.intoArray(r, j + 2 * L); s3.intoArray(r, j + 3 * L);
            }
            for (; j + L <= n; j += L) {
                FloatVector s = FloatVector.fromArray(S, r, j);
                for (int k = k0; k < k1; k++) s = FloatVector.fromArray(S, b[b0 + k], j).fma(FloatVector.broadcast(S, at(a, a0, aCol, aT, i, k)), s);
                s.intoArray(r, j);
            }
            if (j < n) tail(r, a, a0, aCol, aT, i, b, b0, k0, k1, j, n);
        }
    }

    /** Columns {@code j0..n} of one C row, fewer than a vector: scalar, in the same order. */
    private static void tail(float[] r, float[][] a, int a0, int aCol, boolean aT, int i,
                             float[][] b, int b0, int k0, int k1, int j0, int n) {
        for (int k = k0; k < k1; k++) {
            float x = at(a, a0, aCol, aT, i, k);
            float[] q = b[b0 + k];
            for (int j = j0; j < n; j++) r[j] = Math.fma(x, q[j], r[j]);
        }
    }

    private static float at(float[][] a, int a0, int aCol, boolean aT, int i, int k) {
        return aT ? a[a0 + k][aCol + i] : a[a0 + i][aCol + k];
    }
}
