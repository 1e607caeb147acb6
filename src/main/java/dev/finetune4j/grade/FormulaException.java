package dev.finetune4j.grade;

/** A {@code calculate_output} formula that does not parse, or names a variable or function that does not exist. */
public final class FormulaException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int position;

    public FormulaException(String message, int position) {
        super(message);
        this.position = position;
    }

    /** The zero-based character position of the problem in the formula, or -1 when it is not about one place. */
    public int position() {
        return position;
    }
}
