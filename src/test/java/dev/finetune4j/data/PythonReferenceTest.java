package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The speed benchmark compares the validator with a plain-Python script that is to run the same checks
 * ({@code bench/data_bench.py}): both must find the same problems in every supervised file of the broken corpus.
 */
class PythonReferenceTest {
    private static final Path SCRIPT = Path.of("bench", "data_bench.py");
    private static final Pattern COUNT = Pattern.compile("'(\\w+)': (\\d+)");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.finetune4j.data.BrokenCorpusTest#corpus")
    void thePythonReferenceFindsWhatTheValidatorFinds(String file, long line, Category category, String message) throws Exception {
        assumeTrue(Files.exists(SCRIPT), "bench/data_bench.py is not here");
        // the script reads supervised files, and counts no tokens
        assumeTrue(!file.startsWith("bad_dpo") && category != Category.TOO_MANY_TOKENS, "not a check of the script");
        Map<String, Long> java = new TreeMap<>();
        DatasetValidator.forMethod(Method.SUPERVISED).countTokens(false).validate(BrokenCorpusTest.corpus(file)).counts()
                .forEach((c, n) -> java.put(c.code(), n));

        assertThat(python(BrokenCorpusTest.corpus(file))).isEqualTo(java).containsKey(category.code());
    }

    private static Map<String, Long> python(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", SCRIPT.toString(), file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no python3 on this machine: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String problems = out.lines().findFirst().orElseThrow().replaceFirst(".*\\(problems: ", "");
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = COUNT.matcher(problems);
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return counts;
    }
}
