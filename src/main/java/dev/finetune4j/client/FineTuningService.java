package dev.finetune4j.client;

/** {@code /fine_tuning}: jobs, checkpoint permissions and the alpha graders API. */
public final class FineTuningService {
    private final JobService jobs;
    private final CheckpointService checkpoints;
    private final AlphaService alpha;

    FineTuningService(Transport transport) {
        this.jobs = new JobService(transport);
        this.checkpoints = new CheckpointService(transport);
        this.alpha = new AlphaService(transport);
    }

    /** Fine-tuning jobs: {@code client.fineTuning().jobs().create(...)}. */
    public JobService jobs() {
        return jobs;
    }

    /** Checkpoint sharing: {@code client.fineTuning().checkpoints().permissions().create(ckpt, List.of("proj_1"))}. */
    public CheckpointService checkpoints() {
        return checkpoints;
    }

    /** Alpha features: {@code client.fineTuning().alpha().graders().run(grader, sample, item)}. */
    public AlphaService alpha() {
        return alpha;
    }
}
