package dev.finetune4j.data;

/** A dataset line that cannot be read; the message starts with the line number. */
public final class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long line;

    public DatasetException(long line, String message, Throwable cause) {
        super(message, cause);
        this.line = line;
    }

    /** 1-based line number of the faulty line, or 0 when no line is to blame. */
    public long line() {
        return line;
    }
}
