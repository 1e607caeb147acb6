package dev.finetune4j.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where each named tensor lives in the flat parameter array. Names and shapes follow GPT-2
 * ({@code wte}, {@code wpe}, {@code h.0.ln_1.weight}, {@code h.0.attn.c_attn.weight} [dim, 3*dim], ...): matrices are
 * stored [in, out] as GPT-2's Conv1D does, so {@code y = x W + b}.
 */
final class Layout {
    /** A tensor: name, offset into the flat array, shape, and whether weight decay applies (2-D tensors). */
    record Tensor(String name, int offset, int[] shape) {
        int size() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        boolean decays() {
            return shape.length >= 2;
        }
    }

    final GptConfig config;
    final int size;
    final List<Tensor> tensors;
    final int wte, wpe, lnfW, lnfB;
    final int[] ln1W, ln1B, attnW, attnB, projW, projB, ln2W, ln2B, fcW, fcB, fcProjW, fcProjB;
    /** Offsets of the transposed copies used by the backward pass and the head, in a separate array. */
    final int[] attnWT, projWT, fcWT, fcProjWT;
    final int wteT, transposedSize;

    Layout(GptConfig c) {
        this.config = c;
        int C = c.dim(), L = c.layers(), V = c.vocabSize(), T = c.contextLength();
        List<Tensor> list = new ArrayList<>();
        int[] off = {0};
        wte = add(list, off, "wte.weight", V, C);
        wpe = add(list, off, "wpe.weight", T, C);
        ln1W = new int[L]; ln1B = new int[L]; attnW = new int[L]; attnB = new int[L]; projW = new int[L]; projB = new int[L];
        ln2W = new int[L]; ln2B = new int[L]; fcW = new int[L]; fcB = new int[L]; fcProjW = new int[L]; fcProjB = new int[L];
        for (int l = 0; l < L; l++) {
            String p = "h." + l + ".";
            ln1W[l] = add(list, off, p + "ln_1.weight", C);
            ln1B[l] = add(list, off, p + "ln_1.bias", C);
            attnW[l] = add(list, off, p + "attn.c_attn.weight", C, 3 * C);
            attnB[l] = add(list, off, p + "attn.c_attn.bias", 3 * C);
            projW[l] = add(list, off, p + "attn.c_proj.weight", C, C);
            projB[l] = add(list, off, p + "attn.c_proj.bias", C);
            ln2W[l] = add(list, off, p + "ln_2.weight", C);
            ln2B[l] = add(list, off, p + "ln_2.bias", C);
            fcW[l] = add(list, off, p + "mlp.c_fc.weight", C, 4 * C);
            fcB[l] = add(list, off, p + "mlp.c_fc.bias", 4 * C);
            fcProjW[l] = add(list, off, p + "mlp.c_proj.weight", 4 * C, C);
            fcProjB[l] = add(list, off, p + "mlp.c_proj.bias", C);
        }
        lnfW = add(list, off, "ln_f.weight", C);
        lnfB = add(list, off, "ln_f.bias", C);
        size = off[0];
        tensors = Collections.unmodifiableList(list);

        attnWT = new int[L]; projWT = new int[L]; fcWT = new int[L]; fcProjWT = new int[L];
        int t = 0;
        for (int l = 0; l < L; l++) {
            attnWT[l] = t; t += 3 * C * C;
            projWT[l] = t; t += C * C;
            fcWT[l] = t; t += 4 * C * C;
            fcProjWT[l] = t; t += 4 * C * C;
        }
        wteT = t;
        t += V * C;
        transposedSize = t;
    }

    private static int add(List<Tensor> list, int[] off, String name, int... shape) {
        Tensor t = new Tensor(name, off[0], shape);
        list.add(t);
        off[0] += t.size();
        return t.offset();
    }

    /** Writes into {@code out} the transposed copies of the matrices of {@code params}. */
    void transpose(float[] params, float[] out) {
        int C = config.dim();
        for (int l = 0; l < config.layers(); l++) {
            transpose(params, attnW[l], C, 3 * C, out, attnWT[l]);
            transpose(params, projW[l], C, C, out, projWT[l]);
            transpose(params, fcW[l], C, 4 * C, out, fcWT[l]);
            transpose(params, fcProjW[l], 4 * C, C, out, fcProjWT[l]);
        }
        transpose(params, wte, config.vocabSize(), C, out, wteT);
    }

    static void transpose(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * cols;
            for (int c = 0; c < cols; c++) dst[dstOff + c * rows + r] = src[s + c];
        }
    }
}
