package dev.finetune4j.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * 64-bit hash of a line's bytes (spaces at both ends ignored), used to find identical examples without keeping
 * them: duplicate detection and leakage checks hold 8 bytes per distinct example, not the examples. Two different
 * lines share a hash with probability about 2^-64 per pair (for ten million lines, about one chance in 370,000 of
 * any shared hash), so a reported duplicate is, in practice, a byte-identical example. Lines that differ only in
 * key order or inner whitespace count as different.
 */
final class LineHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long S0 = 0xA0761D6478BD642FL;
    private static final long S1 = 0xE7037ED1A0B428DBL;
    private static final long S2 = 0x8EBC6AF09C88C6E3L;
    private static final long S3 = 0x589965CC75374CC3L;

    private LineHash() {}

    static long of(byte[] b, int off, int len) {
        int start = off;
        int end = off + len;
        while (start < end && isSpace(b[start])) {
            start++;
        }
        while (end > start && isSpace(b[end - 1])) {
            end--;
        }
        // wyhash-style: each 16-byte block is folded by one 64x64->128-bit multiplication (low and high halves
        // xor-ed), one multiplication per 8 bytes; three independent lanes over 48-byte blocks let them overlap.
        // The first word of a block is xor-ed with a constant that is not valid UTF-8, so for text it is never 0.
        int n = end - start;
        long seed = S0 ^ n;
        int i = start;
        if (n > 48) {
            long a = seed;
            long c = seed;
            for (; i + 48 <= end; i += 48) {
                seed = mum(word(b, i) ^ S1, word(b, i + 8) ^ seed);
                a = mum(word(b, i + 16) ^ S2, word(b, i + 24) ^ a);
                c = mum(word(b, i + 32) ^ S3, word(b, i + 40) ^ c);
            }
            seed ^= a ^ c;
        }
        for (; i + 16 <= end; i += 16) {
            seed = mum(word(b, i) ^ S1, word(b, i + 8) ^ seed);
        }
        // the last 0 to 15 bytes, little-endian, as two words
        long lo = 0;
        long hi = 0;
        int from = i;
        if (end - i >= 8) {
            lo = word(b, i);
            from = i + 8;
        }
        for (int j = from, shift = 0; j < end; j++, shift += 8) {
            if (from == i) {
                lo |= (b[j] & 0xFFL) << shift;
            } else {
                hi |= (b[j] & 0xFFL) << shift;
            }
        }
        return mum(S1 ^ n, mum(lo ^ S1, hi ^ seed));
    }

    private static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** The two halves of the 128-bit product, xor-ed. */
    private static long mum(long a, long b) {
        return (a * b) ^ Math.multiplyHigh(a, b);
    }

    static long of(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return of(b, 0, b.length);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
