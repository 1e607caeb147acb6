package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Analytic gradients of every layer type against central finite differences (computed in double from float passes). */
class GradientCheckTest {
    private static final GptConfig TINY = new GptConfig("tiny", ByteTokenizer.VOCAB_SIZE, 12, 2, 2, 8);
    private static final int[] TOKENS = {256, 117, 115, 101, 114, 10, 72, 105, 257, 256, 97, 115, 115};
    private static final boolean[] TRAINED = {false, false, true, true, false, true, true, true, true, false, true, true, true};

    /** Mean masked loss of the sequence; fills {@code grad} when non-null. */
    static double loss(GptModel m, float[][] grad) {
        Workspace ws = new Workspace(m.config());
        int T = TOKENS.length - 1;
        int n = 0;
        int[] targets = new int[T];
        for (int t = 0; t < T; t++) {
            if (TRAINED[t + 1]) {
                ws.headPos[n] = t;
                targets[n++] = TOKENS[t + 1];
            }
        }
        Transformer.forward(m, ws, TOKENS, T, n);
        double[] r = Transformer.crossEntropy(ws, n, targets, 1f / n, null);
        if (grad != null) Transformer.backward(m, ws, TOKENS, T, n, grad);
        return r[0] / n;
    }

    static GptModel randomModel() {
        GptModel m = GptModel.init(TINY, 7);
        Rng rng = new Rng(99);
        // larger random weights than the init so every path carries a visible gradient
        for (float[] row : m.rows) {
            for (int i = 0; i < row.length; i++) row[i] += (float) (rng.nextGaussian() * 0.3);
        }
        m.refreshTransposed();
        return m;
    }

    @Test
    void everyTensorMatchesFiniteDifferences() {
        GptModel m = randomModel();
        float[][] grad = m.layout.newRows();
        loss(m, grad);
        Rng pick = new Rng(5);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Layout.Tensor t : m.layout.tensors) {
            for (int k = 0; k < 6; k++) {
                int r = t.row() + pick.nextInt(t.rows()), c = pick.nextInt(t.cols());
                if (t.name().equals("wte.weight")) r = t.row() + (k == 5 ? 200 : TOKENS[k]); // k == 5: a head-only row
                if (t.name().equals("wpe.weight")) r = t.row() + pick.nextInt(TOKENS.length - 1);
                float orig = m.rows[r][c];
                float eps = 1e-2f;
                m.rows[r][c] = orig + eps;
                m.refreshTransposed();
                double up = loss(m, null);
                m.rows[r][c] = orig - eps;
                m.refreshTransposed();
                double down = loss(m, null);
                m.rows[r][c] = orig;
                m.refreshTransposed();
                double fd = (up - down) / (2 * eps);
                double err = Math.abs(fd - grad[r][c]);
                if (err > 2e-3 + 2e-2 * Math.abs(fd)) {
                    failures.add(t.name() + "[" + (r - t.row()) + "][" + c + "]: analytic " + grad[r][c] + " numeric " + fd);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(failures).isEmpty();
    }

    @Test
    void gradientsAreNotAllTiny() {
        GptModel m = randomModel();
        float[][] grad = m.layout.newRows();
        loss(m, grad);
        for (Layout.Tensor t : m.layout.tensors) {
            double norm = 0;
            for (int r = t.row(); r < t.row() + t.rows(); r++) {
                for (float g : grad[r]) norm += g * g;
            }
            assertThat(norm).as(t.name()).isGreaterThan(1e-8);
        }
    }
}
