package dev.finetune4j.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Splits a JSONL stream into lines, without decoding them: the one place where the JSONL line rule lives.
 * A line ends at {@code \n}; a trailing {@code \r} is dropped, as is a UTF-8 byte-order mark at the start of the
 * file. The last line needs no final newline. Memory is one buffer (1 MiB, grown only for a longer line).
 *
 * <pre>{@code
 * try (JsonlLines lines = JsonlLines.open(path)) {
 *     while (lines.next()) { use(lines.lineNumber(), lines.buffer(), lines.start(), lines.length()); }
 * }
 * }</pre>
 */
public final class JsonlLines implements Closeable {
    static final int DEFAULT_BUFFER = 1 << 20;
    /** The largest array the JVM makes: a longer line cannot be held. */
    private static final int MAX_BUFFER = Integer.MAX_VALUE - 8;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    private int scanFrom;
    private boolean eof;
    private long lineNumber;
    private int lineStart;
    private int lineLength;
    private long bytesConsumed;
    private boolean midFile;

    /** Reads lines from a stream; the stream is closed with this reader. */
    public JsonlLines(InputStream in) {
        this(in, DEFAULT_BUFFER);
    }

    JsonlLines(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[Math.max(16, bufferSize)];
    }

    /** Lines of a chunk already in memory (whole lines, cut from a file after a newline: no byte-order mark check). */
    JsonlLines(byte[] chunk, int length) {
        this(chunk, 0, length);
    }

    /** Lines of {@code chunk[from, to)}, whole lines as above. */
    JsonlLines(byte[] chunk, int from, int to) {
        this.in = InputStream.nullInputStream();
        this.buf = chunk;
        this.pos = from;
        this.scanFrom = from;
        this.limit = to;
        this.eof = true;
        this.midFile = true;
    }

    /** Opens a file. Example: {@code JsonlLines.open(Path.of("train.jsonl"))}. */
    public static JsonlLines open(Path path) throws IOException {
        return new JsonlLines(Files.newInputStream(path));
    }

    /** Advances to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        while (true) {
            int nl = indexOfNewline(buf, scanFrom, limit);
            if (nl >= 0) {
                setLine(pos, nl);
                pos = nl + 1;
                scanFrom = pos;
                return true;
            }
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit);
                    pos = limit;
                    scanFrom = limit;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void setLine(int from, int to) {
        lineNumber++;
        bytesConsumed += (to - from) + (to < limit ? 1 : 0);
        if (lineNumber == 1 && !midFile && to - from >= 3 && (buf[from] & 0xFF) == 0xEF && (buf[from + 1] & 0xFF) == 0xBB
                && (buf[from + 2] & 0xFF) == 0xBF) {
            from += 3;
        }
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        lineStart = from;
        lineLength = to - from;
    }

    private void fill() throws IOException {
        int pending = limit - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, pending);
            scanFrom -= pos;
            pos = 0;
            limit = pending;
        } else if (limit == buf.length) {
            if (buf.length >= MAX_BUFFER) {
                throw new DatasetException(lineNumber + 1, "Line " + (lineNumber + 1) + " is over " + (MAX_BUFFER >> 20)
                        + " MB long: write one example per line", null);
            }
            // doubled in a long, so that a line over 1 GB meets the limit above rather than a negative size
            byte[] bigger = new byte[(int) Math.min(MAX_BUFFER, buf.length * 2L)];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
        }
        scanFrom = limit;
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    /** Finds the next '\n' eight bytes at a time (SWAR: a zero byte in {@code word ^ 0x0A0A...} marks a newline). */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }

    /** The buffer holding the current line; valid until the next call to {@link #next()}. */
    public byte[] buffer() {
        return buf;
    }

    /** Offset of the current line in {@link #buffer()}. */
    public int start() {
        return lineStart;
    }

    /** Length of the current line in bytes, without the line break. */
    public int length() {
        return lineLength;
    }

    /** Bytes consumed so far, line breaks included. */
    public long bytesConsumed() {
        return bytesConsumed;
    }

    /** True when the current line holds only spaces and tabs (or nothing). */
    public boolean isBlank() {
        for (int i = lineStart, end = lineStart + lineLength; i < end; i++) {
            byte c = buf[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The current line decoded as UTF-8 (for messages and tests; the validator never needs it). */
    public String text() {
        return new String(buf, lineStart, lineLength, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

}
