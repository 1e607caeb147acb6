package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.Upload;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads and downloads stream: a child JVM with a 48 MB heap moves a 200 MB file up (whole, and in 64 MB parts)
 * and down. Buffering either would run out of memory.
 */
class LargeFileStreamingTest {
    static final long SIZE = 200L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aSmallHeapMovesALargeFile() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                LargeFileStreamingTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(out).contains("parts 4 completed", "downloaded " + SIZE);
        long uploaded = Long.parseLong(out.replaceAll("(?s).*uploaded (\\d+).*", "$1"));
        assertThat(uploaded).as("the multipart body holds the whole file").isGreaterThan(SIZE);
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** The child: uploads and downloads {@link #SIZE} bytes through MockWebServer, which discards request bodies. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).resolve("big.jsonl");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(SIZE);
        }
        try (MockWebServer server = new MockWebServer()) {
            server.setBodyLimit(0);
            server.start();
            OpenAI client = OpenAI.builder().apiKey("k").baseUrl(server.url("/v1").toString()).build();

            server.enqueue(json(Fixtures.read("file.json")));
            FileObject uploaded = client.files().create(file, "fine-tune");
            System.out.println("uploaded " + server.takeRequest().getBodySize() + " as " + uploaded.id());

            int before = server.getRequestCount();
            server.enqueue(json(Fixtures.read("upload.json")));
            for (int i = 0; i < 4; i++) server.enqueue(json(Fixtures.read("upload_part.json")));
            server.enqueue(json(Fixtures.read("upload_completed.json")));
            Upload upload = client.uploads().uploadFile(file, "fine-tune", "text/jsonl");
            System.out.println("parts " + (server.getRequestCount() - before - 2) + " " + upload.status());

            server.enqueue(new MockResponse.Builder().body(new Zeros(SIZE)).build());
            long read = 0;
            try (InputStream in = client.files().content("file-abc123")) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) read += n;
            }
            System.out.println("downloaded " + read);
            client.close();
        }
        Files.delete(file);
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
    }

    /** A response body of zeros written in chunks, never held whole. */
    private record Zeros(long length) implements MockResponseBody {
        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            byte[] chunk = new byte[64 * 1024];
            for (long left = length; left > 0; left -= chunk.length) {
                sink.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

}
