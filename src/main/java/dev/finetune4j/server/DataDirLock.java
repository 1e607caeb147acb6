package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One writer per data directory: {@code server.lock} is held with an OS file lock for the server's life (the
 * OS releases it when the process dies, even on a kill), and {@code server.json} tells other processes
 * where the owner listens: {@code {"url": "http://127.0.0.1:PORT/v1", "pid": 1234}}.
 */
final class DataDirLock implements AutoCloseable {
    static final String LOCK_FILE = "server.lock";
    static final String INFO_FILE = "server.json";

    /** Where the owner of a data directory listens. */
    record Owner(String url, long pid) {}

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the directory, or returns null when another server (in any process) holds it. */
    static DataDirLock tryAcquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            return null;
        }
        return new DataDirLock(dir, ch, l);
    }

    /** Publishes the owner's address; written atomically so readers never see half of it. */
    void publish(Blobs blobs, String url) throws IOException {
        byte[] json = Json.write(Map.of("url", url, "pid", ProcessHandle.current().pid()))
                .getBytes(StandardCharsets.UTF_8);
        blobs.write(dir.resolve(INFO_FILE), tmp -> Files.write(tmp, json));
    }

    /** The owner's address, or null when none is published (yet). */
    static Owner owner(Path dir) {
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readString(dir.resolve(INFO_FILE)));
            return new Owner(n.path("url").asText(), n.path("pid").asLong());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(dir.resolve(INFO_FILE));
        lock.release();
        channel.close();
    }
}
