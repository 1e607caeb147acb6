package dev.finetune4j.train;

/** How {@link Trainer#run} ended. */
public enum TrainingOutcome {
    /** All steps done. */
    COMPLETED,
    /** Stopped on {@link TrainingControl#pause()}; {@link Trainer#saveCheckpoint} then {@link Trainer#resume} continues exactly. */
    PAUSED,
    /** Stopped on {@link TrainingControl#cancel()}. */
    CANCELLED
}
