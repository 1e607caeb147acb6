package dev.finetune4j.grade;

/**
 * Runs Python source that defines {@code grade(sample, item) -> float}. {@code imageTag} is kept for the wire;
 * the local runner uses the {@code python3} it finds (see {@link PythonExecutor}).
 */
public record PythonGrader(String name, String source, String imageTag) implements Grader {
    public static final String TYPE = "python";
    /** The source must be smaller than 256 kB (UTF-8 bytes). */
    public static final int MAX_SOURCE_BYTES = 256 * 1024;

    @Override
    public String type() {
        return TYPE;
    }
}
