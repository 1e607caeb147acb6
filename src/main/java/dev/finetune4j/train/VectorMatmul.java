package dev.finetune4j.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels#matmulAdd} with explicit SIMD vectors, used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}. Auto-vectorised loops must load and store C on every multiply-add;
 * here a tile of C (four rows by two vectors) stays in registers for the whole sum over k, so each loaded B vector
 * feeds four rows and nothing goes back to memory until the tile is done.
 *
 * <p>Results are bit-identical to {@link Kernels#portableMatmulAdd}: each element is the same chain of fused
 * multiply-adds over k in increasing order, starting from C's value. Only this class touches the incubator module,
 * and it is loaded only when {@link Kernels#SIMD} found the module present.
 *
 * <p>Each tile shape is its own small method: the JIT compiles them separately, and a shape seen late (a ragged
 * tail, say) does not throw away the compiled code of the others. That matters because Vector API code runs very
 * slowly until it is compiled: with every shape in one method, warming up took 1.6 times as long.
 */
final class VectorMatmul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorMatmul() {}

    static void matmulAdd(float[][] c, int c0, float[][] a, int a0, int aCol, boolean aT,
                          float[][] b, int b0, int m, int k0, int k1, int n) {
        int kn = k1 - k0;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            float[] r0 = c[c0 + i], r1 = c[c0 + i + 1], r2 = c[c0 + i + 2], r3 = c[c0 + i + 3];
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) tile4x2(r0, r1, r2, r3, j, a, a0, aCol, aT, i, b, b0, k0, kn);
            if (j + L <= n) {
                tile4x1(r0, r1, r2, r3, j, a, a0, aCol, aT, i, b, b0, k0, kn);
                j += L;
            }
            if (j < n) tail(c, c0 + i, 4, j, n, a, a0, aCol, aT, i, b, b0, k0, kn);
        }
        for (; i < m; i++) {
            float[] r = c[c0 + i];
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) tile1x4(r, j, a, a0, aCol, aT, i, b, b0, k0, kn);
            for (; j + L <= n; j += L) tile1x1(r, j, a, a0, aCol, aT, i, b, b0, k0, kn);
            if (j < n) tail(c, c0 + i, 1, j, n, a, a0, aCol, aT, i, b, b0, k0, kn);
        }
    }

    private static void tile4x2(float[] r0, float[] r1, float[] r2, float[] r3, int j, float[][] a, int a0, int aCol,
                                boolean aT, int i, float[][] b, int b0, int k0, int kn) {
        FloatVector s00 = FloatVector.fromArray(S, r0, j), s01 = FloatVector.fromArray(S, r0, j + L);
        FloatVector s10 = FloatVector.fromArray(S, r1, j), s11 = FloatVector.fromArray(S, r1, j + L);
        FloatVector s20 = FloatVector.fromArray(S, r2, j), s21 = FloatVector.fromArray(S, r2, j + L);
        FloatVector s30 = FloatVector.fromArray(S, r3, j), s31 = FloatVector.fromArray(S, r3, j + L);
        for (int k = 0; k < kn; k++) {
            float[] q = b[b0 + k0 + k];
            FloatVector u0 = FloatVector.fromArray(S, q, j), u1 = FloatVector.fromArray(S, q, j + L);
            FloatVector x0 = FloatVector.broadcast(S, at(a, a0, aCol, aT, i, k0 + k));
            FloatVector x1 = FloatVector.broadcast(S, at(a, a0, aCol, aT, i + 1, k0 + k));
            FloatVector x2 = FloatVector.broadcast(S, at(a, a0, aCol, aT, i + 2, k0 + k));
            FloatVector x3 = FloatVector.broadcast(S, at(a, a0, aCol, aT, i + 3, k0 + k));
            s00 = u0.fma(x0, s00);
            s01 = u1.fma(x0, s01);
            s10 = u0.fma(x1, s10);
            s11 = u1.fma(x1, s11);
            s20 = u0.fma(x2, s20);
            s21 = u1.fma(x2, s21);
            s30 = u0.fma(x3, s30);
            s31 = u1.fma(x3, s31);
        }
        s00.intoArray(r0, j);
        s01.intoArray(r0, j + L);
        s10.intoArray(r1, j);
        s11.intoArray(r1, j + L);
        s20.intoArray(r2, j);
        s21.intoArray(r2, j + L);
        s30.intoArray(r3, j);
        s31.intoArray(r3, j + L);
    }

    private static void tile4x1(float[] r0, float[] r1, float[] r2, float[] r3, int j, float[][] a, int a0, int aCol,
                                boolean aT, int i, float[][] b, int b0, int k0, int kn) {
        FloatVector s0 = FloatVector.fromArray(S, r0, j), s1 = FloatVector.fromArray(S, r1, j);
        FloatVector s2 = FloatVector.fromArray(S, r2, j), s3 = FloatVector.fromArray(S, r3, j);
        for (int k = 0; k < kn; k++) {
            FloatVector u = FloatVector.fromArray(S, b[b0 + k0 + k], j);
            s0 = u.fma(FloatVector.broadcast(S, at(a, a0, aCol, aT, i, k0 + k)), s0);
            s1 = u.fma(FloatVector.broadcast(S, at(a, a0, aCol, aT, i + 1, k0 + k)), s1);
            s2 = u.fma(FloatVector.broadcast(S, at(a, a0, aCol, aT, i + 2, k0 + k)), s2);
            s3 = u.fma(FloatVector.broadcast(S, at(a, a0, aCol, aT, i + 3, k0 + k)), s3);
        }
        s0.intoArray(r0, j);
        s1.intoArray(r1, j);
        s2.intoArray(r2, j);
        s3.intoArray(r3, j);
    }

    private static void tile1x4(float[] r, int j, float[][] a, int a0, int aCol, boolean aT, int i,
                                float[][] b, int b0, int k0, int kn) {
        FloatVector s0 = FloatVector.fromArray(S, r, j), s1 = FloatVector.fromArray(S, r, j + L);
        FloatVector s2 = FloatVector.fromArray(S, r, j + 2 * L), s3 = FloatVector.fromArray(S, r, j + 3 * L);
        for (int k = 0; k < kn; k++) {
            float[] q = b[b0 + k0 + k];
            FloatVector x = FloatVector.broadcast(S, at(a, a0, aCol, aT, i, k0 + k));
            s0 = FloatVector.fromArray(S, q, j).fma(x, s0);
            s1 = FloatVector.fromArray(S, q, j + L).fma(x, s1);
            s2 = FloatVector.fromArray(S, q, j + 2 * L).fma(x, s2);
            s3 = FloatVector.fromArray(S, q, j + 3 * L).fma(x, s3);
        }
        s0.intoArray(r, j);
        s1.intoArray(r, j + L);
        s2.intoArray(r, j + 2 * L);
        s3.intoArray(r, j + 3 * L);
    }

    private static void tile1x1(float[] r, int j, float[][] a, int a0, int aCol, boolean aT, int i,
                                float[][] b, int b0, int k0, int kn) {
        FloatVector s = FloatVector.fromArray(S, r, j);
        for (int k = 0; k < kn; k++) {
            FloatVector x = FloatVector.broadcast(S, at(a, a0, aCol, aT, i, k0 + k));
            s = FloatVector.fromArray(S, b[b0 + k0 + k], j).fma(x, s);
        }
        s.intoArray(r, j);
    }

    /** Columns {@code j0..n}, fewer than a vector, of {@code rows} C rows from {@code c[ci]}: scalar, same order. */
    private static void tail(float[][] c, int ci, int rows, int j0, int n, float[][] a, int a0, int aCol,
                             boolean aT, int i, float[][] b, int b0, int k0, int kn) {
        for (int r = 0; r < rows; r++) {
            float[] cr = c[ci + r];
            for (int k = 0; k < kn; k++) {
                float x = at(a, a0, aCol, aT, i + r, k0 + k);
                float[] q = b[b0 + k0 + k];
                for (int j = j0; j < n; j++) cr[j] = Math.fma(x, q[j], cr[j]);
            }
        }
    }

    private static float at(float[][] a, int a0, int aCol, boolean aT, int i, int k) {
        return aT ? a[a0 + k][aCol + i] : a[a0 + i][aCol + k];
    }
}
