package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Cleaning drops exactly the lines the validator finds unusable, and duplicates, and writes the rest in order. */
class DatasetCleanerTest {
    @TempDir
    Path dir;

    private static String good(int i) {
        return "{\"messages\": [{\"role\": \"user\", \"content\": \"question " + i + "\"}, {\"role\": \"assistant\", \"content\": \"answer " + i + "\"}]}";
    }

    @Test
    void keepsTheGoodFirstSeenLinesInOrderAndReportsEachDroppedLine() throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        Map<Long, Category> drops = new LinkedHashMap<>();
        lines.add(good(0));
        expected.add(good(0));
        lines.add("{\"messages\": [");
        drops.put(2L, Category.INVALID_JSON);
        lines.add(good(1));
        expected.add(good(1));
        lines.add("");
        drops.put(4L, Category.BLANK_LINE);
        lines.add("[1, 2]");
        drops.put(5L, Category.WRONG_TOP_LEVEL_TYPE);
        lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"only a question\"}]}");
        drops.put(6L, Category.NO_ASSISTANT_MESSAGE);
        lines.add(good(0));
        drops.put(7L, Category.DUPLICATE_EXAMPLE);
        lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"bot\", \"content\": \"a\"}]}");
        drops.put(8L, Category.UNKNOWN_ROLE);
        lines.add("{\"prompt\": \"q\", \"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}");
        drops.put(9L, Category.UNKNOWN_KEY);
        lines.add("   ");
        drops.put(10L, Category.BLANK_LINE);
        for (int i = 2; i < 12; i++) {
            lines.add(good(i) + (i == 5 ? "\r" : "")); // a CRLF line is kept without its CR
            expected.add(good(i));
        }
        lines.add("  " + good(3) + "  "); // spaces around an example do not make it another one
        drops.put(21L, Category.DUPLICATE_EXAMPLE);
        lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"weight\": 2, \"content\": \"a\"}]}");
        drops.put(22L, Category.BAD_WEIGHT);
        lines.add(good(12)); // the last line, without a line end
        expected.add(good(12));
        Path in = Files.writeString(dir.resolve("train.jsonl"), String.join("\n", lines));
        String before = Files.readString(in);
        Path out = dir.resolve("train.clean.jsonl");

        DatasetCleaner.Result r = DatasetCleaner.forMethod(Method.SUPERVISED).clean(in, out);

        assertThat(Files.readAllLines(out)).containsExactlyElementsOf(expected);
        assertThat(Files.readString(out)).endsWith("}\n").doesNotContain("\r");
        Map<Long, Category> droppedLines = new LinkedHashMap<>();
        r.firstDropped().forEach(p -> droppedLines.put(p.line(), p.category()));
        assertThat(droppedLines).containsExactlyEntriesOf(drops);
        assertThat(r.firstDropped().get(4).message()).isEqualTo("Line 7: the example is identical to line 1");
        assertThat(r.lines()).isEqualTo(lines.size());
        assertThat(r.kept()).isEqualTo(expected.size());
        assertThat(r.droppedLines()).isEqualTo(drops.size());
        assertThat(r.dropped(Category.BLANK_LINE)).isEqualTo(2);
        assertThat(r.dropped(Category.DUPLICATE_EXAMPLE)).isEqualTo(2);
        assertThat(r.format()).isEqualTo(Method.SUPERVISED);
        assertThat(r.ok()).isTrue();
        assertThat(r.fileProblems()).isEmpty();
        assertThat(r.toString()).startsWith("kept 13 of 23 lines (supervised) in " + out + ", dropped 10: invalid_json=1")
                .contains("\n  dropped Line 2: invalid JSON").doesNotContain("more dropped").doesNotContain("cleaned file");

        ValidationReport report = DatasetValidator.forMethod(Method.SUPERVISED).validate(out);
        assertThat(report.ok()).isTrue();
        assertThat(report.errorCount() + report.warningCount()).isZero();
        assertThat(Files.readString(in)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.finetune4j.data.BrokenCorpusTest#corpus")
    void dropsTheLineOfEachErrorOfTheCorpusWithTheValidatorsWords(String file, long line, Category category, String message)
            throws Exception {
        Path in = BrokenCorpusTest.corpus(file);
        Path out = dir.resolve("clean.jsonl");

        DatasetCleaner.Result r = DatasetCleaner.using(DatasetValidator.forMethod(Method.AUTO).tokenLimit(1000)).clean(in, out);

        long lines = Files.readAllLines(in, StandardCharsets.ISO_8859_1).size(); // any bytes: one file has a Latin-1 one
        boolean dropsItsLine = line > 0 && category != Category.TOO_MANY_TOKENS; // a warning keeps its line
        if (dropsItsLine) {
            assertThat(r.dropped()).containsExactlyEntriesOf(Map.of(category, 1L));
            assertThat(r.firstDropped()).extracting(Problem::line, Problem::message).containsExactly(tuple(line, message));
            assertThat(r.kept()).isEqualTo(lines - 1);
        } else {
            assertThat(r.dropped()).isEmpty();
            assertThat(r.kept()).isEqualTo(lines);
        }
        assertThat(r.fileProblems()).extracting(Problem::message).containsExactlyElementsOf(line == 0 ? List.of(message) : List.of());
        ValidationReport cleaned = DatasetValidator.forMethod(Method.AUTO).tokenLimit(1000).validate(out);
        assertThat(cleaned.problems()).allMatch(p -> p.line() == 0 || p.category() == Category.TOO_MANY_TOKENS);
    }

    @Test
    void detectsTheFormatAndDropsDuplicatesAcrossChunks() throws Exception {
        // over a megabyte: several chunks, whose line numbers and duplicate table must carry over
        StringBuilder sb = new StringBuilder();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            sb.append(good(i)).append('\n');
        }
        sb.append(good(7)).append('\n').append("{oops\n").append(good(n)).append('\n');
        Path in = Files.writeString(dir.resolve("big.jsonl"), sb);
        assertThat(Files.size(in)).isGreaterThan(2L << 20);
        Path out = dir.resolve("big.clean.jsonl");

        DatasetCleaner.Result r = DatasetCleaner.forMethod(Method.AUTO).countTokens(false).clean(in, out);

        assertThat(r.format()).isEqualTo(Method.SUPERVISED);
        assertThat(r.kept()).isEqualTo(n + 1);
        assertThat(r.firstDropped()).extracting(Problem::line, Problem::category)
                .containsExactly(tuple((long) n + 1, Category.DUPLICATE_EXAMPLE),
                        tuple((long) n + 2, Category.INVALID_JSON));
        assertThat(r.firstDropped().get(0).message()).endsWith("identical to line 8");
        List<String> written = Files.readAllLines(out);
        assertThat(written).hasSize(n + 1);
        assertThat(written.get(n - 1)).isEqualTo(good(n - 1));
        assertThat(written.get(n)).isEqualTo(good(n));
    }

    @Test
    void anyNumberOfThreadsCleansToTheSameBytesAndReport() throws Exception {
        // several chunks, with errors, blank lines and duplicates of lines in other chunks
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            if (i % 997 == 0) sb.append("{broken ").append(i).append('\n');
            else if (i % 1_009 == 0) sb.append('\n');
            else if (i % 503 == 0) sb.append(good(i / 7)).append('\n');
            else sb.append(good(i)).append('\n');
        }
        Path in = Files.writeString(dir.resolve("mixed.jsonl"), sb);
        assertThat(Files.size(in)).isGreaterThan(3L << 20);
        List<Object> reports = new ArrayList<>();
        List<byte[]> outputs = new ArrayList<>();
        for (int threads : new int[] {1, 2, 3}) {
            Path out = dir.resolve("mixed." + threads + ".jsonl");
            DatasetCleaner.Result r = DatasetCleaner.using(DatasetValidator.forMethod(Method.AUTO).countTokens(false)
                    .threads(threads)).clean(in, out);
            reports.add(List.of(r.kept(), r.lines(), r.dropped(), r.firstDropped()));
            outputs.add(Files.readAllBytes(out));
        }
        assertThat(reports.get(1)).isEqualTo(reports.get(0));
        assertThat(reports.get(2)).isEqualTo(reports.get(0));
        assertThat(outputs.get(1)).isEqualTo(outputs.get(0));
        assertThat(outputs.get(2)).isEqualTo(outputs.get(0));
        @SuppressWarnings("unchecked")
        Map<Category, Long> dropped = (Map<Category, Long>) ((List<?>) reports.get(0)).get(2);
        assertThat(dropped).containsKeys(Category.INVALID_JSON, Category.BLANK_LINE, Category.DUPLICATE_EXAMPLE);
    }

    @Test
    void warningsKeepTheirLineUnlessTheirCategoryIsMadeAnError() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sb.append(good(i)).append('\n');
        }
        String longOne = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "word ".repeat(100) + "\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}";
        sb.append(longOne).append('\n');
        Path in = Files.writeString(dir.resolve("long.jsonl"), sb);
        Path out = dir.resolve("out.jsonl");

        DatasetValidator rules = DatasetValidator.forMethod(Method.SUPERVISED).tokenLimit(60);
        assertThat(DatasetCleaner.using(rules).clean(in, out).kept()).isEqualTo(11);
        assertThat(Files.readAllLines(out)).contains(longOne);

        DatasetCleaner.Result strict = DatasetCleaner.using(rules).severity(Category.TOO_MANY_TOKENS, Severity.ERROR).clean(in, out);
        assertThat(strict.kept()).isEqualTo(10);
        assertThat(strict.dropped()).containsExactlyEntriesOf(Map.of(Category.TOO_MANY_TOKENS, 1L));
        assertThat(Files.readAllLines(out)).doesNotContain(longOne);
    }

    @Test
    void tooFewExamplesAreReportedForTheCleanedFileNotFixed() throws Exception {
        Path in = Files.writeString(dir.resolve("few.jsonl"), good(1) + "\n" + good(2) + "\nnot json\n" + good(3) + "\n");
        Path out = dir.resolve("few.clean.jsonl");

        DatasetCleaner.Result r = DatasetCleaner.forMethod(Method.SUPERVISED).clean(in, out);

        assertThat(Files.readAllLines(out)).containsExactly(good(1), good(2), good(3));
        assertThat(r.ok()).isFalse();
        assertThat(r.fileProblems()).extracting(Problem::category).containsExactly(Category.TOO_FEW_EXAMPLES);
        assertThat(r.fileProblems().get(0).message()).isEqualTo("The file has 3 examples; at least 10 are required");
        assertThat(r.toString()).contains("error   cleaned file: The file has 3 examples");
        assertThat(DatasetCleaner.forMethod(Method.SUPERVISED).minExamples(1).clean(in, out).ok()).isTrue();
    }

    @Test
    void neverOverwritesItsInputAndLeavesTheOutputAloneWhenItCannotClean() throws Exception {
        String text = good(1) + "\n" + good(1) + "\n";
        Path in = Files.writeString(dir.resolve("in.jsonl"), text);
        DatasetCleaner cleaner = DatasetCleaner.forMethod(Method.SUPERVISED);
        assertThatThrownBy(() -> cleaner.clean(in, in)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another file");
        assertThatThrownBy(() -> cleaner.clean(in, dir.resolve("sub/../in.jsonl"))).isInstanceOf(IllegalArgumentException.class);
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), in);
        assertThatThrownBy(() -> cleaner.clean(in, link)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(in)).isEqualTo(text);

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Path compressed = Files.write(dir.resolve("in.jsonl.gz"), gz.toByteArray());
        Path out = Files.writeString(dir.resolve("out.jsonl"), "previous\n");
        assertThatThrownBy(() -> cleaner.clean(compressed, out)).isInstanceOf(DatasetException.class).hasMessageContaining("gzip");
        assertThatThrownBy(() -> cleaner.clean(dir.resolve("missing.jsonl"), out)).hasMessageContaining("no such file");
        assertThat(Files.readString(out)).isEqualTo("previous\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        }
    }
}
