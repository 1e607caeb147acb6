package dev.finetune4j.data;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Cuts a memory-mapped file into chunks of whole lines (about {@code size} bytes, more when one line is longer).
 * Only the chunk boundaries are found here, touching a page or two per chunk; the thread that validates a chunk
 * copies its bytes straight from the mapping ({@link #copy}), so the file's bytes are copied once, in parallel,
 * instead of twice on the reading thread as with a stream. A UTF-8 byte-order mark at the start is skipped, as
 * {@link ChunkReader} drops it. Mapped memory lives outside the Java heap, and the mapping is released by the
 * garbage collector once the validation is over.
 */
final class MappedChunks {
    private static final long WINDOW = 1L << 30;

    private final long size;
    private final int chunkBytes;
    private final MappedByteBuffer[] windows;
    private long position;

    /** A chunk: {@code length} bytes of whole lines from {@code offset} of the file. */
    record Slice(long offset, int length) {
    }

    MappedChunks(FileChannel channel, int chunkBytes) throws IOException {
        this.size = channel.size();
        this.chunkBytes = chunkBytes;
        this.windows = new MappedByteBuffer[(int) ((size + WINDOW - 1) / WINDOW)];
        for (int i = 0; i < windows.length; i++) {
            long from = i * WINDOW;
            windows[i] = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(WINDOW, size - from));
        }
        if (size >= 3 && (byteAt(0) & 0xFF) == 0xEF && (byteAt(1) & 0xFF) == 0xBB && (byteAt(2) & 0xFF) == 0xBF) {
            position = 3;
        }
    }

    /** The next chunk, or null at the end of the file. */
    Slice next() throws IOException {
        if (position >= size) {
            return null;
        }
        long start = position;
        long end = start + chunkBytes;
        if (end >= size) {
            end = size;
        } else {
            long newline = lastNewline(start, end);
            if (newline < 0) {
                // one line longer than a chunk: the chunk grows to hold it
                newline = nextNewline(end);
            }
            end = newline < 0 ? size : newline + 1;
        }
        if (end - start > Integer.MAX_VALUE - 16) {
            throw new IOException("a line of more than 2 GB at byte " + start);
        }
        position = end;
        return new Slice(start, (int) (end - start));
    }

    /** Copies {@code length} bytes from {@code offset} of the file into {@code dst}; safe from any thread. */
    void copy(long offset, byte[] dst, int length) {
        int done = 0;
        while (done < length) {
            long at = offset + done;
            MappedByteBuffer w = windows[(int) (at / WINDOW)];
            int index = (int) (at % WINDOW);
            int n = Math.min(length - done, w.capacity() - index);
            w.get(index, dst, done, n);
            done += n;
        }
    }

    private byte byteAt(long at) {
        return windows[(int) (at / WINDOW)].get((int) (at % WINDOW));
    }

    private long lastNewline(long from, long to) {
        for (long i = to - 1; i >= from; i--) {
            if (byteAt(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private long nextNewline(long from) {
        for (long i = from; i < size; i++) {
            if (byteAt(i) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
