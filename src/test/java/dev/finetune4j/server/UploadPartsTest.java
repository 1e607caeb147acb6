package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upload's parts are read as one stream, holding one open file at a time however many parts there are. */
class UploadPartsTest {
    @Test
    void partsAreOpenedOneAtATime(@TempDir Path dir) throws Exception {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "counting open files needs /proc");
        List<Path> parts = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String line = "{\"part\": " + i + "}\n";
            parts.add(Files.writeString(dir.resolve("part_" + i), line));
            expected.append(line);
        }
        long before = count(fds);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (InputStream in = new UploadRoutes.PartsInputStream(parts.iterator())) {
            byte[] buffer = new byte[7];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.write(buffer, 0, n);
                assertThat(count(fds) - before).as("files open while reading").isLessThanOrEqualTo(2);
            }
        }
        assertThat(read.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(count(fds)).isLessThanOrEqualTo(before);
    }

    private static long count(Path fds) throws Exception {
        try (var list = Files.list(fds)) {
            return list.count();
        }
    }
}
