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
}
