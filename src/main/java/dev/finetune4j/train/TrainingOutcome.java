package dev.finetune4j.train;

/** How {@link SftTrainer#run} ended. */
public enum TrainingOutcome {
    /** All steps done. */
    COMPLETED,
    /** Stopped on {@link TrainingControl#pause()}; {@link SftTrainer#saveCheckpoint} then {@link SftTrainer#resume} continues exactly. */
    PAUSED,
    /** Stopped on {@link TrainingControl#cancel()}. */
    CANCELLED
}
