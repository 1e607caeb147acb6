package dev.finetune4j.api;

/** Known values of a file's {@code purpose}; the API may add others, so purposes travel as strings. */
public final class FilePurpose {
    public static final String FINE_TUNE = "fine-tune";
    public static final String FINE_TUNE_RESULTS = "fine-tune-results";
    public static final String ASSISTANTS = "assistants";
    public static final String ASSISTANTS_OUTPUT = "assistants_output";
    public static final String BATCH = "batch";
    public static final String BATCH_OUTPUT = "batch_output";
    public static final String VISION = "vision";
    public static final String USER_DATA = "user_data";
    public static final String EVALS = "evals";

    private FilePurpose() {}
}
