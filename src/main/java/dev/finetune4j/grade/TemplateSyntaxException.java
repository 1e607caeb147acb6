package dev.finetune4j.grade;

/** A template that cannot be parsed: an unclosed pair of braces, an unknown namespace, a malformed path. */
public final class TemplateSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public TemplateSyntaxException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** The offset in the template text of the variable at fault. */
    public int offset() {
        return offset;
    }
}
