package dev.finetune4j.data;

/**
 * One problem found in a dataset file.
 *
 * @param line 1-based line number, or 0 for a problem of the whole file (empty file, too few examples)
 * @param path JSON path of the faulty field inside the line, e.g. {@code messages[2].role}; empty when the
 *             whole line or file is at fault
 * @param message complete sentence that starts with the line number, e.g.
 *                {@code Line 7: messages[1].role 'bot' is not one of system, user, assistant, tool}
 * @param hint one-line fix
 */
public record Problem(long line, String path, Category category, Severity severity, String message, String hint) {

    /** True when the problem makes the file unusable. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return message + " [" + category.code() + "] Fix: " + hint;
    }
}
