package dev.finetune4j.server;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Lines of text kept in a file and read back by number, from any thread: the examples a reinforcement job's grader
 * reads as {@code item}. Only their offsets stay in memory. Written with {@link #add}, then {@link #finish}ed.
 */
final class ExampleLines implements AutoCloseable {
    private final Path file;
    private OutputStream out;
    private FileChannel channel;
    private long[] offsets = new long[256];
    private int count;

    private ExampleLines(Path file) throws IOException {
        this.file = file;
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    /** Starts a new file (replaced if it exists). */
    static ExampleLines create(Path file) throws IOException {
        return new ExampleLines(file);
    }

    /** Appends line {@link #size()}. */
    void add(String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        if (count + 2 > offsets.length) offsets = Arrays.copyOf(offsets, offsets.length * 2);
        offsets[count + 1] = offsets[count] + bytes.length;
        count++;
    }

    /** Ends the writing; the lines can be read from then on. */
    void finish() throws IOException {
        out.close();
        out = null;
        channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    int size() {
        return count;
    }

    /** Line {@code i}, counting from 0. */
    String get(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException("line " + i + " of " + count);
        ByteBuffer buf = ByteBuffer.allocate((int) (offsets[i + 1] - offsets[i]));
        try {
            while (buf.hasRemaining()) {
                if (channel.read(buf, offsets[i] + buf.position()) < 0) throw new IOException(file + " is truncated");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String(buf.array(), StandardCharsets.UTF_8);
    }

    /** Closes and deletes the file. */
    @Override
    public void close() throws IOException {
        if (out != null) out.close();
        if (channel != null) channel.close();
        Files.deleteIfExists(file);
    }
}
