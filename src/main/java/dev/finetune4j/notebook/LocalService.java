package dev.finetune4j.notebook;

import java.nio.file.Path;

/**
 * A local OpenAI-compatible server that {@link FineTune#local()} starts in-process. The facade knows the server only
 * through this interface, so that it depends on the client alone; the finetune4j jar provides its own server (see
 * {@code dev.finetune4j.EmbeddedServer}), found with {@link java.util.ServiceLoader}.
 */
public interface LocalService extends AutoCloseable {
    /** The API base URL, ending in {@code /v1}. */
    String baseUrl();

    /** The key of the project the facade works in. */
    String apiKey();

    /** The key of the server's admin endpoints, or null when this process did not start the server. */
    String adminKey();

    /** Where the server keeps its state. */
    Path dataDir();

    /** Whether another process or facade started the server: it stops when that one ends. */
    boolean attached();

    @Override
    void close();

    /** Starts a local server; registered in {@code META-INF/services}. */
    interface Starter {
        /** Starts a server on {@code dataDir}, or attaches to the one running there; null: the default folder. */
        LocalService start(Path dataDir);

        /** A note for the user when training will run slower than it could, else null. */
        String trainingNote();
    }
}
