package dev.finetune4j.client;

/** {@code /fine_tuning/alpha}: features the API marks as alpha. */
public final class AlphaService {
    private final GraderService graders;

    AlphaService(Transport transport) {
        this.graders = new GraderService(transport);
    }

    /** Run and validate graders: {@code client.fineTuning().alpha().graders().validate(grader)}. */
    public GraderService graders() {
        return graders;
    }
}
