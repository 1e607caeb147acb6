package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expired files and uploads go, while the server runs and at its next start; nothing a job still needs does. */
class CleanupTest {
    @TempDir
    Path dir;
    LocalServer server;
    Http http;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start(Duration cleanupEvery) {
        server = LocalServer.builder().dataDir(dir).engine(new CountingEngine(20)).cleanupEvery(cleanupEvery).start();
        http = new Http(server.baseUrl(), server.apiKey());
    }

    private String upload() {
        return LocalServerHttpTest.upload(http, LocalServerHttpTest.jsonl(12));
    }

    /** A pending upload with one part stored. */
    private String pendingUpload() {
        byte[] data = LocalServerHttpTest.jsonl(12);
        Http.Response created = http.post("/uploads", Map.of("filename", "train.jsonl", "purpose", "fine-tune",
                "bytes", data.length, "mime_type", "text/jsonl"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String id = created.json().get("id").asText();
        Http.Response part = http.multipart("/uploads/" + id + "/parts", Map.of(), "data", "blob",
                Arrays.copyOf(data, data.length / 2));
        assertThat(part.status()).as(part.body()).isEqualTo(200);
        return id;
    }

    /** Moves an expiry into the past, as time would, through a connection of its own. */
    private void expire(String table, String id, long secondsAgo) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("finetune4j.db"));
             PreparedStatement st = c.prepareStatement("UPDATE " + table + " SET expires_at = ? WHERE id = ?")) {
            c.createStatement().execute("PRAGMA busy_timeout=5000");
            st.setLong(1, Projects.now() - secondsAgo);
            st.setString(2, id);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }

    private Path blob(String fileId) throws java.io.IOException {
        return new Blobs(dir).file(fileId);
    }

    private Path parts(String uploadId) throws java.io.IOException {
        return new Blobs(dir).uploadDir(uploadId);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
            LocalServerHttpTest.sleep(20);
        }
    }

    @Test
    void expiredFilesAndUploadsGoWhileTheServerRuns() throws Exception {
        start(Duration.ofMillis(100));
        String kept = upload();
        String expired = upload();
        String usedByPausedJob = upload();
        String job = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", usedByPausedJob,
                "hyperparameters", Map.of("n_epochs", 50))).json().get("id").asText();
        awaitTrue("the job starts",
                () -> http.get("/fine_tuning/jobs/" + job).json().path("status").asText().equals("running"));
        assertThat(http.post("/fine_tuning/jobs/" + job + "/pause", (String) null).status()).isEqualTo(200);
        String longExpired = pendingUpload();
        String justExpired = pendingUpload();
        assertThat(parts(longExpired)).isDirectory();

        expire("files", expired, 1);
        expire("files", usedByPausedJob, 1);
        expire("uploads", longExpired, Cleanup.UPLOAD_PARTS_GRACE.toSeconds() + 60);
        expire("uploads", justExpired, 60);

        Path expiredBlob = blob(expired);
        awaitTrue("the expired file's blob goes", () -> !Files.exists(expiredBlob));
        assertThat(http.get("/files/" + expired).status()).isEqualTo(404);
        assertThat(http.get("/files/" + kept).status()).isEqualTo(200);
        assertThat(blob(kept)).exists();
        assertThat(blob(usedByPausedJob)).as("a paused job still needs it").exists();

        for (String upload : new String[] {longExpired, justExpired}) {
            Http.Response cancel = http.post("/uploads/" + upload + "/cancel", (String) null);
            assertThat(cancel.status()).isEqualTo(400);
            assertThat(cancel.json().at("/error/message").asText()).contains("expired");
        }
        // a sweep may have run between the expiry updates above, removing the file but not yet these parts
        Path longExpiredParts = parts(longExpired);
        awaitTrue("the long-expired upload's parts go", () -> !Files.exists(longExpiredParts));
        assertThat(parts(justExpired)).as("parts stay for an hour after expiry").isDirectory();

        // once the job is over, its expired file goes too
        assertThat(http.post("/fine_tuning/jobs/" + job + "/cancel", (String) null).status()).isEqualTo(200);
        Path jobBlob = blob(usedByPausedJob);
        awaitTrue("the cancelled job's file goes", () -> !Files.exists(jobBlob));
    }

    @Test
    void atStartExpiredFilesAndTheLeftoverPartsOfEveryFinishedUploadGo() throws Exception {
        start(Duration.ofHours(1));
        String expired = upload();
        String kept = upload();
        String justExpired = pendingUpload();
        server.close();
        server = null;
        expire("files", expired, 1);
        expire("uploads", justExpired, 60);

        start(Duration.ofHours(1));
        assertThat(http.get("/files/" + expired).status()).isEqualTo(404);
        assertThat(blob(expired)).doesNotExist();
        assertThat(http.get("/files/" + kept).status()).isEqualTo(200);
        // no request can be reading them at start, so the grace period does not apply
        assertThat(parts(justExpired)).doesNotExist();
        assertThat(Files.exists(blob(kept))).isTrue();
    }

    @Test
    void atStartBlobsThatNoRowPointsToGo() throws Exception {
        start(Duration.ofHours(1));
        String file = upload();
        Http.Response created = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file));
        String job = created.json().get("id").asText();
        awaitTrue("the job succeeds", () -> http.get("/fine_tuning/jobs/" + job).json().get("status").asText()
                .equals("succeeded"));
        String model = http.get("/fine_tuning/jobs/" + job).json().get("fine_tuned_model").asText();
        server.close();
        server = null;
        Path jobDir = new Blobs(dir).jobsDir().resolve(job);
        List<Path> checkpoints;
        try (var list = Files.list(jobDir)) {
            checkpoints = list.filter(p -> p.getFileName().toString().startsWith("ckpt-step-")).toList();
        }
        assertThat(checkpoints).isNotEmpty();
        // as a crash leaves them: a model's row deleted before its file, a file stored without its row
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("finetune4j.db"))) {
            c.createStatement().executeUpdate("DELETE FROM models WHERE id = '" + model + "'");
        }
        Path orphanFile = Files.writeString(blob("file-orphan"), "{}\n");
        Path orphanCheckpoint = Files.writeString(jobDir.resolve("ckpt-step-999.bin"), "x");

        start(Duration.ofHours(1));
        assertThat(jobDir.resolve("model.bin")).doesNotExist();
        assertThat(orphanFile).doesNotExist();
        assertThat(orphanCheckpoint).doesNotExist();
        assertThat(checkpoints).allMatch(Files::exists);
        assertThat(blob(file)).exists();
        assertThat(http.get("/fine_tuning/jobs/" + job + "/checkpoints").json().get("data")).isNotEmpty();
    }
}
