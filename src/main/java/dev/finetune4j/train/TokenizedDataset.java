package dev.finetune4j.train;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;

/**
 * Tokenized examples kept in a file, not in memory: the trainer reads each batch's examples when it needs them, so
 * a dataset of any size trains in constant memory. Written once, e.g.
 * {@code TokenizedDataset.write(dir.resolve("train.tokens"), examples.iterator(), GptConfig.named("nano"), "training")};
 * {@link #close()} deletes the file.
 *
 * <p>Format: the tokens of every example in order, one {@code int} each with the trained flag in the sign bit, then
 * an index of {@code size + 1} {@code long} offsets (in tokens), then the example count. Reads are positional, so
 * several threads may read at once.
 */
public final class TokenizedDataset implements AutoCloseable {
    private static final int TRAINED = 0x8000_0000;

    private final Path file;
    private final FileChannel channel;
    private final int size;
    private final long tokens;
    private final long indexPosition;
    private final boolean anyTrained;
    private final int contextLength;
    private final long fingerprint;

    private TokenizedDataset(Path file, int size, long tokens, boolean anyTrained, int contextLength, long fingerprint)
            throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = size;
        this.tokens = tokens;
        this.indexPosition = tokens * Integer.BYTES;
        this.anyTrained = anyTrained;
        this.contextLength = contextLength;
        this.fingerprint = fingerprint;
    }

    /**
     * Tokenizes {@code examples} with {@link ChatTemplate} into {@code file} (replaced if it exists).
     *
     * @param kind names the data in errors, e.g. "training"
     * @throws IllegalArgumentException if an example is longer than the context of {@code config} (the message
     *     names it, counting from 1); the file is then deleted
     */
    public static TokenizedDataset write(Path file, Iterator<ChatExample> examples, GptConfig config, String kind)
            throws IOException {
        Path index = file.resolveSibling(file.getFileName() + ".index");
        int count = 0;
        long offset = 0;
        boolean anyTrained = false;
        long hash = Trainer.FNV_OFFSET;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
             DataOutputStream idx = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(index), 1 << 16))) {
            idx.writeLong(0);
            while (examples.hasNext()) {
                TokenizedExample t = Trainer.encode(examples.next(), ++count, kind, config);
                hash = Trainer.fingerprint(hash, t);
                for (int i = 0; i < t.length(); i++) {
                    out.writeInt(t.tokens()[i] | (t.trained()[i] ? TRAINED : 0));
                    anyTrained |= t.trained()[i];
                }
                offset += t.length();
                idx.writeLong(offset);
            }
            idx.writeInt(count);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(index);
            throw e;
        }
        // one file: tokens, then the index
        try (FileChannel dst = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
             FileChannel src = FileChannel.open(index, StandardOpenOption.READ)) {
            long done = 0, total = src.size();
            while (done < total) done += src.transferTo(done, total - done, dst);
        } finally {
            Files.deleteIfExists(index);
        }
        return new TokenizedDataset(file, count, offset, anyTrained, config.contextLength(), hash);
    }

    /** Number of examples. */
    public int size() {
        return size;
    }

    /** Number of tokens over all examples. */
    public long tokenCount() {
        return tokens;
    }

    /** The context length the examples were checked against. */
    int contextLength() {
        return contextLength;
    }

    /** The fingerprint of the examples, equal to {@code Trainer.fingerprint} of the same examples in memory. */
    long fingerprint() {
        return fingerprint;
    }

    /** Whether any example has a trained token. */
    boolean anyTrained() {
        return anyTrained;
    }

    /** Example {@code i} (from 0), read from the file. */
    public TokenizedExample get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("example " + i + " of " + size);
        try {
            ByteBuffer offsets = read(indexPosition + (long) i * Long.BYTES, 2 * Long.BYTES);
            long from = offsets.getLong(), to = offsets.getLong();
            int n = Math.toIntExact(to - from);
            ByteBuffer data = read(from * Integer.BYTES, n * Integer.BYTES);
            int[] tok = new int[n];
            boolean[] trained = new boolean[n];
            for (int k = 0; k < n; k++) {
                int v = data.getInt();
                tok[k] = v & ~TRAINED;
                trained[k] = (v & TRAINED) != 0;
            }
            return new TokenizedExample(tok, trained);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read example " + (i + 1) + " from " + file, e);
        }
    }

    private ByteBuffer read(long position, int bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) throw new IOException("unexpected end of " + file);
        }
        return buf.flip();
    }

    /** The examples as a read-only list whose elements are read on access. */
    List<TokenizedExample> asList() {
        return new AbstractList<>() {
            @Override
            public TokenizedExample get(int index) {
                return TokenizedDataset.this.get(index);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Closes and deletes the file. */
    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }
}
