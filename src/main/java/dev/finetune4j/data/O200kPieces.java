package dev.finetune4j.data;

/**
 * Cuts text into the pieces that o200k_base's pattern matches, the way jtokkit's {@code java.util.regex} matcher
 * does, but by hand: the pattern below, with Unicode character classes, tried alternative by alternative with the
 * same greedy choices and backtracking. It lets {@link TokenCounter} count each distinct piece once; jtokkit still
 * does every byte-pair encoding. {@code O200kPiecesTest} checks the pieces against the pattern's own matches and
 * the counts against jtokkit's.
 *
 * <pre>
 * 1  [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * 2  [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * 3  \p{N}{1,3}
 * 4   ?[^\s\p{L}\p{N}]+[\r\n/]*
 * 5  \s*[\r\n]+
 * 6  \s+(?!\S)
 * 7  \s+
 * </pre>
 */
final class O200kPieces {
    private O200kPieces() {}

    /**
     * Where the piece that starts at {@code i} ends; {@code -(i + length)} when no alternative matches there (the
     * matcher then skips that character, and it counts no token).
     */
    static int end(String s, int i) {
        int e = asciiWord(s, i);
        if (e >= 0) {
            return contraction(s, e);
        }
        e = letters(s, i, true);
        if (e < 0) {
            e = letters(s, i, false);
        }
        if (e >= 0) {
            return contraction(s, e);
        }
        int c = s.codePointAt(i);
        if (isNumber(c)) {
            e = i;
            for (int k = 0; k < 3 && e < s.length() && isNumber(s.codePointAt(e)); k++) {
                e += Character.charCount(s.codePointAt(e));
            }
            return e;
        }
        e = punctuation(s, i);
        if (e >= 0) {
            return e;
        }
        if (isWhite(c)) {
            return whitespace(s, i);
        }
        return -(i + Character.charCount(c));
    }

    /**
     * Alternatives 1 and 2 for the usual case, an ASCII word ({@code [A-Z]*[a-z]*}, after an optional ASCII prefix
     * such as a space) that ASCII other than a letter follows: then U*L+ is the word when it has a lower-case
     * letter, else U+L* is. Returns -1 for anything else, which takes the general path.
     */
    private static int asciiWord(String s, int i) {
        int n = s.length();
        char c = s.charAt(i);
        int j = i;
        if (c < 128 && (ASCII[c] & (LETTER | NUMBER)) == 0 && c != '\r' && c != '\n') {
            j++; // the prefix, when a word follows it
        }
        int k = j;
        while (k < n && s.charAt(k) >= 'A' && s.charAt(k) <= 'Z') {
            k++;
        }
        while (k < n && s.charAt(k) >= 'a' && s.charAt(k) <= 'z') {
            k++;
        }
        if (k == j || (k < n && s.charAt(k) >= 128)) {
            return -1; // no word, or one that may go on with other letters or marks
        }
        return k;
    }

    /** Alternatives 1 ({@code lowerRequired}: U*L+) and 2 (U+L*), each with its optional prefix tried first. */
    private static int letters(String s, int i, boolean lowerRequired) {
        int c = s.codePointAt(i);
        if (isPrefix(c)) {
            int after = i + Character.charCount(c);
            int e = lowerRequired ? upperThenLowers(s, after) : uppersThenLower(s, after);
            if (e >= 0) {
                return e;
            }
        }
        return lowerRequired ? upperThenLowers(s, i) : uppersThenLower(s, i);
    }

    /** {@code U*L+} from {@code j}: U* takes its longest run, then gives back until L+ can match; -1 when it cannot. */
    private static int upperThenLowers(String s, int j) {
        int n = s.length();
        int k = j;
        int lastBoth = -1;
        while (k < n) {
            int c = s.codePointAt(k);
            if (!isUpperClass(c)) {
                break;
            }
            if (isLowerClass(c)) {
                lastBoth = k;
            }
            k += Character.charCount(c);
        }
        if (k < n && isLowerClass(s.codePointAt(k))) {
            return lowerRun(s, k);
        }
        // U* gives back characters until one of them can start L+: the last one that is in both classes, after
        // which come only characters L+ cannot take
        return lastBoth < 0 ? -1 : lastBoth + Character.charCount(s.codePointAt(lastBoth));
    }

    /** {@code U+L*} from {@code j}, or -1. */
    private static int uppersThenLower(String s, int j) {
        int n = s.length();
        int k = j;
        while (k < n && isUpperClass(s.codePointAt(k))) {
            k += Character.charCount(s.codePointAt(k));
        }
        return k == j ? -1 : lowerRun(s, k);
    }

    private static int lowerRun(String s, int k) {
        while (k < s.length() && isLowerClass(s.codePointAt(k))) {
            k += Character.charCount(s.codePointAt(k));
        }
        return k;
    }

    /** The optional {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)} after a run of letters. */
    private static int contraction(String s, int e) {
        if (e + 1 >= s.length() || s.charAt(e) != '\'') {
            return e;
        }
        char a = s.charAt(e + 1);
        if (folds(a, 's') || folds(a, 't') || folds(a, 'm') || folds(a, 'd')) {
            return e + 2;
        }
        if (e + 2 < s.length()) {
            char b = s.charAt(e + 2);
            if ((folds(a, 'r') || folds(a, 'v')) && folds(b, 'e') || folds(a, 'l') && folds(b, 'l')) {
                return e + 3;
            }
        }
        return e;
    }

    /** Case-insensitive match as {@code java.util.regex} does it with Unicode case (so {@code ſ} is an s). */
    private static boolean folds(char c, char lower) {
        return c == lower || Character.toLowerCase(Character.toUpperCase(c)) == lower;
    }

    /** Alternative 4: {@code ' '?[^\s\p{L}\p{N}]+[\r\n/]*}, or -1. */
    private static int punctuation(String s, int i) {
        int n = s.length();
        int j = i;
        if (s.charAt(j) == ' ' && j + 1 < n && isSymbol(s.codePointAt(j + 1))) {
            j++;
        }
        int k = j;
        while (k < n && isSymbol(s.codePointAt(k))) {
            k += Character.charCount(s.codePointAt(k));
        }
        if (k == j) {
            return -1;
        }
        while (k < n && (s.charAt(k) == '\r' || s.charAt(k) == '\n' || s.charAt(k) == '/')) {
            k++;
        }
        return k;
    }

    /** Alternatives 5 to 7 on the run of whitespace that starts at {@code i}. */
    private static int whitespace(String s, int i) {
        int n = s.length();
        int k = i;
        int lastBreak = -1;
        int last = i;
        while (k < n) {
            int c = s.codePointAt(k);
            if (!isWhite(c)) {
                break;
            }
            if (c == '\r' || c == '\n') {
                lastBreak = k;
            }
            last = k;
            k += Character.charCount(c);
        }
        if (lastBreak >= 0) {
            return lastBreak + 1; // 5: up to the last line break of the run
        }
        if (k == n || last == i) {
            return k; // 6 at the end of the text, else 7 for a single character
        }
        return last; // 6: all but the last character, which goes with what follows
    }

    private static boolean isPrefix(int c) {
        return c != '\r' && c != '\n' && (classes(c) & (LETTER | NUMBER)) == 0;
    }

    private static boolean isSymbol(int c) {
        return (classes(c) & (WHITE | LETTER | NUMBER)) == 0;
    }

    private static boolean isNumber(int c) {
        return (classes(c) & NUMBER) != 0;
    }

    private static boolean isUpperClass(int c) {
        return (classes(c) & UPPER_CLASS) != 0;
    }

    private static boolean isLowerClass(int c) {
        return (classes(c) & LOWER_CLASS) != 0;
    }

    private static boolean isWhite(int c) {
        return (classes(c) & WHITE) != 0;
    }

    /** {@code \p{L}} */
    private static final int LETTER = 1;
    /** {@code \p{N}} */
    private static final int NUMBER = 2;
    /** {@code \s} with Unicode character classes: White_Space, as {@code java.util.regex} defines it */
    private static final int WHITE = 4;
    /** {@code [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]} */
    private static final int UPPER_CLASS = 8;
    /** {@code [\p{Ll}\p{Lm}\p{Lo}\p{M}]} */
    private static final int LOWER_CLASS = 16;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) classesOf(c);
        }
    }

    private static int classes(int c) {
        return c < 128 ? ASCII[c] : classesOf(c);
    }

    private static int classesOf(int c) {
        int t = Character.getType(c);
        boolean mark = t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK || t == Character.COMBINING_SPACING_MARK;
        boolean both = t == Character.MODIFIER_LETTER || t == Character.OTHER_LETTER || mark;
        int classes = 0;
        if (t >= Character.UPPERCASE_LETTER && t <= Character.OTHER_LETTER) {
            classes |= LETTER;
        }
        if (t >= Character.DECIMAL_DIGIT_NUMBER && t <= Character.OTHER_NUMBER) {
            classes |= NUMBER;
        }
        if ((c >= 0x9 && c <= 0xD) || c == 0x85 || t == Character.SPACE_SEPARATOR || t == Character.LINE_SEPARATOR
                || t == Character.PARAGRAPH_SEPARATOR) {
            classes |= WHITE;
        }
        if (both || t == Character.UPPERCASE_LETTER || t == Character.TITLECASE_LETTER) {
            classes |= UPPER_CLASS;
        }
        if (both || t == Character.LOWERCASE_LETTER) {
            classes |= LOWER_CLASS;
        }
        return classes;
    }
}
