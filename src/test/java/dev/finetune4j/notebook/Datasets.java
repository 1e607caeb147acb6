package dev.finetune4j.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small chat datasets written for tests: short arithmetic questions and their answers. */
final class Datasets {
    private Datasets() {}

    /** {@code n} examples "What is i+1?" → "i+1", starting at {@code from}. */
    static Path write(Path file, int from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"What is ").append(i).append("+1?\"},")
                    .append("{\"role\":\"assistant\",\"content\":\"").append(i + 1).append("\"}]}\n");
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
