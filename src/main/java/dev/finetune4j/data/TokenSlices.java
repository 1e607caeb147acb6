package dev.finetune4j.data;

import java.util.function.ToIntFunction;

/**
 * Counts the tokens of a long text slice by slice. jtokkit's byte-pair encoding of one piece of text takes about 200
 * bytes per character, so a run of a million characters without a space (a base64 blob pasted into a message) would
 * need more than a small heap; in slices it needs a few megabytes. A slice ends before a space that follows a
 * non-space, where the encodings' pre-tokenizers start a new piece anyway, so the count is exact; only a run of more
 * than {@value #LOOK_BACK} characters without such a space is cut inside, which can change its count by a token per
 * slice.
 */
final class TokenSlices {
    static final int SLICE_CHARS = 16_384;
    static final int LOOK_BACK = 1_024;

    private TokenSlices() {}

    static int count(String text, ToIntFunction<String> counter) {
        if (text.length() <= SLICE_CHARS) {
            return counter.applyAsInt(text);
        }
        int total = 0;
        for (int from = 0; from < text.length(); ) {
            int to = end(text, from);
            total += counter.applyAsInt(text.substring(from, to));
            from = to;
        }
        return total;
    }

    /** Where the slice that starts at {@code from} ends. */
    static int end(String text, int from) {
        int end = from + SLICE_CHARS;
        if (end >= text.length()) {
            return text.length();
        }
        for (int i = end; i > end - LOOK_BACK; i--) {
            if (text.charAt(i) == ' ' && !Character.isWhitespace(text.charAt(i - 1))) {
                return i;
            }
        }
        return Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
    }
}
