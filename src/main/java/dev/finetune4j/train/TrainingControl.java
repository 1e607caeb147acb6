package dev.finetune4j.train;

import java.util.function.BooleanSupplier;

/**
 * Cooperative cancel and pause of a running {@link Trainer}, safe to call from any thread; the trainer checks the
 * flags before every step (and before each answer of a reinforcement step), so a request takes effect within one
 * step. Requests stay set: to continue a paused trainer in the same process, pass a new control to
 * {@link Trainer#run}.
 */
public final class TrainingControl {
    private final BooleanSupplier pauseWhen;
    private volatile boolean cancel;
    private volatile boolean pause;

    public TrainingControl() {
        this(() -> false);
    }

    /**
     * A control that also pauses once {@code pauseWhen} answers true: a request made elsewhere (a server's stop of a
     * job) reaches the trainer as soon as it checks, even in the middle of a reinforcement step. Polled often, from
     * several threads: it must be cheap and thread-safe.
     */
    public TrainingControl(BooleanSupplier pauseWhen) {
        this.pauseWhen = pauseWhen;
    }

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
        return pause || pauseWhen.getAsBoolean();
    }
}
