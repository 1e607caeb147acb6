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
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (InputStream in = new UploadRoutes.PartsInputStream(parts.iterator())) {
            byte[] buffer = new byte[7];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.write(buffer, 0, n);
                assertThat(openParts(fds, dir)).as("parts open while reading").isLessThanOrEqualTo(1);
            }
        }
        assertThat(read.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(openParts(fds, dir)).isZero();
    }

    /** The JVM's open files in {@code dir}: other tests' threads may open files of their own meanwhile. */
    private static long openParts(Path fds, Path dir) throws Exception {
        long n = 0;
        try (var list = Files.list(fds)) {
            for (Path fd : list.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(dir.toRealPath())) n++;
                } catch (java.io.IOException gone) {
                    // closed since it was listed
                }
            }
        }
        return n;
    }
}
