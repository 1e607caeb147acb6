package dev.finetune4j.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The framing shared by model and checkpoint files: a 4-byte magic number, an int version, the body
 * (big-endian {@link DataOutputStream} values, float arrays as little-endian IEEE-754), and a trailing CRC-32 of
 * everything before it. Files are written to a temporary sibling and moved into place, so a crash never leaves a
 * half-written file under the final name.
 */
final class BinaryFiles {
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in, int version) throws IOException;
    }

    private BinaryFiles() {}

    static void write(Path path, int magic, int version, Body body) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        CRC32 crc = new CRC32();
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc);
                 DataOutputStream out = new DataOutputStream(checked)) {
                out.writeInt(magic);
                out.writeInt(version);
                body.write(out);
                out.flush();
                out.writeLong(crc.getValue());
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // a half-written file (a full disk) would hold the space the next attempt needs
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    static <T> T read(Path path, int magic, String kind, int maxVersion, Reader<T> reader) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream raw = Files.newInputStream(path);
             CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, 1 << 16), crc);
             DataInputStream in = new DataInputStream(checked)) {
            int m = in.readInt();
            if (m != magic) {
                throw new CheckpointFormatException(path + " is not a finetune4j " + kind + " file (magic number "
                        + String.format("0x%08X", m) + ", expected " + String.format("0x%08X", magic) + ")");
            }
            int version = in.readInt();
            if (version < 1 || version > maxVersion) {
                throw new CheckpointFormatException(path + ": unsupported " + kind + " format version " + version
                        + " (this build reads versions 1 to " + maxVersion + ")");
            }
            T value;
            try {
                value = reader.read(in, version);
            } catch (IllegalArgumentException | NegativeArraySizeException | OutOfMemoryError e) {
                throw new CheckpointFormatException(path + ": corrupted " + kind + " file (" + e.getMessage() + ")");
            }
            long expected = crc.getValue();
            long stored = in.readLong();
            if (stored != expected) {
                throw new CheckpointFormatException(path + ": corrupted " + kind + " file (checksum mismatch)");
            }
            if (in.read() != -1) throw new CheckpointFormatException(path + ": corrupted " + kind + " file (trailing bytes)");
            return value;
        } catch (EOFException e) {
            // a cut file ends early, and so can a damaged one, whose flipped bits make the reader expect more
            throw new CheckpointFormatException(path + ": truncated or corrupted " + kind + " file");
        }
    }

    static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.length; ) {
            buf.clear();
            int n = Math.min(a.length - i, buf.capacity() / 4);
            buf.asFloatBuffer().put(a, i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    /** Writes rows as one float array (the same bytes as their concatenation). */
    static void writeRows(DataOutputStream out, float[][] rows) throws IOException {
        int total = 0;
        for (float[] r : rows) total += r.length;
        out.writeInt(total);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) {
            for (int i = 0; i < r.length; ) {
                buf.clear();
                int n = Math.min(r.length - i, buf.capacity() / 4);
                buf.asFloatBuffer().put(r, i, n);
                out.write(buf.array(), 0, n * 4);
                i += n;
            }
        }
    }

    /** Reads what {@link #writeRows} wrote into rows of the given shapes. */
    static void readRows(DataInputStream in, float[][] rows) throws IOException {
        int total = 0;
        for (float[] r : rows) total += r.length;
        int len = in.readInt();
        if (len != total) throw new IllegalArgumentException("array of " + len + " floats where " + total + " were expected");
        byte[] bytes = new byte[1 << 16];
        for (float[] r : rows) {
            for (int i = 0; i < r.length; ) {
                int n = Math.min(r.length - i, bytes.length / 4);
                in.readFully(bytes, 0, n * 4);
                ByteBuffer.wrap(bytes, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r, i, n);
                i += n;
            }
        }
    }

    static float[] readFloats(DataInputStream in, int expectedLength) throws IOException {
        int len = in.readInt();
        if (len != expectedLength) {
            throw new IllegalArgumentException("array of " + len + " floats where " + expectedLength + " were expected");
        }
        float[] a = new float[len];
        byte[] bytes = new byte[1 << 16];
        for (int i = 0; i < len; ) {
            int n = Math.min(len - i, bytes.length / 4);
            in.readFully(bytes, 0, n * 4);
            ByteBuffer.wrap(bytes, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a, i, n);
            i += n;
        }
        return a;
    }

    static void writeConfig(DataOutputStream out, GptConfig c) throws IOException {
        out.writeUTF(c.name());
        out.writeInt(c.vocabSize());
        out.writeInt(c.contextLength());
        out.writeInt(c.layers());
        out.writeInt(c.heads());
        out.writeInt(c.dim());
    }

    static GptConfig readConfig(DataInputStream in) throws IOException {
        String name = in.readUTF();
        return new GptConfig(name, in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
    }
}
