package dev.finetune4j.train;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level tokens: ids 0..255 are the UTF-8 bytes of the text, then three special tokens.
 *
 * <p>{@code ByteTokenizer.encode("héllo")} gives 6 ids. The chat template marks a message as
 * {@code <|start|>role\ncontent<|end|>}; {@link #PAD} fills nothing in training but keeps the vocabulary at 259,
 * the shape {@code torch_tiny_gpt.py} uses.
 */
public final class ByteTokenizer {
    /** Opens a message; the role name follows as bytes, then a newline. */
    public static final int START = 256;
    /** Closes a message; generating it ends an assistant reply. */
    public static final int END = 257;
    /** End of text / padding. */
    public static final int PAD = 258;
    /** 256 byte values and the three special tokens. */
    public static final int VOCAB_SIZE = 259;

    private ByteTokenizer() {}

    /** The UTF-8 bytes of {@code text} as token ids, e.g. {@code encode("hi")} is {@code [104, 105]}. */
    public static int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) ids[i] = bytes[i] & 0xFF;
        return ids;
    }

    /** Number of tokens {@code text} encodes to (its UTF-8 length). */
    public static int count(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x80) n += 1;
            else if (ch < 0x800) n += 2;
            else if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** Whether {@code id} is one of the special (non-byte) tokens. */
    public static boolean isSpecial(int id) {
        return id >= 256;
    }

    /** Readable form of a token sequence, special tokens shown as {@code <|start|>} etc. (for debugging). */
    public static String describe(int[] ids) {
        StringBuilder sb = new StringBuilder();
        Utf8Decoder dec = new Utf8Decoder();
        for (int id : ids) {
            if (id < 256) {
                sb.append(dec.accept(id));
            } else {
                sb.append(dec.flush());
                sb.append(id == START ? "<|start|>" : id == END ? "<|end|>" : id == PAD ? "<|pad|>" : "<|" + id + "|>");
            }
        }
        return sb.append(dec.flush()).toString();
    }
}
