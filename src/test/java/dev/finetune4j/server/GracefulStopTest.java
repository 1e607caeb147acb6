package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that stops lets the requests under way finish, so that what it stored it also acknowledged. */
class GracefulStopTest {
    @TempDir
    Path dir;
    LocalServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void anUploadUnderWayWhenTheServerStopsIsAnsweredAndKept() throws Exception {
        server = LocalServer.builder().dataDir(dir).engine(new CountingEngine(5)).start();
        String key = server.apiKey();
        int port = Integer.parseInt(server.baseUrl().replaceAll(".*:(\\d+)/v1", "$1"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            lines.append("{\"messages\":[{\"role\":\"user\",\"content\":\"").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}\n");
        }
        byte[] file = lines.toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = ("--XX\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--XX\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\r\n--XX--\r\n".getBytes(StandardCharsets.UTF_8);
        String request = "POST /v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: "
                + (head.length + file.length + tail.length) + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.write(head);
            out.write(file, 0, file.length / 2);
            out.flush();
            Thread.sleep(300); // the request reaches its handler
            // the server stops while half the file is still to come
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            Thread.sleep(300);
            assertThat(closing).as("the stop waits for the upload").isNotDone();
            // meanwhile a new request is told to come back
            Http.Response refused = new Http(server.baseUrl(), key).get("/models");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.code()).isEqualTo("server_stopping");
            out.write(file, file.length / 2, file.length - file.length / 2);
            out.write(tail);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200");
            String id = response.replaceAll("(?s).*\"id\":\"(file-[^\"]+)\".*", "$1");
            closing.get(30, TimeUnit.SECONDS);

            server = LocalServer.builder().dataDir(dir).engine(new CountingEngine(5)).start();
            Http http = new Http(server.baseUrl(), server.apiKey());
            assertThat(http.get("/files/" + id).json().get("bytes").asLong()).isEqualTo(file.length);
        }
    }
}
