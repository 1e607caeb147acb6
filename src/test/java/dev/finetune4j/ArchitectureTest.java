package dev.finetune4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages depend on each other as ARCHITECTURE.md's table says: arrows point down only. Every package may use
 * {@code api}, the wire records both sides serialise; the root package (the command line and the glue between the
 * facade and the server) may use all of them.
 */
class ArchitectureTest {
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "api", Set.of(),
            "client", Set.of("api"),
            "data", Set.of("api"),
            "notebook", Set.of("api", "client", "data"),
            "server", Set.of("api", "data", "train", "grade"),
            "train", Set.of(),
            "grade", Set.of("api"));
    private static final Pattern USE = Pattern.compile("\\bdev\\.finetune4j\\.([a-z]+)\\.[A-Za-z]");

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() throws IOException {
        Path main = Path.of("src/main/java/dev/finetune4j");
        List<String> violations = new ArrayList<>();
        for (var e : ALLOWED.entrySet()) {
            try (Stream<Path> files = Files.walk(main.resolve(e.getKey()))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = USE.matcher(Files.readString(f));
                    while (m.find()) {
                        String used = m.group(1);
                        if (!used.equals(e.getKey()) && ALLOWED.containsKey(used) && !e.getValue().contains(used)) {
                            violations.add(main.relativize(f) + " uses dev.finetune4j." + used);
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
