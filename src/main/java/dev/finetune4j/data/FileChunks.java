package dev.finetune4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Cuts a regular file into chunks of whole lines that the validating threads read themselves, with positional
 * reads, in parallel: chunk {@code k} holds the lines that start in its {@code size}-byte stretch of the file (none
 * when one long line covers it all), the last one read to its end. The bytes are read on the thread that scans
 * them, so they are still in that core's caches, and no thread reads for the others. A UTF-8 byte-order mark at
 * the start is skipped, as {@link ChunkReader} drops it.
 */
final class FileChunks {
    private final FileChannel channel;
    private final long size;
    private final long first;
    private final int stretch;
    private final int maxLine;

    /**
     * The lines of one chunk: {@code data[from, to)}, then, when {@code overlongLine > 0}, one more line of that many
     * bytes, longer than the line limit, which was skipped rather than read.
     */
    record Lines(byte[] data, int from, int to, long overlongLine) {
        int length() {
            return to - from;
        }
    }

    /**
     * The longest line read into memory: 64 MB, or an eighth of the heap when that is less. A file's size is not
     * bounded by the heap, but a line is held whole; a longer one is skipped and reported.
     */
    static int defaultMaxLine() {
        return (int) Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    FileChunks(FileChannel channel, int stretch) throws IOException {
        this(channel, stretch, defaultMaxLine());
    }

    FileChunks(FileChannel channel, int stretch, int maxLine) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.stretch = stretch;
        // a line's bytes before its newline: the limit's, and a carriage return (ChunkValidator checks the content)
        this.maxLine = maxLine + 1;
        byte[] head = new byte[3];
        this.first = size >= 3 && readFully(head, 0, 0, 3) == 3
                && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF ? 3 : 0;
    }

    /** The bytes of all chunks: the file less its byte-order mark. */
    long size() {
        return size - first;
    }

    /** How many chunks the file has. */
    int count() {
        return (int) ((size - first + stretch - 1) / stretch);
    }

    /** The bytes of chunk {@code k}'s stretch: the chunks' stretches add up to the file less its byte-order mark. */
    long stretch(int k) {
        long start = first + (long) k * stretch;
        return Math.min(start + stretch, size) - start;
    }

    /** Reads chunk {@code k} into {@code buffer}, or into a larger array when it does not fit. Safe from any thread. */
    Lines read(int k, byte[] buffer) throws IOException {
        long start = first + (long) k * stretch;
        long end = Math.min(start + stretch, size);
        // one byte before the stretch says whether a line starts right at it
        long from = k == 0 ? start : start - 1;
        int length = (int) (end - from);
        byte[] data = buffer.length >= length + 1 ? buffer : new byte[length + stretch / 4];
        readFully(data, 0, from, length);
        int lineStart = 0;
        if (k > 0) {
            int newline = JsonlLines.indexOfNewline(data, 0, length);
            if (newline < 0) {
                return new Lines(data, 0, 0, 0);
            }
            lineStart = newline + 1;
        }
        if (lineStart == length) {
            return new Lines(data, 0, 0, 0);
        }
        // the last line goes on past the stretch: read on to its end, in small steps first (it is usually short
        // and the next chunk reads those bytes again)
        long at = end;
        int step = 8192;
        while (data[length - 1] != '\n' && at < size) {
            if (length == data.length) {
                int tail = lineStart;
                if (length - lineStart > maxLine) {
                    tail = lastLineStart(data, lineStart, length);
                    if (length - tail > maxLine) {
                        return new Lines(data, lineStart, tail, skipLine(data, tail, length, at));
                    }
                }
                // room for the last line up to the limit and one byte more, which tells a line over the limit
                long room = Math.min(data.length * 2L, (long) tail + maxLine + 1);
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, room));
            }
            int n = readFully(data, length, at, (int) Math.min(Math.min(step, data.length - length), size - at));
            step = Math.min(step * 2, 1 << 20);
            if (n == 0) {
                break; // the file got shorter while it was read
            }
            int newline = JsonlLines.indexOfNewline(data, length, length + n);
            if (newline >= 0) {
                length = newline + 1;
                break;
            }
            length += n;
            at += n;
        }
        return new Lines(data, lineStart, length, 0);
    }

    private static int lastLineStart(byte[] data, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (data[i] == '\n') {
                return i + 1;
            }
        }
        return from;
    }

    /**
     * Reads on past a line too long to hold, from file position {@code at}, reusing {@code data[tail, ...)}; returns
     * the line's length without its newline (the next chunk starts after it).
     */
    private long skipLine(byte[] data, int tail, int length, long at) throws IOException {
        long skipped = length - tail;
        while (at < size) {
            int n = readFully(data, tail, at, (int) Math.min(data.length - tail, size - at));
            if (n == 0) {
                break;
            }
            int newline = JsonlLines.indexOfNewline(data, tail, tail + n);
            if (newline >= 0) {
                return skipped + (newline - tail);
            }
            skipped += n;
            at += n;
        }
        return skipped;
    }

    /** Reads up to {@code length} bytes from {@code position}; fewer only at the end of the file. */
    private int readFully(byte[] dst, int off, long position, int length) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(dst, off, length);
        int done = 0;
        while (done < length) {
            int n = channel.read(target, position + done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }
}
