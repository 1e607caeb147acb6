package dev.finetune4j.train;

/**
 * Turns a stream of byte tokens into text, releasing characters only once their UTF-8 sequence is complete.
 *
 * <p>A character split across tokens (é is two bytes) is held back until its last byte arrives, so
 * streamed pieces never contain half a character. Malformed bytes become U+FFFD, as in
 * {@code new String(bytes, UTF_8)}.
 */
public final class Utf8Decoder {
    private final int[] pending = new int[4];
    private int count;
    private int expected;

    /** Adds one byte (0..255); returns the text it completes, often {@code ""}. */
    public String accept(int b) {
        if (b < 0 || b > 255) throw new IllegalArgumentException("not a byte: " + b);
        StringBuilder out = new StringBuilder(2);
        push(b, out);
        return out.toString();
    }

    /** Ends the stream: an incomplete trailing sequence becomes U+FFFD. */
    public String flush() {
        if (count == 0) return "";
        count = 0;
        expected = 0;
        return "\uFFFD";
    }

    /** Whether bytes are held back waiting for the rest of a character. */
    public boolean hasPending() {
        return count > 0;
    }

    private void push(int b, StringBuilder out) {
        if (count == 0) {
            if (b < 0x80) {
                out.append((char) b);
            } else if (b >= 0xC2 && b <= 0xDF) {
                start(b, 2);
            } else if (b >= 0xE0 && b <= 0xEF) {
                start(b, 3);
            } else if (b >= 0xF0 && b <= 0xF4) {
                start(b, 4);
            } else {
                out.append('\uFFFD');
            }
            return;
        }
        if (!validContinuation(b)) {
            // the held sequence is malformed: replace it, then treat b as a fresh start
            count = 0;
            expected = 0;
            out.append('\uFFFD');
            push(b, out);
            return;
        }
        pending[count++] = b;
        if (count == expected) {
            int cp;
            if (expected == 2) cp = ((pending[0] & 0x1F) << 6) | (pending[1] & 0x3F);
            else if (expected == 3) cp = ((pending[0] & 0x0F) << 12) | ((pending[1] & 0x3F) << 6) | (pending[2] & 0x3F);
            else cp = ((pending[0] & 0x07) << 18) | ((pending[1] & 0x3F) << 12) | ((pending[2] & 0x3F) << 6) | (pending[3] & 0x3F);
            count = 0;
            expected = 0;
            out.appendCodePoint(cp);
        }
    }

    private void start(int b, int length) {
        pending[0] = b;
        count = 1;
        expected = length;
    }

    private boolean validContinuation(int b) {
        if ((b & 0xC0) != 0x80) return false;
        if (count == 1) {
            // second byte ranges that exclude overlongs, surrogates and code points above U+10FFFF
            int lead = pending[0];
            if (lead == 0xE0) return b >= 0xA0;
            if (lead == 0xED) return b <= 0x9F;
            if (lead == 0xF0) return b >= 0x90;
            if (lead == 0xF4) return b <= 0x8F;
        }
        return true;
    }
}
