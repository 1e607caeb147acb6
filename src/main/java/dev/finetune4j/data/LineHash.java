package dev.finetune4j.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * 64-bit hash of a line's bytes (spaces at both ends ignored), used to find identical examples without keeping
 * them: duplicate detection and leakage checks hold 8 bytes per distinct example, not the examples. Two different
 * lines share a hash with probability about 2^-64 per pair (about one in 10^7 for ten million lines), so a
 * reported duplicate is, in practice, a byte-identical example. Lines that differ only in key order or inner
 * whitespace count as different.
 */
final class LineHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;

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
        // four independent lanes over 32-byte blocks (as xxHash64 does), so that the multiplications overlap
        long h1 = P3 + P1;
        long h2 = P2;
        long h3 = P3;
        long h4 = P3 - P1;
        int i = start;
        for (; i + 32 <= end; i += 32) {
            h1 = Long.rotateLeft(h1 + (long) LONGS.get(b, i) * P2, 31) * P1;
            h2 = Long.rotateLeft(h2 + (long) LONGS.get(b, i + 8) * P2, 31) * P1;
            h3 = Long.rotateLeft(h3 + (long) LONGS.get(b, i + 16) * P2, 31) * P1;
            h4 = Long.rotateLeft(h4 + (long) LONGS.get(b, i + 24) * P2, 31) * P1;
        }
        long h = Long.rotateLeft(h1, 1) + Long.rotateLeft(h2, 7) + Long.rotateLeft(h3, 12) + Long.rotateLeft(h4, 18)
                + (long) (end - start) * P1;
        for (; i + 8 <= end; i += 8) {
            long k = (long) LONGS.get(b, i);
            h = Long.rotateLeft(h + k * P2, 31) * P1;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        h = Long.rotateLeft(h + tail * P2, 31) * P1;
        return mix(h);
    }

    static long of(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return of(b, 0, b.length);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
