package dev.finetune4j.data;

import java.io.IOException;
import java.nio.file.Path;

/** UTF-8 checks for error messages: where a file stops being UTF-8, and columns counted in characters. */
final class Utf8 {
    private Utf8() {}

    /** The offset of the first byte of {@code b[from, to)} that does not start a well-formed UTF-8 sequence, or -1. */
    static int firstInvalid(byte[] b, int from, int to) {
        int p = from;
        while (p < to) {
            int c = b[p] & 0xFF;
            if (c < 0x80) {
                p++;
                continue;
            }
            int more;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                more = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                more = 2;
                lo = c == 0xE0 ? 0xA0 : 0x80;
                hi = c == 0xED ? 0x9F : 0xBF;
            } else if (c >= 0xF0 && c <= 0xF4) {
                more = 3;
                lo = c == 0xF0 ? 0x90 : 0x80;
                hi = c == 0xF4 ? 0x8F : 0xBF;
            } else {
                return p;
            }
            if (p + more >= to) {
                return p; // cut short by the end of the line
            }
            int c1 = b[p + 1] & 0xFF;
            if (c1 < lo || c1 > hi) {
                return p;
            }
            for (int i = 2; i <= more; i++) {
                if ((b[p + i] & 0xC0) != 0x80) {
                    return p;
                }
            }
            p += more + 1;
        }
        return -1;
    }

    /** Characters (code points) in {@code b[from, to)}: the bytes that are not UTF-8 continuation bytes. */
    static int chars(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }

    /** The 1-based line of a file's first byte that is not UTF-8, or 0 when the whole file is UTF-8. */
    static long firstInvalidLine(Path file) throws IOException {
        try (JsonlLines lines = JsonlLines.open(file)) {
            while (lines.next()) {
                if (firstInvalid(lines.buffer(), lines.start(), lines.start() + lines.length()) >= 0) {
                    return lines.lineNumber();
                }
            }
        }
        return 0;
    }
}
