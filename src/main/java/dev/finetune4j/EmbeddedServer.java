package dev.finetune4j;

import dev.finetune4j.notebook.LocalService;
import dev.finetune4j.server.LocalServer;
import java.nio.file.Path;

/**
 * The local server {@code FineTune.local()} starts: the finetune4j server, in-process. It lives here, beside the
 * command line, because it joins two packages that know nothing of each other (the facade and the server).
 */
public final class EmbeddedServer implements LocalService.Starter {
    @Override
    public LocalService start(Path dataDir) {
        LocalServer server = dataDir == null ? LocalServer.start() : LocalServer.start(dataDir);
        return new LocalService() {
            @Override
            public String baseUrl() {
                return server.baseUrl();
            }

            @Override
            public String apiKey() {
                return server.apiKey();
            }

            @Override
            public String adminKey() {
                return server.adminKey();
            }

            @Override
            public Path dataDir() {
                return server.dataDir();
            }

            @Override
            public boolean attached() {
                return server.attached();
            }

            @Override
            public void close() {
                server.close();
            }

            @Override
            public String toString() {
                return server.toString();
            }
        };
    }

    @Override
    public String trainingNote() {
        return LocalServer.trainingNote();
    }
}
