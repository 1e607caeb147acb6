package dev.finetune4j.train;

/**
 * Cooperative cancel and pause of a running {@link Trainer}, safe to call from any thread; the trainer checks the
 * flags before every step, so a request takes effect within one step. Requests stay set: to continue a paused
 * trainer in the same process, pass a new control to {@link Trainer#run}.
 */
public final class TrainingControl {
    private volatile boolean cancel;
    private volatile boolean pause;

    /** Stops training; {@code run} returns {@link TrainingOutcome#CANCELLED}. */
    public void cancel() {
        cancel = true;
    }

    /** Stops training resumably; {@code run} returns {@link TrainingOutcome#PAUSED}, then save a checkpoint. */
    public void pause() {
        pause = true;
    }

    public boolean isCancelRequested() {
        return cancel;
    }

    public boolean isPauseRequested() {
        return pause;
    }
}
