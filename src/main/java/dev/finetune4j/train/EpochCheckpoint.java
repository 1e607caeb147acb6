package dev.finetune4j.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The state at the end of an epoch, handed to {@link TrainingListener#onEpochEnd}: valid only during that call.
 * {@code cp.saveModel(dir.resolve("step-" + cp.step() + ".f4jw"))} writes a usable model.
 */
public final class EpochCheckpoint {
    private final Trainer trainer;
    private final TrainingMetrics metrics;

    EpochCheckpoint(Trainer trainer, TrainingMetrics metrics) {
        this.trainer = trainer;
        this.metrics = metrics;
    }

    /** Step number at which the checkpoint was taken (the epoch's last step). */
    public int step() {
        return metrics.step();
    }

    /** Epoch just finished, from 1. */
    public int epoch() {
        return metrics.epoch();
    }

    /** Metrics of the checkpoint's step, including the full validation metrics when there is a validation set. */
    public TrainingMetrics metrics() {
        return metrics;
    }

    /** Writes the model weights (for inference; see {@link GptModel#load}). */
    public void saveModel(Path path) throws IOException {
        trainer.model().save(path);
    }

    /** Writes the full training state (see {@link Trainer#resume}). */
    public void saveCheckpoint(Path path) throws IOException {
        trainer.saveCheckpoint(path);
    }
}
