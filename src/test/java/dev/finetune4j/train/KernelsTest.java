package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelsTest {
    @Test
    void expIsWithinTwoTenMillionthsOfMathExp() {
        Random random = new Random(7);
        float[] a = new float[300], scratch = new float[300];
        float[] x = new float[300];
        double worst = 0;
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < a.length; i++) a[i] = x[i] = random.nextFloat() * 170 - 85; // e^-85 .. e^85
            Kernels.exp(a, a.length, 1f, 0f, scratch);
            for (int i = 0; i < a.length; i++) {
                double want = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(a[i] - want) / want);
            }
        }
        assertThat(worst).isLessThan(2e-7);
    }

    @Test
    void expAppliesScaleAndShiftAndUnderflowsToZero() {
        float[] a = {3f, 1f, -1000f, 2f}, scratch = new float[4];
        Kernels.exp(a, 3, 0.5f, 1f, scratch);
        assertThat(a[0]).isCloseTo((float) Math.exp(1.0), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(a[1]).isEqualTo(1f);
        assertThat(a[2]).isLessThan(1e-37f).isGreaterThanOrEqualTo(0f);
        assertThat(a[3]).as("beyond len untouched").isEqualTo(2f);
    }

    @Test
    void softmaxRowSumsToOneAndZeroesTheTail() {
        float[] row = {1f, 2f, 3f, 9f, 9f}, scratch = new float[5];
        Kernels.softmaxRow(row, 3, 5, 1f, scratch);
        double e1 = Math.exp(-2), e2 = Math.exp(-1), sum = e1 + e2 + 1;
        assertThat((double) row[0]).isCloseTo(e1 / sum, org.assertj.core.data.Offset.offset(1e-7));
        assertThat((double) row[2]).isCloseTo(1 / sum, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(row[3]).isZero();
        assertThat(row[4]).isZero();
    }

    @Test
    void matmulGivesTheSameBitsForEveryRowSplitAndBothLayoutsOfA() {
        Random random = new Random(3);
        int m = 11, k = 37, n = 29;
        float[][] a = new float[m][k], aT = new float[k][m], b = new float[k][n];
        for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) aT[j][i] = a[i][j] = random.nextFloat() - 0.5f;
        for (float[] row : b) for (int j = 0; j < n; j++) row[j] = random.nextFloat() - 0.5f;
        float[][] whole = new float[m][n], split = new float[m][n], transposed = new float[m][n];
        Kernels.matmulAdd(whole, 0, a, 0, 0, false, b, 0, m, 0, k, n);
        for (int i = 0; i < m; i++) Kernels.matmulAdd(split, i, a, i, 0, false, b, 0, 1, 0, k, n); // one row at a time
        Kernels.matmulAdd(transposed, 0, aT, 0, 0, true, b, 0, m, 0, k, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int q = 0; q < k; q++) want += (double) a[i][q] * b[q][j];
                assertThat((double) whole[i][j]).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5));
            }
            assertThat(split[i]).containsExactly(whole[i]);
            assertThat(transposed[i]).containsExactly(whole[i]);
        }
    }

    @Test
    void vectorKernelGivesTheBitsOfThePortableKernel() {
        assumeTrue(Kernels.SIMD, "the JVM runs without --add-modules jdk.incubator.vector");
        Random random = new Random(5);
        int[][] shapes = {{1, 64, 192}, {3, 64, 259}, {4, 5, 16}, {7, 33, 31}, {11, 37, 64}, {13, 128, 100},
                {32, 32, 97}, {64, 128, 256}, {128, 64, 192}, {5, 1, 300}, {8, 16, 1}};
        for (int[] shape : shapes) {
            int m = shape[0], k = shape[1], n = shape[2];
            for (boolean transposedA : new boolean[] {false, true}) {
                // offsets into A and C, a column offset into A, and a sub-range of k, as the transformer uses them
                float[][] a = transposedA ? fill(random, k + 2, m + 3) : fill(random, m + 2, k + 3);
                float[][] b = fill(random, k + 1, n);
                float[][] portable = fill(random, m + 1, n), vector = new float[m + 1][];
                for (int i = 0; i <= m; i++) vector[i] = portable[i].clone();
                int kFrom = k > 2 ? 1 : 0;
                Kernels.portableMatmulAdd(portable, 1, a, 2, 3, transposedA, b, 1, m, kFrom, k, n);
                VectorMatmul.matmulAdd(vector, 1, a, 2, 3, transposedA, b, 1, m, kFrom, k, n);
                for (int i = 0; i <= m; i++) {
                    assertThat(vector[i]).as("m=%d k=%d n=%d aT=%b row %d", m, k, n, transposedA, i)
                            .containsExactly(portable[i]);
                }
            }
        }
    }

    private static float[][] fill(Random random, int rows, int cols) {
        float[][] x = new float[rows][cols];
        for (float[] row : x) for (int j = 0; j < cols; j++) row[j] = random.nextFloat() - 0.5f;
        return x;
    }
}
