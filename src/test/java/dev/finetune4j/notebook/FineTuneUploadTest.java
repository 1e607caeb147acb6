package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.FileObject;
import dev.finetune4j.server.LocalServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads from the facade: a file over the service's /files limit goes through the uploads API instead. */
class FineTuneUploadTest {

    @Test
    void aFileTheFilesEndpointRefusesIsUploadedInParts(@TempDir Path dir) throws Exception {
        Path small = Datasets.write(dir.resolve("small.jsonl"), 0, 2);
        Path big = Datasets.write(dir.resolve("big.jsonl"), 0, 200);
        LocalServer server = LocalServer.builder().dataDir(dir.resolve("server")).maxFileBytes(Files.size(small) + 100).start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (FineTune ft = FineTune.connect(server.baseUrl(), server.apiKey())) {
            ft.printTo(new PrintStream(printed, true, StandardCharsets.UTF_8));

            FileObject viaFiles = ft.upload(small);
            assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("Uploading");
            FileObject viaUploads = ft.upload(big);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Uploading big.jsonl (" + String.format("%,d", Files.size(big)) + " bytes) in 1 part");

            assertThat(viaUploads.filename()).isEqualTo("big.jsonl");
            assertThat(viaUploads.purpose()).isEqualTo("fine-tune");
            assertThat(viaUploads.bytes()).isEqualTo(Files.size(big));
            assertThat(ft.client().files().contentAsString(viaUploads.id())).isEqualTo(Files.readString(big));
            assertThat(ft.client().files().contentAsString(viaFiles.id())).isEqualTo(Files.readString(small));
        } finally {
            server.close();
        }
    }
}
