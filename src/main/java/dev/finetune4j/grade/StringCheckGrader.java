package dev.finetune4j.grade;

import java.util.Locale;

/** Compares the rendered {@code input} with the rendered {@code reference}: scores 1 when the operation holds, else 0. */
public record StringCheckGrader(String name, Template input, Template reference, Operation operation)
        implements Grader {
    public static final String TYPE = "string_check";

    /** The comparison; {@code like} and {@code ilike} test whether the input contains the reference. */
    public enum Operation {
        EQ, NE, LIKE, ILIKE;

        /** The wire value: {@code eq}, {@code ne}, {@code like}, {@code ilike}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the operation holds for these two strings. */
        public boolean test(String input, String reference) {
            switch (this) {
                case EQ: return input.equals(reference);
                case NE: return !input.equals(reference);
                case LIKE: return input.contains(reference);
                default: return input.toLowerCase(Locale.ROOT).contains(reference.toLowerCase(Locale.ROOT));
            }
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
