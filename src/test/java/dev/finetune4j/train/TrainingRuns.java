package dev.finetune4j.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Small, fast training runs shared by the determinism and resume tests. */
final class TrainingRuns {
    static final GptConfig SMALL = new GptConfig("small", ByteTokenizer.VOCAB_SIZE, 128, 2, 2, 16);

    private TrainingRuns() {}

    static List<ChatExample> train() {
        return SampleData.read(SampleData.TRAIN).subList(0, 11);
    }

    static List<ChatExample> valid() {
        return SampleData.read(SampleData.VALID).subList(0, 5);
    }

    static Hyperparameters hp() {
        return new Hyperparameters(3, 4, 2.0);
    }

    /** Records every step's metrics. */
    static class Recorder implements TrainingListener {
        final List<TrainingMetrics> steps = new ArrayList<>();
        final List<Integer> epochEnds = new ArrayList<>();

        @Override
        public void onStep(TrainingMetrics metrics) {
            steps.add(metrics);
        }

        @Override
        public void onEpochEnd(EpochCheckpoint checkpoint) throws IOException {
            epochEnds.add(checkpoint.step());
        }
    }

    /** Records steps and pauses after {@code pauseAfter} of them. */
    static final class PauseAt extends Recorder {
        final TrainingControl control = new TrainingControl();
        final int pauseAfter;

        PauseAt(int pauseAfter) {
            this.pauseAfter = pauseAfter;
        }

        @Override
        public void onStep(TrainingMetrics metrics) {
            super.onStep(metrics);
            if (metrics.step() == pauseAfter) control.pause();
        }
    }

    static Trainer trainer(int threads) {
        return Trainer.create(GptModel.init(SMALL, 3), train(), valid(), hp(), 77, threads);
    }

    /** Log-probability of the trained tokens of {@code ex} under {@code model}. */
    static double logProb(GptModel model, ChatExample ex) {
        TokenizedExample t = ChatTemplate.encode(ex);
        Workspace ws = new Workspace(model.config());
        int n = t.length() - 1;
        int nHead = 0;
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            if (t.trained()[i + 1]) {
                ws.headPos[nHead] = i;
                targets[nHead++] = t.tokens()[i + 1];
            }
        }
        Transformer.forward(model, ws, t.tokens(), ws.headPos[nHead - 1] + 1, nHead);
        return -Transformer.crossEntropy(ws, nHead, targets, 1f, null)[0];
    }
}
