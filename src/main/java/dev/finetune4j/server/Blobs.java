package dev.finetune4j.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * File contents under the data directory. Every blob is written to {@code tmp/}, fsynced, then renamed
 * into place atomically, so a crash leaves either the whole blob or an orphan temp file (cleaned on start),
 * never half a file under a live name. Callers insert the database row only after the blob is durable.
 */
final class Blobs {
    /** Writes a blob's content to the given temporary path. */
    interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Thrown when a stream is longer than the limit it was given. */
    static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("content exceeds " + limit + " bytes");
        }
    }

    private final Path root;
    private final Path tmp;

    Blobs(Path root) throws IOException {
        this.root = root;
        this.tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
    }

    /**
     * A failure as callers see it: its message (else its type), without the data directory's location, since an
     * error answer reaches every project's clients and the location is the operator's business.
     */
    String describe(Throwable failure) {
        String text = failure.getMessage() == null || failure.getMessage().isBlank()
                ? failure.getClass().getSimpleName() : failure.getMessage();
        String where = root.toAbsolutePath().toString();
        return text.replace(where + File.separator, "").replace(where, "the data directory");
    }

    Path file(String fileId) {
        return filesDir().resolve(fileId);
    }

    Path filesDir() {
        return root.resolve("files");
    }

    Path uploadPart(String uploadId, String partId) {
        return root.resolve("uploads").resolve(uploadId).resolve(partId);
    }

    Path uploadDir(String uploadId) {
        return root.resolve("uploads").resolve(uploadId);
    }

    Path jobDir(String jobId) {
        return jobsDir().resolve(jobId);
    }

    /** The directory of every job's directory. */
    Path jobsDir() {
        return root.resolve("jobs");
    }

    /** Removes temp files a crash left behind. */
    void cleanTemp() throws IOException {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tmp)) {
            for (Path p : dir) Files.deleteIfExists(p);
        }
    }

    /** Copies a stream into {@code target} durably; returns the byte count. Fails past {@code maxBytes}. */
    long write(InputStream in, Path target, long maxBytes) throws IOException {
        long[] count = {0};
        write(target, t -> {
            try (OutputStream out = Files.newOutputStream(t)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    count[0] += n;
                    if (count[0] > maxBytes) throw new TooLargeException(maxBytes);
                    out.write(buf, 0, n);
                }
            }
        });
        return count[0];
    }

    /** Lets {@code writer} fill a temp file, then fsyncs it and renames it to {@code target}. */
    void write(Path target, Writer writer) throws IOException {
        Path t = Files.createTempFile(tmp, "blob-", ".tmp");
        try {
            writer.write(t);
            try (FileChannel ch = FileChannel.open(t, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(t, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(t, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(t);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for sync; the rename itself is still atomic there.
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
