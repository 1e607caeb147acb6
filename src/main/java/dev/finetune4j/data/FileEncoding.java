package dev.finetune4j.data;

/**
 * Recognises, from a file's first bytes, inputs that are not UTF-8 JSONL at all (compressed, UTF-16, lines ended by
 * CR alone), so that the report says so once instead of failing every line with a JSON error.
 */
final class FileEncoding {
    /** Bytes looked at: enough to see a few lines, read once before the validation starts. */
    static final int HEAD = 4096;

    /** What is wrong with the whole file and how to fix it. */
    record Finding(String message, String hint) {
    }

    private FileEncoding() {}

    /** The problem {@code head[0, length)}, the start of the input, shows, or null when it may be UTF-8 JSONL. */
    static Finding check(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            return new Finding("The file is gzip-compressed, not JSONL text",
                    "Decompress it first (gunzip train.jsonl.gz), or validate the stream: validate <(zcat train.jsonl.gz).");
        }
        if (length >= 2 && ((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF
                || (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) || mostlyNulEveryOtherByte(head, length)) {
            return new Finding("The file is UTF-16, not UTF-8", "Save it as UTF-8 (in a text editor: Save As, encoding UTF-8).");
        }
        int cr = -1;
        for (int i = 0; i < length; i++) {
            if (head[i] == '\n') {
                return null;
            }
            if (head[i] == '\r' && cr < 0 && i + 1 < length) {
                cr = i;
            }
        }
        if (cr >= 0) {
            return new Finding("Lines end with CR alone (old Mac line ends), so the file reads as one line",
                    "Convert the line ends to LF (or CRLF), e.g. tr '\\r' '\\n' < in.jsonl > out.jsonl.");
        }
        return null;
    }

    /** ASCII text in UTF-16 (without a byte-order mark) has a NUL in every other byte; JSONL has none. */
    private static boolean mostlyNulEveryOtherByte(byte[] head, int length) {
        int even = 0;
        int odd = 0;
        for (int i = 0; i < length; i++) {
            if (head[i] == 0) {
                if ((i & 1) == 0) {
                    even++;
                } else {
                    odd++;
                }
            }
        }
        int pairs = length / 2;
        return pairs >= 2 && Math.max(even, odd) * 10L >= pairs * 4L;
    }
}
