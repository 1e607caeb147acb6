package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobsTest {
    @Test
    void aFailureIsDescribedWithoutTheDataDirectorysLocation(@TempDir Path dir) throws Exception {
        Blobs blobs = new Blobs(dir);
        String text = blobs.describe(new FileSystemException(dir.resolve("files/file-abc").toString() + ": Too many open"
                + " files"));
        assertThat(text).doesNotContain(dir.toString()).isEqualTo("files/file-abc: Too many open files");
        assertThat(blobs.describe(new IllegalStateException("cannot lock " + dir)))
                .isEqualTo("cannot lock the data directory");
        assertThat(blobs.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
