package dev.finetune4j.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where each named tensor lives. Names and shapes follow GPT-2 ({@code wte.weight}, {@code wpe.weight},
 * {@code h.0.ln_1.weight}, {@code h.0.attn.c_attn.weight} [dim, 3*dim], ...); matrices are stored [in, out] as
 * GPT-2's Conv1D does, so {@code y = x W + b}.
 *
 * <p>Values are held as rows ({@code float[][]}): a matrix [r, c] is r arrays of c floats, a vector is one array.
 * Every inner loop of the engine then runs over whole arrays from index 0, the shape the JIT vectorises.
 */
final class Layout {
    /** A tensor: name, first row, shape; weight decay applies to 2-D tensors. */
    record Tensor(String name, int row, int[] shape) {
        int rows() {
            return shape.length == 2 ? shape[0] : 1;
        }

        int cols() {
            return shape[shape.length - 1];
        }

        int size() {
            return rows() * cols();
        }

        boolean decays() {
            return shape.length >= 2;
        }
    }

    final GptConfig config;
    final int size;
    final int rowCount;
    final List<Tensor> tensors;
    /** Row indices into the parameter rows. */
    final int wte, wpe, lnfW, lnfB;
    final int[] ln1W, ln1B, attnW, attnB, projW, projB, ln2W, ln2B, fcW, fcB, fcProjW, fcProjB;
    /** Row indices of the transposed copies (used by the backward pass and the head). */
    final int[] attnWT, projWT, fcWT, fcProjWT;
    final int wteT;
    private final int[] transposedCols;
    /** Per tensor, the first row of its transposed copy, or -1. */
    private final int[] transposedRowOf;

    Layout(GptConfig c) {
        this.config = c;
        int C = c.dim(), L = c.layers(), V = c.vocabSize(), T = c.contextLength();
        List<Tensor> list = new ArrayList<>();
        int[] row = {0};
        wte = add(list, row, "wte.weight", V, C);
        wpe = add(list, row, "wpe.weight", T, C);
        ln1W = new int[L]; ln1B = new int[L]; attnW = new int[L]; attnB = new int[L]; projW = new int[L]; projB = new int[L];
        ln2W = new int[L]; ln2B = new int[L]; fcW = new int[L]; fcB = new int[L]; fcProjW = new int[L]; fcProjB = new int[L];
        for (int l = 0; l < L; l++) {
            String p = "h." + l + ".";
            ln1W[l] = add(list, row, p + "ln_1.weight", C);
            ln1B[l] = add(list, row, p + "ln_1.bias", C);
            attnW[l] = add(list, row, p + "attn.c_attn.weight", C, 3 * C);
            attnB[l] = add(list, row, p + "attn.c_attn.bias", 3 * C);
            projW[l] = add(list, row, p + "attn.c_proj.weight", C, C);
            projB[l] = add(list, row, p + "attn.c_proj.bias", C);
            ln2W[l] = add(list, row, p + "ln_2.weight", C);
            ln2B[l] = add(list, row, p + "ln_2.bias", C);
            fcW[l] = add(list, row, p + "mlp.c_fc.weight", C, 4 * C);
            fcB[l] = add(list, row, p + "mlp.c_fc.bias", 4 * C);
            fcProjW[l] = add(list, row, p + "mlp.c_proj.weight", 4 * C, C);
            fcProjB[l] = add(list, row, p + "mlp.c_proj.bias", C);
        }
        lnfW = add(list, row, "ln_f.weight", C);
        lnfB = add(list, row, "ln_f.bias", C);
        rowCount = row[0];
        tensors = Collections.unmodifiableList(list);
        int s = 0;
        for (Tensor t : list) s += t.size();
        size = s;

        attnWT = new int[L]; projWT = new int[L]; fcWT = new int[L]; fcProjWT = new int[L];
        List<Integer> cols = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            attnWT[l] = cols.size();
            for (int i = 0; i < 3 * C; i++) cols.add(C);
            projWT[l] = cols.size();
            for (int i = 0; i < C; i++) cols.add(C);
            fcWT[l] = cols.size();
            for (int i = 0; i < 4 * C; i++) cols.add(C);
            fcProjWT[l] = cols.size();
            for (int i = 0; i < C; i++) cols.add(4 * C);
        }
        wteT = cols.size();
        for (int i = 0; i < C; i++) cols.add(V);
        transposedCols = cols.stream().mapToInt(Integer::intValue).toArray();
        transposedRowOf = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
            int r = list.get(i).row();
            transposedRowOf[i] = r == wte ? wteT : -1;
            for (int l = 0; l < L; l++) {
                if (r == attnW[l]) transposedRowOf[i] = attnWT[l];
                if (r == projW[l]) transposedRowOf[i] = projWT[l];
                if (r == fcW[l]) transposedRowOf[i] = fcWT[l];
                if (r == fcProjW[l]) transposedRowOf[i] = fcProjWT[l];
            }
        }
    }

    private static int add(List<Tensor> list, int[] row, String name, int... shape) {
        Tensor t = new Tensor(name, row[0], shape);
        list.add(t);
        row[0] += t.rows();
        return t.row();
    }

    /** Zeroed rows shaped like the parameters (for gradients and optimizer moments). */
    float[][] newRows() {
        float[][] r = new float[rowCount][];
        for (Tensor t : tensors) {
            for (int i = 0; i < t.rows(); i++) r[t.row() + i] = new float[t.cols()];
        }
        return r;
    }

    /** Zeroed rows for the transposed copies. */
    float[][] newTransposedRows() {
        float[][] r = new float[transposedCols.length][];
        for (int i = 0; i < r.length; i++) r[i] = new float[transposedCols[i]];
        return r;
    }

    /** Writes into {@code out} the transposed copies of the matrices of {@code p}. */
    void transpose(float[][] p, float[][] out) {
        for (int i = 0; i < tensors.size(); i++) transposeTensor(i, p, out);
    }

    /** Writes into {@code out} the transposed copy of tensor {@code index} of {@code p}, if it has one. */
    void transposeTensor(int index, float[][] p, float[][] out) {
        Tensor t = tensors.get(index);
        int dst = transposedRowOf[index];
        if (dst >= 0) transpose(p, t.row(), t.rows(), out, dst);
    }

    private static void transpose(float[][] src, int srcRow, int rows, float[][] dst, int dstRow) {
        int cols = src[srcRow].length;
        for (int c = 0; c < cols; c++) {
            float[] d = dst[dstRow + c];
            for (int r = 0; r < rows; r++) d[r] = src[srcRow + r][c];
        }
    }

    /** Copies the rows of {@code t} into one flat array. */
    static float[] flatten(float[][] rows, Tensor t) {
        float[] out = new float[t.size()];
        for (int i = 0; i < t.rows(); i++) System.arraycopy(rows[t.row() + i], 0, out, i * t.cols(), t.cols());
        return out;
    }

    /** Copies a flat array into the rows of {@code t}. */
    static void unflatten(float[] flat, float[][] rows, Tensor t) {
        for (int i = 0; i < t.rows(); i++) System.arraycopy(flat, i * t.cols(), rows[t.row() + i], 0, t.cols());
    }
}
