package dev.finetune4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Cuts a stream into chunks of whole lines (about {@code size} bytes, more when one line is longer), so that
 * chunks can be validated in parallel. A UTF-8 byte-order mark at the start of the stream is dropped. Buffers
 * given back with {@link #recycle} are reused: chunks are large objects, costly to allocate over and over.
 */
final class ChunkReader {
    private final InputStream in;
    private final int size;
    private byte[] carry = new byte[0];
    private int carryLength;
    private boolean eof;
    private boolean first = true;
    private final Queue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final int maxLine;

    ChunkReader(InputStream in, int size) {
        this(in, size, FileChunks.defaultMaxLine());
    }

    ChunkReader(InputStream in, int size, int maxLine) {
        this.in = in;
        this.size = size;
        // a line's bytes before its newline: the limit's, and a carriage return (ChunkValidator checks the content)
        this.maxLine = maxLine + 1;
    }

    /**
     * A chunk: {@code data[0, length)} holds whole lines, followed, when {@code overlongLine > 0}, by a line of that
     * many bytes, longer than the line limit, which was skipped rather than kept.
     */
    record Chunk(byte[] data, int length, long overlongLine) {
        Chunk(byte[] data, int length) {
            this(data, length, 0);
        }
    }

    /** The next chunk, or null at the end of the stream. */
    Chunk next() throws IOException {
        if (eof && carryLength == 0) {
            return null;
        }
        byte[] data = free.poll();
        if (data == null || data.length < Math.max(size, carryLength * 2)) {
            data = new byte[Math.max(size, carryLength * 2)];
        }
        System.arraycopy(carry, 0, data, 0, carryLength);
        int length = carryLength;
        int searchFrom = carryLength;
        carryLength = 0;
        while (true) {
            while (!eof && length < data.length) {
                int n = in.read(data, length, data.length - length);
                if (n < 0) {
                    eof = true;
                } else {
                    length += n;
                }
            }
            if (first) {
                first = false;
                if (length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB && (data[2] & 0xFF) == 0xBF) {
                    System.arraycopy(data, 3, data, 0, length - 3);
                    length -= 3;
                }
            }
            if (eof) {
                return length == 0 ? null : new Chunk(data, length);
            }
            int lastNewline = lastIndexOf(data, searchFrom, length);
            if (lastNewline >= 0) {
                carryLength = length - lastNewline - 1;
                if (carry.length < carryLength) {
                    carry = new byte[Math.max(carryLength, size / 4)];
                }
                System.arraycopy(data, lastNewline + 1, carry, 0, carryLength);
                return new Chunk(data, lastNewline + 1);
            }
            if (length > maxLine) {
                // data holds one partial line (the carry starts a line, and no newline came since): too long to keep
                return new Chunk(data, 0, skipLine(data, length));
            }
            // one line longer than the chunk: grow and keep reading, up to the limit and one byte more, which tells a
            // line over the limit
            searchFrom = length;
            long room = Math.min(data.length * 2L, maxLine + 1L);
            data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, room));
        }
    }

    /**
     * Reads on to the end of a line too long to keep, reusing {@code data}; what follows its newline is carried to the
     * next chunk. Returns the line's length without its newline.
     */
    private long skipLine(byte[] data, long skipped) throws IOException {
        while (true) {
            int n = in.read(data, 0, data.length);
            if (n < 0) {
                eof = true;
                return skipped;
            }
            int newline = JsonlLines.indexOfNewline(data, 0, n);
            if (newline >= 0) {
                carryLength = n - newline - 1;
                if (carry.length < carryLength) {
                    carry = new byte[Math.max(carryLength, size / 4)];
                }
                System.arraycopy(data, newline + 1, carry, 0, carryLength);
                return skipped + newline;
            }
            skipped += n;
        }
    }

    /** Gives a chunk's buffer back once nothing reads it any more. */
    void recycle(Chunk chunk) {
        if (chunk.data().length == size) {
            free.add(chunk.data());
        }
    }

    private static int lastIndexOf(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
