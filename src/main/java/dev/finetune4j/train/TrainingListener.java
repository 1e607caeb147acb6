package dev.finetune4j.train;

import java.io.IOException;

/** Receives the progress of {@link Trainer#run}; called on the training thread, between steps. */
public interface TrainingListener {
    /** After every optimizer step. */
    default void onStep(TrainingMetrics metrics) {}

    /** At the end of each epoch, after its last {@link #onStep}; the caller may write the checkpoint where it wants. */
    default void onEpochEnd(EpochCheckpoint checkpoint) throws IOException {}
}
