package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.Json;
import dev.finetune4j.api.Upload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadHelperTest {
    private final MockApi api = new MockApi(b -> b.maxRetries(0));

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        api.close();
    }

    private static String part(String id) {
        return Fixtures.read("upload_part.json").replace("part_def456", id);
    }

    @Test
    void uploadsAFileInPartsReadFromDiskInOrder() throws Exception {
        Path file = Files.writeString(dir.resolve("big.jsonl"), "0123456789abcdefghij!");  // 21 bytes
        api.json(Fixtures.read("upload.json")).json(part("part_1")).json(part("part_2")).json(part("part_3"))
                .json(Fixtures.read("upload_completed.json"));
        List<Long> sent = new java.util.ArrayList<>();
        Upload done = api.client.uploads().uploadFile(file, "fine-tune", "text/jsonl", 8, sent::add);
        assertThat(sent).containsExactly(8L, 16L, 21L);
        assertThat(done.status()).isEqualTo("completed");
        assertThat(done.file().id()).isEqualTo("file-xyz321");

        RecordedRequest create = api.take();
        assertThat(Json.tree(create.getBody().utf8())).isEqualTo(Json.tree(
                "{\"filename\":\"big.jsonl\",\"purpose\":\"fine-tune\",\"bytes\":21,\"mime_type\":\"text/jsonl\"}"));
        ContractCheck.request(create);
        List<String> chunks = List.of("01234567", "89abcdef", "ghij!");
        for (String chunk : chunks) {
            RecordedRequest p = api.take();
            assertThat(p.getUrl().encodedPath()).isEqualTo("/v1/uploads/upload_abc123/parts");
            assertThat(p.getBody().utf8()).contains("\r\n\r\n" + chunk + "\r\n--");
            ContractCheck.request(p);
        }
        RecordedRequest complete = api.take();
        assertThat(Json.tree(complete.getBody().utf8()).get("part_ids").toString())
                .isEqualTo("[\"part_1\",\"part_2\",\"part_3\"]");
        // the service checks the assembled bytes against the file's MD5
        assertThat(Json.tree(complete.getBody().utf8()).get("md5").asText()).isEqualTo(java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file))));
    }

    @Test
    void partsCreateIsAddPartUnderTheSdkName() {
        api.json(part("part_9"));
        assertThat(api.client.uploads().parts().create("upload_abc123", new byte[] {1, 2}).id()).isEqualTo("part_9");
        assertThat(api.take().getUrl().encodedPath()).isEqualTo("/v1/uploads/upload_abc123/parts");
    }

    @Test
    void aFailedPartCancelsTheUpload() throws Exception {
        Path file = Files.writeString(dir.resolve("big.jsonl"), "0123456789");
        api.json(Fixtures.read("upload.json")).json(part("part_1"))
                .json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")
                .json(Fixtures.read("upload_cancelled.json"));
        assertThatThrownBy(() -> api.client.uploads().uploadFile(file, "fine-tune", "text/jsonl", 5))
                .isInstanceOf(InternalServerException.class);
        for (int i = 0; i < 3; i++) api.take();
        assertThat(api.take().getUrl().encodedPath()).isEqualTo("/v1/uploads/upload_abc123/cancel");
    }

    @Test
    void rejectsABadPartSizeAndAMissingFile() {
        assertThatThrownBy(() -> api.client.uploads().uploadFile(dir.resolve("x"), "fine-tune", "text/jsonl", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> api.client.uploads().uploadFile(dir.resolve("missing.jsonl"), "fine-tune", "text/jsonl"))
                .hasMessageContaining("missing.jsonl");
        assertThatThrownBy(() -> api.client.files().create(dir.resolve("missing.jsonl"), "fine-tune"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file");
        assertThat(api.server.getRequestCount()).isZero();
    }
}
