package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies sent a byte at a time are refused with a 408 instead of holding a server thread each. */
class SlowBodyGuardTest {
    @TempDir
    Path dir;
    LocalServer server;
    Http http;
    int port;

    @BeforeEach
    void start() {
        // 200 bytes per half second: the trickles below send 5 bytes per second
        server = LocalServer.builder().dataDir(dir).engine(new CountingEngine(5))
                .minBodyRate(200, Duration.ofMillis(500)).start();
        http = new Http(server.baseUrl(), server.apiKey());
        port = Integer.parseInt(server.baseUrl().replaceAll(".*:(\\d+)/v1", "$1"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void tricklingBodiesAreRefusedAndOthersServedMeanwhile() {
        String json = "POST /v1/fine_tuning/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.apiKey()
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":";
        String multipart = "POST /v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.apiKey()
                + "\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 100000\r\n\r\n"
                + "--XX\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--XX\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n\r\n{\"messages\":";
        List<CompletableFuture<String>> slow = new ArrayList<>();
        for (String request : List.of(json, json, multipart, multipart)) {
            slow.add(CompletableFuture.supplyAsync(() -> trickle(request)));
        }
        // while they trickle, other clients are answered
        assertThat(http.get("/models").status()).isEqualTo(200);
        for (CompletableFuture<String> answer : slow) {
            String response = answer.join();
            String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
            assertThat(head).startsWith("http/1.1 408").contains("connection: close");
            JsonNode error = Json.tree(response.substring(response.indexOf("\r\n\r\n") + 4)).get("error");
            assertThat(error.get("code").asText()).isEqualTo("request_timeout");
            assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.get("message").asText()).contains("arrived too slowly").contains("at least 200 bytes");
        }
        assertThat(http.get("/files").json().get("data")).isEmpty();
        assertThat(http.get("/fine_tuning/jobs").json().get("data")).isEmpty();
    }

    @Test
    void aBodyThatStopsArrivingIsRefusedAtTheEndOfItsWindow() throws Exception {
        String json = "POST /v1/fine_tuning/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.apiKey()
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            long start = System.nanoTime();
            socket.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            // nothing more: without a timer the server would wait out its 30 s idle timeout
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat((System.nanoTime() - start) / 1e9).as("seconds to refuse").isLessThan(5.0);
            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(response).contains("request_timeout").contains("arrived too slowly");
        }
    }

    @Test
    void ordinaryClientsAreNotAffected() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            lines.append("{\"messages\":[{\"role\":\"user\",\"content\":\"").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}\n");
        }
        byte[] content = lines.toString().getBytes(StandardCharsets.UTF_8);
        Http.Response upload = http.multipart("/files", Map.of("purpose", "fine-tune"), "file", "a.jsonl", content);
        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        assertThat(upload.json().get("bytes").asLong()).isEqualTo(content.length);
        Http.Response job = http.post("/fine_tuning/jobs",
                Map.of("model", "nano", "training_file", upload.json().get("id").asText()));
        assertThat(job.status()).as(job.body()).isEqualTo(200);
    }

    /** Sends the request's head and first bytes, then a byte every 200 ms until the server answers or hangs up. */
    private String trickle(String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            try {
                while (in.available() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    out.write(' ');
                    out.flush();
                }
            } catch (IOException hungUp) {
                // the server closed the connection after answering: read what it said
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
