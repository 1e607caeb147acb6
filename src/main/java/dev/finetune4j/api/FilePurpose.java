package dev.finetune4j.api;

/** Known values of a file's {@code purpose}; the API may add others, so purposes travel as strings. */
public final class FilePurpose {
    /** Training and validation files of fine-tuning jobs. */
    public static final String FINE_TUNE = "fine-tune";
    /** A job's result files (the step metrics CSV), written by the service. */
    public static final String FINE_TUNE_RESULTS = "fine-tune-results";
    /** Files for assistants and their tools. */
    public static final String ASSISTANTS = "assistants";
    /** Files written by assistants. */
    public static final String ASSISTANTS_OUTPUT = "assistants_output";
    /** Input files of the Batch API. */
    public static final String BATCH = "batch";
    /** Output and error files of the Batch API, written by the service. */
    public static final String BATCH_OUTPUT = "batch_output";
    /** Images for vision fine-tuning. */
    public static final String VISION = "vision";
    /** Files for any use, e.g. as model input. */
    public static final String USER_DATA = "user_data";
    /** Data sets for evals. */
    public static final String EVALS = "evals";

    private FilePurpose() {}
}
