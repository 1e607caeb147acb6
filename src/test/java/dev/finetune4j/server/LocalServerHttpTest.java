package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's HTTP behaviour with a deterministic stand-in engine: lifecycle, errors, isolation, durability. */
class LocalServerHttpTest {
    @TempDir
    Path dir;
    LocalServer server;
    CountingEngine engine;
    Http http;

    @BeforeEach
    void start() {
        engine = new CountingEngine(20);
        server = LocalServer.builder().dataDir(dir).engine(engine).maxFileBytes(64 * 1024)
                .resumeStateEverySteps(2).start();
        http = new Http(server.baseUrl(), server.apiKey());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    static byte[] jsonl(int examples) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < examples; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"What is ").append(i).append("+1?\"},")
                    .append("{\"role\":\"assistant\",\"content\":\"").append(i + 1).append("\"}]}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String upload(Http h, byte[] content) {
        Http.Response r = h.multipart("/files", Map.of("purpose", "fine-tune"), "file", "train.jsonl", content);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    String createJob(Map<String, Object> body) {
        Http.Response r = http.post("/fine_tuning/jobs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    JsonNode await(String jobId, Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode job = http.get("/fine_tuning/jobs/" + jobId).json();
            if (until.test(job)) return job;
            assertThat(System.nanoTime()).as("waiting for %s, last %s", jobId, job).isLessThan(deadline);
            sleep(20);
        }
    }

    /**
     * Creates a job whose validation waits a minute, as for a large file, unless interrupted; returns once it
     * waits. Later validations are immediate.
     */
    String createJobWhoseValidationTakesAMinute(String file) {
        java.util.concurrent.CountDownLatch validating = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        engine.onValidate = () -> {
            if (calls.incrementAndGet() > 1) return;
            validating.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // as the validator's file reads end: the channel closed, the thread still interrupted
                Thread.currentThread().interrupt();
                throw new java.io.UncheckedIOException(new java.nio.channels.ClosedByInterruptException());
            }
        };
        String job = createJob(Map.of("model", "nano", "training_file", file));
        try {
            assertThat(validating.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return job;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static Predicate<JsonNode> status(String s) {
        return j -> j.path("status").asText().equals(s);
    }

    static final Predicate<JsonNode> TERMINAL = j -> List.of("succeeded", "failed", "cancelled")
            .contains(j.path("status").asText());

    List<JsonNode> allEvents(String jobId) {
        JsonNode page = http.get("/fine_tuning/jobs/" + jobId + "/events?limit=10000").json();
        List<JsonNode> out = new ArrayList<>();
        page.get("data").forEach(out::add);
        return out;
    }

    @Test
    void authMatrix() {
        assertThat(http.as(null).get("/models").status()).isEqualTo(401);
        assertThat(http.as("sk-wrong").get("/models").status()).isEqualTo(401);
        assertThat(http.as("sk-wrong").get("/models").json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(http.get("/models").status()).isEqualTo(200);
        assertThat(http.post("/organization/projects", Map.of("name", "b")).status()).isEqualTo(403);
        assertThat(http.get("/fine_tuning/checkpoints/ft:x:ckpt-step-1/permissions").status()).isEqualTo(403);
        Http admin = http.as(server.adminKey());
        Http.Response created = admin.post("/organization/projects", Map.of("name", "team-b"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String otherKey = created.json().get("api_key").asText();
        Http other = http.as(otherKey);
        String file = upload(http, jsonl(12));
        assertThat(other.get("/files/" + file).status()).isEqualTo(404);
        assertThat(other.get("/files").json().get("data")).isEmpty();
        assertThat(other.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file)).status()).isEqualTo(404);
        String job = createJob(Map.of("model", "nano", "training_file", file));
        assertThat(other.get("/fine_tuning/jobs/" + job).status()).isEqualTo(404);
        assertThat(other.post("/fine_tuning/jobs/" + job + "/cancel", (String) null).status()).isEqualTo(404);
        assertThat(http.get("/nothing/here").status()).isEqualTo(404);
        assertThat(http.get("/nothing/here").json().at("/error/message").asText()).contains("Invalid URL");
    }

    @Test
    void projectHeaderMustNameTheKeysProject() {
        ProjectKey b = server.createProject("team-b");
        Http other = http.as(b.apiKey());
        assertThat(other.withHeader("OpenAI-Project", b.projectId()).get("/models").status()).isEqualTo(200);
        Http.Response mismatched = http.withHeader("OpenAI-Project", b.projectId()).get("/models");
        assertThat(mismatched.status()).isEqualTo(401);
        assertThat(mismatched.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(mismatched.code()).isEqualTo("mismatched_project");
        assertThat(mismatched.json().at("/error/message").asText())
                .startsWith("OpenAI-Project header should match project for API key");
        assertThat(other.withHeader("OpenAI-Project", "proj_nope").post("/fine_tuning/jobs", Map.of()).code())
                .isEqualTo("mismatched_project");
        assertThat(http.withHeader("OpenAI-Project", " ").get("/models").status()).as("a blank header").isEqualTo(200);
        // the admin key acts for the default project: naming another is refused, not ignored
        Http admin = http.as(server.adminKey());
        Http.Response adminElsewhere = admin.withHeader("OpenAI-Project", b.projectId()).get("/files");
        assertThat(adminElsewhere.status()).isEqualTo(401);
        assertThat(adminElsewhere.json().at("/error/message").asText()).startsWith("The admin key acts for the default project");
        assertThat(admin.get("/files").status()).isEqualTo(200);
    }

    @Test
    void errorsJettyAnswersBeforeRoutingAreJson() throws Exception {
        Http.Response nul = http.get("/fine_tuning/jobs/ftjob-%00");
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(nul.json().at("/error/message").asText()).contains("%00");
        String port = server.baseUrl().replaceAll(".*:(\\d+)/v1", "$1");
        for (String request : List.of(
                "GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                "GET /v1/f\u00ff HTTP/1.1\r\nHost: x\r\n\r\n",
                "DELETE /v1/files/x HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                "PUT /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.apiKey()
                        + "\r\nContent-Length: 0\r\n\r\n")) {
            String answer = raw(Integer.parseInt(port), request);
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertThat(head).as(request).contains("content-type: application/json").containsPattern("x-request-id: req_");
            assertThat(Json.tree(body).at("/error/message").asText()).as(body).isNotEmpty();
            assertThat(Json.tree(body).at("/error/type").asText()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void headAnswersAsGetWouldWithoutABody() throws Exception {
        String file = upload(http, jsonl(3));
        var client = java.net.http.HttpClient.newHttpClient();
        for (var c : List.of(Map.entry("/models", 200), Map.entry("/files/" + file, 200),
                Map.entry("/files/" + file + "/content", 200), Map.entry("/files/file-nope", 404),
                Map.entry("/fine_tuning/jobs/ftjob-nope/events", 404), Map.entry("/models/nope", 404))) {
            var head = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + c.getKey()))
                    .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + server.apiKey()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(head.body()).isEmpty();
            assertThat(head.statusCode()).isEqualTo(http.get(c.getKey()).status());
        }
    }

    /** Sends bytes no HTTP client would, and reads the answer up to the end of its body. */
    private static String raw(int port, String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            java.io.InputStream in = socket.getInputStream();
            StringBuilder sb = new StringBuilder();
            int length = -1;
            while (true) {
                int b = in.read();
                if (b < 0) break;
                sb.append((char) b);
                int end = sb.indexOf("\r\n\r\n");
                if (end >= 0 && length < 0) {
                    var m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(sb);
                    length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                }
                if (length >= 0 && sb.length() >= end + 4 + length) break;
            }
            return sb.toString();
        }
    }

    @Test
    void keyFilesAreOwnerOnlyAndSurviveRestart() throws Exception {
        Path keyFile = dir.resolve("keys").resolve("default.key");
        assertThat(Files.readString(keyFile).trim()).isEqualTo(server.apiKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        // the data directory is the owner's alone (the database, training data and models inside it too)
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        String key = server.apiKey();
        server.close();
        server = LocalServer.builder().dataDir(dir).engine(new CountingEngine(20)).start();
        assertThat(server.apiKey()).isEqualTo(key);
        assertThat(new Http(server.baseUrl(), key).get("/models").status()).isEqualTo(200);
    }

    @Test
    void secondStartOnTheSameDirectoryAttaches() {
        LocalServer second = LocalServer.builder().dataDir(dir).engine(new CountingEngine(20)).start();
        assertThat(second.attached()).isTrue();
        assertThat(second.baseUrl()).isEqualTo(server.baseUrl());
        assertThat(second.apiKey()).isEqualTo(server.apiKey());
        ProjectKey p = second.createProject("via-daemon");
        assertThat(new Http(server.baseUrl(), p.apiKey()).get("/files").status()).isEqualTo(200);
        second.close();
        assertThat(http.get("/models").status()).isEqualTo(200);
    }

    @Test
    void filesUploadListContentDelete() {
        byte[] data = jsonl(12);
        String id = upload(http, data);
        JsonNode f = http.get("/files/" + id).json();
        assertThat(f.get("bytes").asLong()).isEqualTo(data.length);
        assertThat(f.get("purpose").asText()).isEqualTo("fine-tune");
        assertThat(f.get("status").asText()).isEqualTo("processed");
        assertThat(http.get("/files/" + id + "/content").body()).isEqualTo(new String(data, StandardCharsets.UTF_8));
        String second = upload(http, jsonl(3));
        JsonNode list = http.get("/files?limit=1").json();
        assertThat(list.get("data").get(0).get("id").asText()).isEqualTo(second);
        assertThat(list.get("has_more").asBoolean()).isTrue();
        JsonNode next = http.get("/files?limit=1&after=" + second).json();
        assertThat(next.get("data").get(0).get("id").asText()).isEqualTo(id);
        assertThat(http.get("/files?order=asc").json().get("data").get(0).get("id").asText()).isEqualTo(id);
        JsonNode none = http.get("/files?purpose=batch").json();
        assertThat(none.get("data")).isEmpty();
        assertThat(none.has("first_id") && none.get("first_id").isNull()).as("first_id: null, %s", none).isTrue();
        assertThat(none.has("last_id") && none.get("last_id").isNull()).as("last_id: null, %s", none).isTrue();
        assertThat(http.get("/files?order=sideways").status()).isEqualTo(400);
        Http.Response typo = http.get("/files?purpose=fine_tune");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.param()).isEqualTo("purpose");
        assertThat(typo.json().at("/error/message").asText()).contains("fine-tune-results");
        JsonNode deleted = http.delete("/files/" + id).json();
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(http.get("/files/" + id).status()).isEqualTo(404);
        assertThat(Files.exists(dir.resolve("files").resolve(id))).isFalse();
    }

    @Test
    void aListContinuesAfterAnItemDeletedWhileListing() {
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < 5; i++) uploaded.add(upload(http, jsonl(1 + i)));
        // the usual clean-up loop: each page's items are deleted before the next page is asked for
        List<String> deleted = new ArrayList<>();
        String after = null;
        do {
            Http.Response page = http.get("/files?limit=2" + (after == null ? "" : "&after=" + after));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            for (JsonNode f : page.json().get("data")) {
                assertThat(http.delete("/files/" + f.get("id").asText()).status()).isEqualTo(200);
                deleted.add(f.get("id").asText());
            }
            after = page.json().get("has_more").asBoolean() ? page.json().get("last_id").asText() : null;
        } while (after != null);
        assertThat(deleted).containsExactlyInAnyOrderElementsOf(uploaded);
        // a deleted file is still unknown everywhere else, and to other projects as a cursor
        assertThat(http.get("/files/" + uploaded.get(0)).status()).isEqualTo(404);
        Http other = http.as(http.as(server.adminKey()).post("/organization/projects", Map.of("name", "b")).json()
                .get("api_key").asText());
        assertThat(other.get("/files?after=" + uploaded.get(0)).status()).isEqualTo(404);
    }

    @Test
    void aDataDirectoryOfTheFirstSchemaIsUpgradedInPlace() throws Exception {
        String kept = upload(http, jsonl(2));
        server.close();
        // as the first version of the server left it
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("finetune4j.db"));
             var st = c.createStatement()) {
            st.execute("DROP TABLE deleted_cursors");
            st.execute("PRAGMA user_version=1");
        }
        server = LocalServer.builder().dataDir(dir).engine(engine).start();
        http = new Http(server.baseUrl(), server.apiKey());
        assertThat(http.get("/files/" + kept).status()).isEqualTo(200);
        String gone = upload(http, jsonl(3));
        assertThat(http.delete("/files/" + gone).status()).isEqualTo(200);
        assertThat(http.get("/files?after=" + gone).json().at("/data/0/id").asText()).isEqualTo(kept);
    }

    @Test
    void jobListFiltersRefuseAMetadataValueTheyCannotUse() {
        Http.Response typo = http.get("/fine_tuning/jobs?metadata=team");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.param()).isEqualTo("metadata");
        assertThat(typo.json().at("/error/message").asText()).contains("metadata[KEY]=VALUE");
        assertThat(http.get("/fine_tuning/jobs?metadata=null").status()).isEqualTo(200);
        assertThat(http.get("/fine_tuning/jobs?metadata%5Bteam%5D=a").status()).isEqualTo(200);
    }

    @Test
    void baseModelsKeepTheirCreationTimeAcrossRestarts() throws Exception {
        long created = http.get("/models/nano").json().get("created").asLong();
        server.close();
        Thread.sleep(1100); // a second later, in the API's seconds
        server = LocalServer.builder().dataDir(dir).engine(engine).start();
        http = new Http(server.baseUrl(), server.apiKey());
        assertThat(http.get("/models/nano").json().get("created").asLong()).isEqualTo(created);
    }

    @Test
    void largeContentWithCompressionRequested() throws Exception {
        byte[] data = jsonl(600);
        Http h = new Http(server.baseUrl(), server.apiKey());
        String id = upload(h, java.util.Arrays.copyOf(data, Math.min(data.length, 60_000)));
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/files/" + id + "/content"))
                .header("Authorization", "Bearer " + server.apiKey()).header("Accept-Encoding", "gzip").build();
        var r = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        byte[] body = r.body();
        if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
            body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
        }
        assertThat(body).hasSize(Math.min(data.length, 60_000));
    }

    @Test
    void oversizeJsonBodyIsRefused() throws Exception {
        // refused from its Content-Length, before any of the body is read (a client still sending it would see its
        // connection closed under it, so this one sends the head alone)
        int port = Integer.parseInt(server.baseUrl().replaceAll(".*:(\\d+)/v1", "$1"));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + server.apiKey() + "\r\nContent-Type: application/json\r\nContent-Length: " + (17 << 20)
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 413");
            JsonNode error = Json.tree(response.substring(response.indexOf("\r\n\r\n") + 4)).get("error");
            assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        }
        assertThat(http.get("/models").status()).isEqualTo(200);
    }

    @Test
    void badUploads() {
        Http.Response big = http.multipart("/files", Map.of("purpose", "fine-tune"), "file", "big.jsonl", new byte[100_000]);
        assertThat(big.status()).as(big.body()).isEqualTo(413);
        assertThat(big.error()).isEqualTo("file_too_large");
        Http.Response purpose = http.multipart("/files", Map.of("purpose", "nonsense"), "file", "a.jsonl", jsonl(1));
        assertThat(purpose.status()).isEqualTo(400);
        assertThat(purpose.param()).isEqualTo("purpose");
        Http.Response noPurpose = http.multipart("/files", Map.of(), "file", "a.jsonl", jsonl(1));
        assertThat(noPurpose.status()).isEqualTo(400);
        assertThat(noPurpose.error()).isEqualTo("missing_required_parameter");
        Http.Response noFile = http.multipart("/files", Map.of("purpose", "fine-tune"), null, null, null);
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.param()).isEqualTo("file");
        Http.Response txt = http.multipart("/files", Map.of("purpose", "fine-tune"), "file", "a.txt", jsonl(1));
        assertThat(txt.status()).isEqualTo(400);
        Http.Response json = http.post("/files", "{}");
        assertThat(json.status()).isEqualTo(400);
        // a multipart body cut before its closing boundary: a 400 that names the problem, not a 500
        Http.Response cut = http.post("/files", "multipart/form-data; boundary=XX", ("--XX\r\nContent-Disposition: form-data;"
                + " name=\"purpose\"\r\n\r\nfine-tune\r\n--XX\r\nContent-Disposition: form-data; name=\"file\";"
                + " filename=\"a.jsonl\"\r\n\r\n{}").getBytes(StandardCharsets.UTF_8));
        assertThat(cut.status()).as(cut.body()).isEqualTo(400);
        assertThat(cut.error()).isEqualTo("invalid_multipart");
        assertThat(cut.body()).doesNotContain("jakarta").doesNotContain("org.eclipse");
        Http.Response typo = http.multipart("/files", Map.of("purpose", "fine-tune", "expires_after[second]", "3600"),
                "file", "a.jsonl", jsonl(1));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.error()).isEqualTo("unknown_parameter");
        assertThat(typo.param()).isEqualTo("expires_after[second]");
        Http.Response misnamed = http.multipart("/files", Map.of("purpose", "fine-tune"), "training_file", "a.jsonl", jsonl(1));
        assertThat(misnamed.status()).isEqualTo(400);
        assertThat(misnamed.param()).isEqualTo("training_file");
        assertThat(misnamed.body()).contains("this endpoint takes expires_after[anchor], expires_after[seconds], file, purpose");
        try (var stream = Files.list(dir.resolve("tmp"))) {
            assertThat(stream.filter(p -> p.getFileName().toString().startsWith("blob-")).toList()).isEmpty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(http.get("/files").json().get("data")).isEmpty();
    }

    @Test
    void uploadsInParts() {
        byte[] data = jsonl(12);
        int half = data.length / 2;
        Http.Response created = http.post("/uploads", Map.of("filename", "train.jsonl", "purpose", "fine-tune",
                "bytes", data.length, "mime_type", "text/jsonl"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String upload = created.json().get("id").asText();
        assertThat(created.json().get("status").asText()).isEqualTo("pending");
        Http.Response png = http.post("/uploads", Map.of("filename", "train.jsonl", "purpose", "fine-tune",
                "bytes", data.length, "mime_type", "image/png"));
        assertThat(png.status()).isEqualTo(400);
        assertThat(png.param()).isEqualTo("mime_type");
        String p1 = http.multipart("/uploads/" + upload + "/parts", Map.of(), "data", "blob",
                java.util.Arrays.copyOfRange(data, 0, half)).json().get("id").asText();
        String p2 = http.multipart("/uploads/" + upload + "/parts", Map.of(), "data", "blob",
                java.util.Arrays.copyOfRange(data, half, data.length)).json().get("id").asText();
        Http.Response extra = http.multipart("/uploads/" + upload + "/parts", Map.of("part", "1"), "data", "blob", data);
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.param()).isEqualTo("part");
        Http.Response wrongOrderSize = http.post("/uploads/" + upload + "/complete", Map.of("part_ids", List.of(p2)));
        assertThat(wrongOrderSize.status()).isEqualTo(400);
        Http.Response badMd5 = http.post("/uploads/" + upload + "/complete", Map.of("part_ids", List.of(p1, p2),
                "md5", "00000000000000000000000000000000"));
        assertThat(badMd5.status()).isEqualTo(400);
        Http.Response done = http.post("/uploads/" + upload + "/complete", Map.of("part_ids", List.of(p1, p2)));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().get("status").asText()).isEqualTo("completed");
        String file = done.json().at("/file/id").asText();
        assertThat(http.get("/files/" + file + "/content").body()).isEqualTo(new String(data, StandardCharsets.UTF_8));
        assertThat(http.post("/uploads/" + upload + "/cancel", (String) null).status()).isEqualTo(400);
        assertThat(http.get("/files").json().get("data")).hasSize(1);
    }

    @Test
    void createJobRejectsBadInput() {
        String file = upload(http, jsonl(12));
        Http.Response r = http.post("/fine_tuning/jobs", "{not json");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(http.post("/fine_tuning/jobs", "[1,2]").status()).isEqualTo(400);
        r = http.post("/fine_tuning/jobs", Map.of("training_file", file));
        assertThat(r.param()).isEqualTo("model");
        assertThat(r.error()).isEqualTo("missing_required_parameter");
        r = http.post("/fine_tuning/jobs", Map.of("model", 42, "training_file", file));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("invalid_type");
        r = http.post("/fine_tuning/jobs", Map.of("model", "davinci-002", "training_file", file,
                "method", Map.of("type", "dpo")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.param()).isEqualTo("method.type");
        assertThat(r.body()).contains("does not support method type 'dpo'");
        r = http.post("/fine_tuning/jobs", Map.of("model", "gpt-99", "training_file", file));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.param()).isEqualTo("model");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", "file-nope"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.param()).isEqualTo("training_file");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file, "suffix", "x".repeat(65)));
        assertThat(r.error()).isEqualTo("string_above_max_length");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file, "seed", -1));
        assertThat(r.error()).isEqualTo("integer_below_min_value");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file, "seed", "7"));
        assertThat(r.error()).isEqualTo("invalid_type");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file,
                "hyperparameters", Map.of("n_epochs", 51)));
        assertThat(r.param()).isEqualTo("hyperparameters.n_epochs");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file,
                "method", Map.of("type", "supervised", "supervised", Map.of("hyperparameters",
                        Map.of("learning_rate_multiplier", 0)))));
        assertThat(r.param()).isEqualTo("method.supervised.hyperparameters.learning_rate_multiplier");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file,
                "method", Map.of("type", "magic")));
        assertThat(r.param()).isEqualTo("method.type");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file,
                "method", Map.of("type", "dpo")));
        assertThat(r.code()).as("an engine that trains supervised jobs only").isEqualTo("unsupported_method");
        assertThat(r.param()).isEqualTo("method.type");
        Map<String, String> tooMany = new LinkedHashMap<>();
        for (int i = 0; i < 17; i++) tooMany.put("k" + i, "v");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file, "metadata", tooMany));
        assertThat(r.param()).isEqualTo("metadata");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file,
                "metadata", Map.of("k", "v".repeat(513))));
        assertThat(r.error()).isEqualTo("string_above_max_length");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file, "colour", "red"));
        assertThat(r.error()).isEqualTo("unknown_parameter");
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", file,
                "integrations", List.of(Map.of("type", "wandb", "wandb", Map.of()))));
        assertThat(r.param()).isEqualTo("integrations[0].wandb.project");
        String batch = http.multipart("/files", Map.of("purpose", "batch"), "file", "b.jsonl", jsonl(1))
                .json().get("id").asText();
        r = http.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file", batch));
        assertThat(r.error()).isEqualTo("invalid_file_purpose");
        assertThat(http.get("/fine_tuning/jobs").json().get("data")).isEmpty();
        assertThat(http.get("/fine_tuning/jobs/ftjob-nope").status()).isEqualTo(404);
        assertThat(http.get("/fine_tuning/jobs?limit=abc").status()).isEqualTo(400);
        assertThat(http.get("/fine_tuning/jobs?limit=0").status()).isEqualTo(400);
    }

    @Test
    void createJobValidatesTheWholeBodyBeforeLookingUpFiles() {
        Map<String, Object> base = Map.of("model", "nano", "training_file", "file-unknown");
        Map<Map<String, Object>, String> faults = new LinkedHashMap<>();
        faults.put(Map.of("hyperparameters", Map.of("n_epochs", 1e40)), "hyperparameters.n_epochs");
        faults.put(Map.of("hyperparameters", Map.of("n_epochs", 2.5)), "hyperparameters.n_epochs");
        faults.put(Map.of("metadata", Map.of("team", 7)), "metadata.team");
        faults.put(Map.of("integrations", java.util.Collections.nCopies(6,
                Map.of("type", "wandb", "wandb", Map.of("project", "p")))), "integrations");
        faults.put(Map.of("method", Map.of("type", "supervised", "dpo", Map.of())), "method.dpo");
        faults.put(Map.of("method", Map.of("type", "dpo"), "hyperparameters", Map.of("n_epochs", 2)),
                "hyperparameters");
        faults.put(Map.of("validation_file", 3), "validation_file");
        for (Map.Entry<Map<String, Object>, String> fault : faults.entrySet()) {
            Map<String, Object> body = new LinkedHashMap<>(base);
            body.putAll(fault.getKey());
            Http.Response r = http.post("/fine_tuning/jobs", body);
            assertThat(r.status()).as("%s: %s", fault.getKey(), r.body()).isEqualTo(400);
            assertThat(r.param()).as(r.body()).isEqualTo(fault.getValue());
        }
        Http.Response huge = http.post("/fine_tuning/jobs", "{\"model\":\"nano\",\"training_file\":\"file-unknown\","
                + "\"hyperparameters\":{\"n_epochs\":1e40}}");
        assertThat(huge.code()).isEqualTo("integer_above_max_value");
        assertThat(huge.json().at("/error/message").asText()).contains("got 1.0E40").doesNotContain("9223372036854775807");
        Http.Response negative = http.post("/fine_tuning/jobs", "{\"model\":\"nano\",\"training_file\":\"f\","
                + "\"seed\":-123456789012345678901234567890}");
        assertThat(negative.code()).isEqualTo("integer_below_min_value");
        assertThat(negative.json().at("/error/message").asText()).contains("got -123456789012345678901234567890");
        Http.Response unknown = http.post("/fine_tuning/jobs", base);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("file_not_found");
    }

    @Test
    void brokenJsonlFailsTheJobWithTheLineNumber() {
        String good = new String(jsonl(3), StandardCharsets.UTF_8);
        String file = upload(http, (good + "{\"messages\": [oops\n").getBytes(StandardCharsets.UTF_8));
        String job = createJob(Map.of("model", "nano", "training_file", file));
        JsonNode failed = await(job, TERMINAL);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("invalid_training_file");
        assertThat(failed.at("/error/param").asText()).isEqualTo("training_file");
        assertThat(failed.at("/error/message").asText()).contains("Line 4");
        assertThat(allEvents(job).get(0).get("level").asText()).isEqualTo("error");
    }

    @Test
    void fullLifecycle() {
        String file = upload(http, jsonl(12));
        String valid = upload(http, jsonl(4));
        String job = createJob(Map.of("model", "gpt-4o-mini-2024-07-18", "training_file", file,
                "validation_file", valid, "suffix", "demo", "seed", 7, "metadata", Map.of("team", "a"),
                "integrations", List.of(Map.of("type", "wandb", "wandb", Map.of("project", "p")))));
        JsonNode created = http.get("/fine_tuning/jobs/" + job).json();
        assertThat(created.get("object").asText()).isEqualTo("fine_tuning.job");
        assertThat(created.get("seed").asLong()).isEqualTo(7);
        assertThat(created.get("fine_tuned_model").isNull()).isTrue();
        assertThat(created.get("user_provided_suffix").asText()).as("known before the model name").isEqualTo("demo");
        JsonNode done = await(job, TERMINAL);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        String model = done.get("fine_tuned_model").asText();
        assertThat(model).startsWith("ft:gpt-4o-mini-2024-07-18:local:demo:");
        assertThat(done.get("trained_tokens").asLong()).isEqualTo(1200);
        assertThat(done.at("/hyperparameters/n_epochs").asInt()).isEqualTo(2);
        assertThat(done.at("/method/supervised/hyperparameters/batch_size").asInt()).isEqualTo(2);
        assertThat(done.get("finished_at").isNull()).isFalse();
        assertThat(done.has("terminal")).as("no accessor leaks into the JSON").isFalse();

        List<JsonNode> events = allEvents(job);
        List<String> messages = events.stream().map(e -> e.get("message").asText()).toList();
        assertThat(messages.get(0)).isEqualTo("The job has successfully completed");
        assertThat(messages).contains("Files validated, moving job to queued state", "Fine-tuning job started",
                "New fine-tuned model created", "Checkpoint created at step 6", "Checkpoint created at step 12",
                "Validating training file: " + file);
        assertThat(messages.get(messages.size() - 1)).isEqualTo("Created fine-tuning job: " + job);
        assertThat(messages).anyMatch(m -> m.contains("'micro' configuration"));
        assertThat(messages).anyMatch(m -> m.contains("Weights & Biases"));
        List<JsonNode> metrics = events.stream().filter(e -> "metrics".equals(e.path("type").asText())).toList();
        assertThat(events.get(0).has("metrics")).isFalse();
        assertThat(metrics).hasSize(12);
        assertThat(metrics.get(0).at("/data/step").asInt()).isEqualTo(12);
        assertThat(metrics.get(11).get("message").asText()).startsWith("Step 1/12: training loss=");

        JsonNode firstPage = http.get("/fine_tuning/jobs/" + job + "/events?limit=5").json();
        assertThat(firstPage.get("has_more").asBoolean()).isTrue();
        String last = firstPage.get("data").get(4).get("id").asText();
        JsonNode second = http.get("/fine_tuning/jobs/" + job + "/events?limit=5&after=" + last).json();
        assertThat(second.get("data").get(0).get("id").asText()).isEqualTo(events.get(5).get("id").asText());

        JsonNode ckpts = http.get("/fine_tuning/jobs/" + job + "/checkpoints").json();
        assertThat(ckpts.get("data")).hasSize(2);
        assertThat(ckpts.get("data").get(0).get("step_number").asInt()).isEqualTo(12);
        String ckpt = ckpts.get("data").get(1).get("fine_tuned_model_checkpoint").asText();
        assertThat(ckpt).isEqualTo(model + ":ckpt-step-6");
        assertThat(ckpts.get("data").get(1).at("/metrics/train_loss").isNumber()).isTrue();

        String resultFile = done.get("result_files").get(0).asText();
        String csv = http.get("/files/" + resultFile + "/content").body();
        assertThat(csv).startsWith("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
        assertThat(csv.lines().count()).isEqualTo(13);
        assertThat(http.get("/files/" + resultFile).json().get("purpose").asText()).isEqualTo("fine-tune-results");

        assertThat(http.get("/fine_tuning/jobs?metadata[team]=a").json().get("data")).hasSize(1);
        assertThat(http.get("/fine_tuning/jobs?metadata[team]=b").json().get("data")).isEmpty();
        assertThat(http.get("/fine_tuning/jobs?metadata=null").json().get("data")).isEmpty();
        String plain = createJob(Map.of("model", "nano", "training_file", file));
        assertThat(http.post("/fine_tuning/jobs/" + plain + "/cancel", (String) null).status()).isEqualTo(200);
        assertThat(http.get("/fine_tuning/jobs?metadata=null").json().findValuesAsText("id")).containsExactly(plain);
        assertThat(http.get("/fine_tuning/jobs?metadata[team]=a").json().findValuesAsText("id")).containsExactly(job);

        List<String> ids = new ArrayList<>();
        http.get("/models").json().get("data").forEach(m -> ids.add(m.get("id").asText()));
        assertThat(ids).contains("nano", "micro", model, ckpt);

        JsonNode chat = http.post("/chat/completions", Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", "hi")))).json();
        assertThat(chat.at("/choices/0/message/content").asText()).isEqualTo("weights of micro at step 12: echo: hi");
        assertThat(chat.at("/choices/0/message/refusal").isNull()).isTrue();
        assertThat(chat.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(chat.at("/usage/completion_tokens").asInt()).isEqualTo(37);
        JsonNode ckChat = http.post("/chat/completions", Map.of("model", ckpt,
                "messages", List.of(Map.of("role", "user", "content", "hi")))).json();
        assertThat(ckChat.at("/choices/0/message/content").asText()).startsWith("weights of micro at step 6");

        assertThat(http.post("/fine_tuning/jobs/" + job + "/cancel", (String) null).status()).isEqualTo(400);
        assertThat(http.post("/fine_tuning/jobs/" + job + "/pause", (String) null).status()).isEqualTo(400);
        assertThat(http.post("/fine_tuning/jobs/" + job + "/resume", (String) null).status()).isEqualTo(400);

        assertThat(http.delete("/models/nano").status()).isEqualTo(403);
        // a job that starts from the model keeps it until the job ends
        String further = createJob(Map.of("model", model, "training_file", file,
                "hyperparameters", Map.of("n_epochs", 10)));
        Http.Response inUse = http.delete("/models/" + model);
        assertThat(inUse.status()).as(inUse.body()).isEqualTo(400);
        assertThat(inUse.error()).isEqualTo("model_in_use");
        assertThat(inUse.body()).contains(further);
        assertThat(http.post("/fine_tuning/jobs/" + further + "/cancel", (String) null).status()).isEqualTo(200);
        JsonNode deleted = http.delete("/models/" + model).json();
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(http.post("/chat/completions", Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", "hi")))).status()).isEqualTo(404);
    }

    @Test
    void pauseResumeCancel() {
        String file = upload(http, jsonl(40));
        String job = createJob(Map.of("model", "nano", "training_file", file, "seed", 3,
                "hyperparameters", Map.of("n_epochs", 3)));
        await(job, j -> j.path("status").asText().equals("running")
                && http.get("/fine_tuning/jobs/" + job + "/events?limit=1").json().at("/data/0/type").asText().equals("metrics"));
        // one job trains at a time: a second one waits, and only a running job can be paused
        String waiting = createJob(Map.of("model", "nano", "training_file", file));
        Http.Response early = http.post("/fine_tuning/jobs/" + waiting + "/pause", (String) null);
        assertThat(early.status()).as(early.body()).isEqualTo(400);
        assertThat(early.code()).isEqualTo("invalid_job_state");
        assertThat(early.json().at("/error/message").asText()).contains("Only a running job can be paused");
        assertThat(http.post("/fine_tuning/jobs/" + waiting + "/cancel", (String) null).status()).isEqualTo(200);
        JsonNode paused = http.post("/fine_tuning/jobs/" + job + "/pause", (String) null).json();
        assertThat(paused.get("status").asText()).isEqualTo("paused");
        sleep(300);
        assertThat(http.post("/fine_tuning/jobs/" + job + "/pause", (String) null).status()).isEqualTo(400);
        long stepsWhilePaused = allEvents(job).stream().filter(e -> "metrics".equals(e.path("type").asText())).count();
        sleep(200);
        assertThat(allEvents(job).stream().filter(e -> "metrics".equals(e.path("type").asText())).count())
                .isEqualTo(stepsWhilePaused);
        JsonNode resumed = http.post("/fine_tuning/jobs/" + job + "/resume", (String) null).json();
        assertThat(resumed.get("status").asText()).isIn("queued", "running");
        JsonNode done = await(job, TERMINAL);
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertMetricsOfUninterruptedRun(job, 3, 60);

        String other = createJob(Map.of("model", "nano", "training_file", file));
        JsonNode cancelled = http.post("/fine_tuning/jobs/" + other + "/cancel", (String) null).json();
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(await(other, TERMINAL).get("status").asText()).isEqualTo("cancelled");
        assertThat(http.post("/fine_tuning/jobs/" + other + "/resume", (String) null).error()).isEqualTo("invalid_job_state");

        // cancelled while it trains: no step is told after the "cancelled" event
        String running = createJob(Map.of("model", "nano", "training_file", file, "hyperparameters", Map.of("n_epochs", 3)));
        await(running, j -> j.path("status").asText().equals("running")
                && http.get("/fine_tuning/jobs/" + running + "/events?limit=1").json().at("/data/0/type").asText().equals("metrics"));
        http.post("/fine_tuning/jobs/" + running + "/cancel", (String) null);
        await(running, TERMINAL);
        sleep(500);
        List<String> newestFirst = allEvents(running).stream().map(e -> e.path("message").asText()).toList();
        assertThat(newestFirst.get(0)).as("%s", newestFirst).isEqualTo("Fine-tuning job cancelled");
    }

    @Test
    void aPauseAndResumeWhileTheModelIsSavedDoNotTrainTheJobAgain() {
        String file = upload(http, jsonl(12));
        String[] job = new String[1];
        java.util.concurrent.atomic.AtomicInteger saves = new java.util.concurrent.atomic.AtomicInteger();
        engine.beforeWeights = weights -> {
            // the checkpoints of epochs 1 and 2, then the fine-tuned model
            if (saves.incrementAndGet() != 3) return;
            assertThat(http.post("/fine_tuning/jobs/" + job[0] + "/pause", (String) null).status()).isEqualTo(200);
            JsonNode resumed = http.post("/fine_tuning/jobs/" + job[0] + "/resume", (String) null).json();
            assertThat(resumed.get("status").asText()).isEqualTo("queued");
        };
        job[0] = createJob(Map.of("model", "nano", "training_file", file));
        JsonNode done = await(job[0], TERMINAL);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        List<String> messages = allEvents(job[0]).stream().map(e -> e.get("message").asText()).toList();
        assertThat(messages).filteredOn("Fine-tuning job started"::equals).hasSize(1);
        assertThat(messages).contains("Fine-tuning job resumed; it is queued to continue from where it stopped");
    }

    @Test
    void aJobPausedBeforeItsFirstStepLeavesNoStateBehind() throws Exception {
        String file = upload(http, jsonl(12));
        String[] job = new String[1];
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        engine.onRun = () -> {
            if (!first.getAndSet(false)) return;
            assertThat(http.post("/fine_tuning/jobs/" + job[0] + "/pause", (String) null).status()).isEqualTo(200);
        };
        job[0] = createJob(Map.of("model", "nano", "training_file", file));
        await(job[0], j -> allEvents(job[0]).stream().anyMatch(e -> e.get("message").asText()
                .equals("Training paused at step 0; resume the job to continue")));
        Path jobDir = dir.resolve("jobs").resolve(job[0]);
        assertThat(jobDir.resolve("state-step-0.bin")).exists();
        assertThat(http.post("/fine_tuning/jobs/" + job[0] + "/resume", (String) null).status()).isEqualTo(200);
        JsonNode done = await(job[0], TERMINAL);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        // the run started from the state saved at step 0, and the next state saved replaced it
        try (var left = java.nio.file.Files.list(jobDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("state-"));
        }
    }

    @Test
    void aSupervisedJobThatEndsBeforeItsModelLearnedSaysSo() {
        String file = upload(http, jsonl(4));
        // the stand-in's loss is 3/step: 2.25 over the two steps of one epoch, 0.40 over the fourth epoch's
        String early = createJob(Map.of("model", "nano", "training_file", file, "seed", 7,
                "hyperparameters", Map.of("n_epochs", 1, "batch_size", 2)));
        String longer = createJob(Map.of("model", "nano", "training_file", file, "seed", 7,
                "hyperparameters", Map.of("n_epochs", 4, "batch_size", 2)));
        assertThat(await(early, TERMINAL).get("status").asText()).isEqualTo("succeeded");
        assertThat(await(longer, TERMINAL).get("status").asText()).isEqualTo("succeeded");
        List<JsonNode> warnings = allEvents(early).stream().filter(e -> e.get("level").asText().equals("warn")).toList();
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w.get("message").asText()).startsWith(
                "The mean training loss of the last epoch is 2.25: the model has not learned its examples yet")
                .contains("1 epoch can be too few"));
        assertThat(allEvents(longer)).noneMatch(e -> e.get("level").asText().equals("warn"));
    }

    @Test
    void oneJobTrainsAtATimeFirstComeFirstServed() {
        String file = upload(http, jsonl(20));
        String first = createJob(Map.of("model", "nano", "training_file", file));
        String second = createJob(Map.of("model", "nano", "training_file", file));
        await(first, status("running"));
        JsonNode waiting = await(second, status("queued"));
        assertThat(waiting.has("estimated_finish")).isFalse();
        assertThat(http.get("/fine_tuning/jobs/" + first).json().get("status").asText()).isEqualTo("running");
        JsonNode running = await(first, j -> j.has("estimated_finish"));
        assertThat(running.get("estimated_finish").asLong()).isGreaterThanOrEqualTo(running.get("created_at").asLong());
        JsonNode list = http.get("/fine_tuning/jobs?limit=1").json();
        assertThat(list.at("/data/0/id").asText()).isEqualTo(second);
        assertThat(http.get("/fine_tuning/jobs?limit=1&after=" + second).json().at("/data/0/id").asText()).isEqualTo(first);
        assertThat(await(first, TERMINAL).get("status").asText()).isEqualTo("succeeded");
        assertThat(await(second, TERMINAL).get("status").asText()).isEqualTo("succeeded");
        long secondStarted = allEvents(second).stream().filter(e -> e.get("message").asText().equals("Fine-tuning job started"))
                .findFirst().orElseThrow().get("created_at").asLong();
        assertThat(secondStarted).isGreaterThanOrEqualTo(http.get("/fine_tuning/jobs/" + first).json().get("finished_at").asLong());
        assertThat(allEvents(second).stream().map(e -> e.get("message").asText())).contains("The job waits for a"
                + " training slot: 1 other job is queued or running, and this server trains 1 at a time, projects taking"
                + " turns");
        assertThat(allEvents(first).stream().map(e -> e.get("message").asText()))
                .noneMatch(m -> m.startsWith("The job waits"));
    }

    @Test
    void projectsTakeTurnsForTheTrainingSlot() {
        Http.Response created = http.as(server.adminKey()).post("/organization/projects", Map.of("name", "team-b"));
        Http other = http.as(created.json().get("api_key").asText());
        Map<String, Object> epochs = Map.of("n_epochs", 25);
        String file = upload(http, jsonl(20));
        String a1 = createJob(Map.of("model", "nano", "training_file", file, "hyperparameters", epochs));
        await(a1, status("running"));
        String a2 = createJob(Map.of("model", "nano", "training_file", file, "hyperparameters", epochs));
        String a3 = createJob(Map.of("model", "nano", "training_file", file, "hyperparameters", epochs));
        Http.Response b = other.post("/fine_tuning/jobs", Map.of("model", "nano", "training_file",
                upload(other, jsonl(20)), "hyperparameters", epochs));
        assertThat(b.status()).as(b.body()).isEqualTo(200);
        String b1 = b.json().get("id").asText();
        await(a3, status("queued"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!other.get("/fine_tuning/jobs/" + b1).json().get("status").asText().equals("queued")) {
            assertThat(System.nanoTime()).as("team-b's job is queued").isLessThan(deadline);
            sleep(20);
        }
        // team-b's job was queued last, but its project has had no turn yet
        http.post("/fine_tuning/jobs/" + a1 + "/cancel", (String) null);
        while (other.get("/fine_tuning/jobs/" + b1).json().get("status").asText().equals("queued")) {
            assertThat(System.nanoTime()).as("team-b's job starts").isLessThan(deadline);
            sleep(20);
        }
        assertThat(http.get("/fine_tuning/jobs/" + a2).json().get("status").asText()).isEqualTo("queued");
        // then the first project's jobs, in their order
        other.post("/fine_tuning/jobs/" + b1 + "/cancel", (String) null);
        await(a2, status("running"));
        assertThat(http.get("/fine_tuning/jobs/" + a3).json().get("status").asText()).isEqualTo("queued");
        for (String job : List.of(a2, a3)) http.post("/fine_tuning/jobs/" + job + "/cancel", (String) null);
    }

    /** Makes the next job's preparation take a minute, as tokenizing a large file does, unless interrupted. */
    java.util.concurrent.CountDownLatch slowPreparation() {
        java.util.concurrent.CountDownLatch preparing = new java.util.concurrent.CountDownLatch(1);
        engine.onPrepare = () -> {
            engine.onPrepare = () -> { };
            preparing.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                throw new java.io.UncheckedIOException(new java.io.InterruptedIOException("tokenizing stopped"));
            }
        };
        return preparing;
    }

    @Test
    void aStopWhileAJobTokenizesItsFilesEndsThePreparationAtOnce() throws Exception {
        String file = upload(http, jsonl(12));
        java.util.concurrent.CountDownLatch preparing = slowPreparation();
        String cancelled = createJob(Map.of("model", "nano", "training_file", file));
        assertThat(preparing.await(30, TimeUnit.SECONDS)).isTrue();
        String next = createJob(Map.of("model", "nano", "training_file", file));
        await(next, status("queued"));
        http.post("/fine_tuning/jobs/" + cancelled + "/cancel", (String) null);
        assertThat(await(next, TERMINAL).get("status").asText()).isEqualTo("succeeded");
        assertThat(http.get("/fine_tuning/jobs/" + cancelled).json().get("status").asText()).isEqualTo("cancelled");

        // paused while it prepares: it starts again once resumed
        preparing = slowPreparation();
        String paused = createJob(Map.of("model", "nano", "training_file", file));
        assertThat(preparing.await(30, TimeUnit.SECONDS)).isTrue();
        http.post("/fine_tuning/jobs/" + paused + "/pause", (String) null);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (allEvents(paused).stream().noneMatch(e -> e.get("message").asText().startsWith("Training paused"))) {
            assertThat(System.nanoTime()).as("the pause is noted").isLessThan(deadline);
            sleep(20);
        }
        http.post("/fine_tuning/jobs/" + paused + "/resume", (String) null);
        assertThat(await(paused, TERMINAL).get("status").asText()).isEqualTo("succeeded");

        // the server closing: it does not wait out the preparation, and the job trains after the restart
        preparing = slowPreparation();
        String interrupted = createJob(Map.of("model", "nano", "training_file", file));
        assertThat(preparing.await(30, TimeUnit.SECONDS)).isTrue();
        long closing = System.nanoTime();
        server.close();
        assertThat((System.nanoTime() - closing) / 1e9).as("seconds to close").isLessThan(10.0);
        server = LocalServer.builder().dataDir(dir).engine(engine).start();
        http = new Http(server.baseUrl(), server.apiKey());
        assertThat(await(interrupted, TERMINAL).get("status").asText()).isEqualTo("succeeded");
        assertThat(allEvents(interrupted).stream().map(e -> e.get("message").asText()))
                .contains("The server restarted; the job is queued to train from the start");
    }

    @Test
    void cancellingAJobWhileItsFilesAreValidatedFreesTheValidationForTheNext() {
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            String file = upload(http, jsonl(12));
            String big = createJobWhoseValidationTakesAMinute(file);
            String next = createJob(Map.of("model", "nano", "training_file", file));
            assertThat(http.post("/fine_tuning/jobs/" + big + "/cancel", (String) null).status()).isEqualTo(200);
            // await gives up after 30 s; the cancelled validation would have held the next job for 60
            assertThat(await(next, TERMINAL).get("status").asText()).isEqualTo("succeeded");
            JsonNode cancelled = http.get("/fine_tuning/jobs/" + big).json();
            assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
            assertThat(cancelled.get("error").isNull() || cancelled.get("error").isEmpty()).as(cancelled.toString())
                    .isTrue();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertThat(uncaught).as("the validating thread outlives the cancel's interrupt").isEmpty();
    }

    void assertMetricsOfUninterruptedRun(String job, long seed, int total) {
        List<JsonNode> metrics = new ArrayList<>(allEvents(job).stream()
                .filter(e -> "metrics".equals(e.path("type").asText())).toList());
        java.util.Collections.reverse(metrics);
        assertThat(metrics).hasSize(total);
        for (int i = 0; i < total; i++) {
            Map<String, Object> expected = CountingEngine.metrics(seed, i + 1, total);
            assertThat(metrics.get(i).at("/data/step").asInt()).isEqualTo(i + 1);
            assertThat(metrics.get(i).at("/data/train_loss").asDouble()).isEqualTo((Double) expected.get("train_loss"));
        }
    }

    @Test
    void restartResumesARunningJob() {
        String file = upload(http, jsonl(40));
        String job = createJob(Map.of("model", "nano", "training_file", file, "seed", 5));
        await(job, j -> http.get("/fine_tuning/jobs/" + job + "/events?limit=10000").json().get("data").size() > 12);
        server.close();
        server = LocalServer.builder().dataDir(dir).engine(new CountingEngine(20)).start();
        http = new Http(server.baseUrl(), server.apiKey());
        JsonNode done = await(job, TERMINAL);
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertMetricsOfUninterruptedRun(job, 5, 40);
        assertThat(allEvents(job).stream().map(e -> e.get("message").asText()))
                .anyMatch(m -> m.startsWith("The server restarted"));
    }

    @Test
    void aJobValidatingWhenTheServerStopsIsValidatedAgainAtTheNextStart() {
        String file = upload(http, jsonl(12));
        String job = createJobWhoseValidationTakesAMinute(file); // the server's stop interrupts it
        server.close();
        server = LocalServer.builder().dataDir(dir).engine(new CountingEngine(20)).start();
        http = new Http(server.baseUrl(), server.apiKey());
        JsonNode done = await(job, TERMINAL);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
    }

    @Test
    void aRestartRemovesResumeStatesNoJobPointsTo() throws Exception {
        String file = upload(http, jsonl(12));
        String job = createJob(Map.of("model", "nano", "training_file", file));
        await(job, TERMINAL);
        // a crash between recording a new state and deleting the one before leaves the old one
        Path stale = dir.resolve("jobs").resolve(job).resolve("state-step-3.bin");
        Files.writeString(stale, "3");
        server.close();
        server = LocalServer.builder().dataDir(dir).engine(new CountingEngine(20)).start();
        http = new Http(server.baseUrl(), server.apiKey());
        assertThat(stale).doesNotExist();
        assertThat(dir.resolve("jobs").resolve(job).resolve("model.bin")).exists();
    }

    @Test
    void checkpointPermissions() {
        String file = upload(http, jsonl(12));
        String job = createJob(Map.of("model", "nano", "training_file", file, "hyperparameters", Map.of("n_epochs", 1)));
        await(job, TERMINAL);
        String ckpt = http.get("/fine_tuning/jobs/" + job + "/checkpoints").json().at("/data/0/fine_tuned_model_checkpoint").asText();
        Http admin = http.as(server.adminKey());
        ProjectKey b = server.createProject("team-b");
        Http other = http.as(b.apiKey());
        Map<String, Object> chat = Map.of("model", ckpt, "messages", List.of(Map.of("role", "user", "content", "x")));
        assertThat(other.post("/chat/completions", chat).status()).isEqualTo(404);
        assertThat(http.post("/fine_tuning/checkpoints/" + ckpt + "/permissions", Map.of("project_ids", List.of(b.projectId()))).status())
                .isEqualTo(403);
        Http.Response granted = admin.post("/fine_tuning/checkpoints/" + ckpt + "/permissions",
                Map.of("project_ids", List.of(b.projectId())));
        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        String permission = granted.json().at("/data/0/id").asText();
        assertThat(granted.json().at("/data/0/project_id").asText()).isEqualTo(b.projectId());
        assertThat(other.post("/chat/completions", chat).status()).isEqualTo(200);
        assertThat(admin.get("/fine_tuning/checkpoints/" + ckpt + "/permissions").json().get("data")).hasSize(1);
        assertThat(admin.get("/fine_tuning/checkpoints/" + ckpt + "/permissions?project_id=proj_x").json().get("data")).isEmpty();
        assertThat(admin.post("/fine_tuning/checkpoints/" + ckpt + "/permissions", Map.of("project_ids", List.of("proj_x"))).status())
                .isEqualTo(404);
        assertThat(admin.delete("/fine_tuning/checkpoints/" + ckpt + "/permissions/" + permission).json()
                .get("deleted").asBoolean()).isTrue();
        assertThat(other.post("/chat/completions", chat).status()).isEqualTo(404);

        // the checkpoint's id instead of its model name: still a 404, which says which name to use
        String id = http.get("/fine_tuning/jobs/" + job + "/checkpoints").json().at("/data/0/id").asText();
        Http.Response byId = admin.get("/fine_tuning/checkpoints/" + id + "/permissions");
        assertThat(byId.status()).isEqualTo(404);
        assertThat(byId.code()).isEqualTo("checkpoint_not_found");
        assertThat(byId.json().at("/error/message").asText()).contains("fine_tuned_model_checkpoint name")
                .contains("not its id").contains(id + " is " + ckpt);
        Http.Response unknownId = admin.delete("/fine_tuning/checkpoints/ftckpt-nope/permissions/" + permission);
        assertThat(unknownId.status()).isEqualTo(404);
        assertThat(unknownId.json().at("/error/message").asText()).contains("not its id.");
        assertThat(admin.get("/fine_tuning/checkpoints/ft:nope/permissions").json().at("/error/message").asText())
                .isEqualTo("No checkpoint named ft:nope.");
    }

    @Test
    void graders() {
        Map<String, Object> grader = Map.of("type", "string_check", "name", "exact", "input", "{{sample.output_text}}",
                "reference", "{{item.answer}}", "operation", "eq");
        Http.Response valid = http.post("/fine_tuning/alpha/graders/validate", Map.of("grader", grader));
        assertThat(valid.status()).as(valid.body()).isEqualTo(200);
        assertThat(valid.json().at("/grader/operation").asText()).isEqualTo("eq");
        Http.Response invalid = http.post("/fine_tuning/alpha/graders/validate",
                Map.of("grader", Map.of("type", "string_check", "name", "x")));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.param()).startsWith("grader");
        Http.Response run = http.post("/fine_tuning/alpha/graders/run", Map.of("grader", grader,
                "model_sample", "Paris", "item", Map.of("answer", "Paris")));
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().get("reward").asDouble()).isEqualTo(1.0);
        Map<String, Object> scorer = Map.of("type", "score_model", "name", "judge", "model", "nano",
                "input", List.of(Map.of("role", "user", "content", "Rate {{sample.output_text}}")));
        Http.Response scored = http.post("/fine_tuning/alpha/graders/run", Map.of("grader", scorer, "model_sample", "Paris"));
        assertThat(scored.status()).as(scored.body()).isEqualTo(200);
        assertThat(scored.json().at("/metadata/errors/model_grader_server_error").asBoolean()).isFalse();
        Map<String, Object> reasoning = new LinkedHashMap<>(scorer);
        reasoning.put("sampling_params", Map.of("reasoning_effort", "low"));
        Http.Response unreasoned = http.post("/fine_tuning/alpha/graders/run", Map.of("grader", reasoning, "model_sample", "Paris"));
        assertThat(unreasoned.status()).as(unreasoned.body()).isEqualTo(200);
        assertThat(unreasoned.json().at("/metadata/errors/model_grader_server_error").asBoolean()).isTrue();
        assertThat(unreasoned.json().at("/metadata/errors/model_grader_server_error_details").asText())
                .contains("reasoning_effort is not supported with nano");
        String file = upload(http, jsonl(12));
        Http.Response rft = http.post("/fine_tuning/jobs", Map.of("model", "o4-mini", "training_file", file,
                "method", Map.of("type", "reinforcement", "reinforcement", Map.of("grader", Map.of("type", "nope")))));
        assertThat(rft.status()).isEqualTo(400);
        assertThat(rft.param()).startsWith("method.reinforcement.grader");
    }

    @Test
    void chatCompletions() {
        Map<String, Object> base = new LinkedHashMap<>(Map.of("model", "nano",
                "messages", List.of(Map.of("role", "user", "content", "hello"))));
        JsonNode c = http.post("/chat/completions", base).json();
        assertThat(c.get("object").asText()).isEqualTo("chat.completion");
        assertThat(c.at("/choices/0/message/content").asText()).isEqualTo("echo: hello");
        Map<String, Object> two = new LinkedHashMap<>(base);
        two.put("n", 2);
        two.put("max_completion_tokens", 3);
        JsonNode n2 = http.post("/chat/completions", two).json();
        assertThat(n2.get("choices")).hasSize(2);
        assertThat(n2.at("/choices/1/finish_reason").asText()).isEqualTo("length");
        assertThat(n2.at("/usage/completion_tokens").asInt()).isEqualTo(6);
        Map<String, Object> bad = new LinkedHashMap<>(base);
        bad.put("temperature", 3);
        assertThat(http.post("/chat/completions", bad).param()).isEqualTo("temperature");
        assertThat(http.post("/chat/completions", Map.of("model", "nano", "messages", List.of())).status()).isEqualTo(400);
        // text only: what needs a tool call or JSON is refused, naming the parameter; text formats are answered
        List<Map<String, Object>> tools = List.of(Map.of("type", "function", "function", Map.of("name", "f")));
        for (var refused : List.<Map<String, Object>>of(Map.of("tools", tools, "tool_choice", "required"),
                Map.of("tools", tools, "tool_choice", Map.of("type", "function", "function", Map.of("name", "f"))),
                Map.of("response_format", Map.of("type", "json_object")))) {
            Map<String, Object> body = new LinkedHashMap<>(base);
            body.putAll(refused);
            Http.Response r = http.post("/chat/completions", body);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.error()).isEqualTo("unsupported_value");
            assertThat(r.param()).isIn("tool_choice", "response_format");
        }
        for (var answered : List.<Map<String, Object>>of(Map.of("tools", tools, "tool_choice", "auto"),
                Map.of("response_format", Map.of("type", "text")))) {
            Map<String, Object> body = new LinkedHashMap<>(base);
            body.putAll(answered);
            assertThat(http.post("/chat/completions", body).status()).isEqualTo(200);
        }
        assertThat(http.post("/chat/completions", Map.of("model", "nope", "messages", base.get("messages"))).error())
                .isEqualTo("model_not_found");
        Map<String, Object> stream = new LinkedHashMap<>(base);
        stream.put("stream", true);
        stream.put("stream_options", Map.of("include_usage", true));
        String sse = http.post("/chat/completions", stream).body();
        List<String> data = sse.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        JsonNode first = Json.tree(data.get(0));
        assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(first.at("/choices/0/delta/content").asText()).isEmpty();
        StringBuilder text = new StringBuilder();
        for (String d : data.subList(1, data.size() - 3)) text.append(Json.tree(d).at("/choices/0/delta/content").asText());
        assertThat(text.toString()).isEqualTo("echo: hello");
        JsonNode finish = Json.tree(data.get(data.size() - 3));
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = Json.tree(data.get(data.size() - 2));
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(11);
        assertThat(first.get("id").asText()).isEqualTo(usage.get("id").asText());
    }
}
