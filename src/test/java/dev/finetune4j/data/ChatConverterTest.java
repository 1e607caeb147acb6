package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.finetune4j.api.Json;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

class ChatConverterTest {
    @TempDir
    Path dir;

    @Test
    void tableRowsBecomeChatExamplesThatValidate() throws IOException {
        Table t = Table.create("qa",
                StringColumn.create("q", "2+2?", "Capital of France?", "Say \"hi\"\nplease"),
                StringColumn.create("a", "4", "Paris", "hi"));
        Path out = dir.resolve("train.jsonl");
        long n = ChatConverter.columns().systemPrompt("You are terse.").user("q").assistant("a").write(t, out);

        assertThat(n).isEqualTo(3);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("{\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"}]}");
        assertThat(lines.get(2)).contains("\"Say \\\"hi\\\"\\nplease\"");
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"messages\":"));
        Path reference = Files.createFile(dir.resolve("reference"));
        if (Files.getFileStore(out).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(out)).as("the usual permissions, not owner-only")
                    .isEqualTo(Files.getPosixFilePermissions(reference));
        }
        ValidationReport r = DatasetValidator.forMethod(Method.SUPERVISED).minExamples(1).validate(out);
        assertThat(r.ok()).isTrue();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void aNumberCellIsWrittenAsItsValueNotItsDisplayFormat() throws IOException {
        DoubleColumn rate = DoubleColumn.create("rate", 0.125, 0.5, 3.0, 0.0001, 12345678.0, -2.5e-7);
        rate.setPrintFormatter(NumberColumnFormatter.percent(0));
        Table t = Table.create("rates", StringColumn.create("q", "A?", "B?", "C?", "D?", "E?", "F?"), rate,
                IntColumn.create("count", 1, 20, 300, 4000, 50000, 600000));
        Path out = dir.resolve("rates.jsonl");
        ChatConverter.columns().user("q").assistant("rate").write(t, out);
        // as a person writes them: no "3.0", no "1.0E-4"
        assertThat(Files.readAllLines(out)).extracting(l -> Json.MAPPER.readTree(l).at("/messages/1/content").asText())
                .containsExactly("0.125", "0.5", "3", "0.0001", "12345678", "-0.00000025");
        ChatConverter.columns().user("q").assistant("count").write(t, out);
        assertThat(Files.readAllLines(out)).extracting(l -> Json.MAPPER.readTree(l).at("/messages/1/content").asText())
                .containsExactly("1", "20", "300", "4000", "50000", "600000");
    }

    @Test
    void csvWithQuotesNewlinesAndASystemColumn() throws IOException {
        Path csv = dir.resolve("qa.csv");
        Files.writeString(csv, "\uFEFFid,system,question,answer\r\n"
                + "1,Be brief.,\"Hello, world?\",\"Hi \"\"there\"\"\"\r\n"
                + "2,,\"multi\nline\",café\n"
                + "\n"
                + "3,Be kind.,Why?,Because.", StandardCharsets.UTF_8);
        Path out = dir.resolve("out.jsonl");
        long n = ChatConverter.columns().system("system").user("question").assistant("answer").writeCsv(csv, out);

        assertThat(n).isEqualTo(3);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).contains("{\"role\":\"system\",\"content\":\"Be brief.\"}")
                .contains("\"content\":\"Hello, world?\"").contains("\"content\":\"Hi \\\"there\\\"\"");
        assertThat(lines.get(1)).doesNotContain("system").contains("multi\\nline").contains("café");
        assertThat(lines.get(2)).contains("Because.");
    }

    @Test
    void aByteOrderMarkBeforeAQuotedHeaderIsDropped() throws IOException {
        // as R's write.csv(fileEncoding = "UTF-8-BOM") and Excel write it
        Path csv = dir.resolve("r.csv");
        Files.write(csv, "\uFEFF\"question\",\"answer\"\n\"What?\",\"That.\"\n".getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("out.jsonl");
        assertThat(ChatConverter.columns().user("question").assistant("answer").writeCsv(csv, out)).isEqualTo(1);
        assertThat(Files.readString(out)).isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"What?\"},"
                + "{\"role\":\"assistant\",\"content\":\"That.\"}]}\n");
    }

    @Test
    void anIncompleteRowFailsWithItsLineAndWritesNothing() throws IOException {
        Path csv = dir.resolve("qa.csv");
        Files.writeString(csv, "question,answer\nA?,a\n\"two\nlines\",b\nC?,\n");
        Path out = dir.resolve("out.jsonl");
        Files.writeString(out, "previous content\n");
        ChatConverter converter = ChatConverter.columns().user("question").assistant("answer");

        assertThatThrownBy(() -> converter.writeCsv(csv, out)).isInstanceOf(DatasetException.class)
                .hasMessage("CSV line 5: column 'answer' is empty; fill it or skip incomplete rows (skipIncompleteRows(), or"
                        + " --skip-incomplete on the command line)");
        assertThat(Files.readString(out)).isEqualTo("previous content\n");

        assertThat(converter.skipIncompleteRows().writeCsv(csv, out)).isEqualTo(2);
        assertThat(converter.skippedRows()).isEqualTo(1);
        assertThatThrownBy(() -> ChatConverter.columns().user("q").assistant("answer").writeCsv(csv, out))
                .hasMessageContaining("has no column 'q'");
    }

    @Test
    void legacyPromptCompletionRecordsBecomeChatsThatValidate() throws IOException {
        Path legacy = dir.resolve("legacy.jsonl");
        Files.writeString(legacy, "{\"prompt\": \"2+2?\", \"completion\": 4}\n"
                + "\n"
                + "{\"prompt\": \"Capital of France?\", \"completion\": \"Paris.\", \"id\": 7}\n"
                + "{\"prompt\": \"Empty?\", \"completion\": null}\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("chats.jsonl");
        ChatConverter converter = ChatConverter.columns().systemPrompt("Answer briefly.").user("prompt").assistant("completion");
        assertThatThrownBy(() -> converter.writeJsonl(legacy, out)).isInstanceOf(DatasetException.class)
                .hasMessage("Line 4: column 'completion' is empty; fill it or skip incomplete rows"
                        + " (skipIncompleteRows(), or --skip-incomplete on the command line)");
        assertThat(out).doesNotExist();

        assertThat(converter.skipIncompleteRows().writeJsonl(legacy, out)).isEqualTo(2);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("{\"messages\":[{\"role\":\"system\",\"content\":\"Answer briefly.\"},"
                + "{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"}]}");
        assertThat(lines.get(1)).contains("Paris.").doesNotContain("\"id\"");
        assertThat(DatasetValidator.forMethod(Method.SUPERVISED).minExamples(1).validate(out).ok()).isTrue();

        Files.writeString(legacy, "{\"prompt\": \"A\", \"completion\": \"a\"}\n{\"prompt\": [\"A\"], \"completion\": \"a\"}\n");
        assertThatThrownBy(() -> converter.writeJsonl(legacy, out)).isInstanceOf(DatasetException.class)
                .hasMessage("Line 2: field 'prompt' must be text, got an array");
        assertThatThrownBy(() -> ChatConverter.columns().user("promt").assistant("completion").skipIncompleteRows()
                .writeJsonl(legacy.toString(), out.toString())).isInstanceOf(DatasetException.class)
                .hasMessage(legacy + " has no field 'promt' in any record; the first record's fields are [prompt, completion]");
        assertThatThrownBy(() -> converter.writeJsonl(dir.resolve("nope.jsonl"), out)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("cannot read " + dir.resolve("nope.jsonl") + ": no such file");
        assertThatThrownBy(() -> converter.writeCsv(dir.resolve("nope.csv"), out)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("cannot read " + dir.resolve("nope.csv") + ": no such file");
        Files.writeString(legacy, "[1]\n");
        assertThatThrownBy(() -> converter.writeJsonl(legacy, out)).isInstanceOf(DatasetException.class)
                .hasMessage("Line 1: expected a JSON object with the fields 'prompt', 'completion'");
    }

    @Test
    void aMistypedFieldNameIsNamedBeforeAnyEmptyField() throws IOException {
        Path legacy = Files.writeString(dir.resolve("legacy.jsonl"),
                "{\"prompt\": \"2+2?\", \"completion\": \"4\"}\n{\"prompt\": \"3+3?\", \"completion\": \"6\"}\n");
        Path out = dir.resolve("out.jsonl");
        assertThatThrownBy(() -> ChatConverter.columns().user("prompt").assistant("answer").writeJsonl(legacy, out))
                .isInstanceOf(DatasetException.class)
                .hasMessage(legacy + " has no field 'answer' in any record up to line 1; the first record's fields are [prompt, completion]")
                .extracting(e -> ((DatasetException) e).line()).isEqualTo(1L);
        assertThat(out).doesNotExist();
        // a field that earlier records have is an empty one
        Files.writeString(legacy, "{\"prompt\": \"2+2?\", \"completion\": \"4\"}\n{\"prompt\": \"3+3?\"}\n");
        assertThatThrownBy(() -> ChatConverter.columns().user("prompt").assistant("completion").writeJsonl(legacy, out))
                .hasMessage("Line 2: column 'completion' is empty; fill it or skip incomplete rows"
                        + " (skipIncompleteRows(), or --skip-incomplete on the command line)");
    }

    @Test
    void aRowWithMoreFieldsThanTheHeaderIsAnErrorAndOneWithFewerIsIncomplete() throws IOException {
        Path csv = dir.resolve("qa.csv");
        Path out = dir.resolve("out.jsonl");
        Files.writeString(csv, "question,answer\nDo you ship?,Yes, to the EU.\n");
        assertThatThrownBy(() -> ChatConverter.columns().user("question").assistant("answer").writeCsv(csv, out))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("CSV line 2 has 3 fields, the header has 2: quote a field that holds a comma");
        assertThat(out).doesNotExist();

        Files.writeString(csv, "id,question,answer\n1,A?,a\n2,B?\n");
        ChatConverter converter = ChatConverter.columns().user("id").assistant("question");
        assertThatThrownBy(() -> converter.writeCsv(csv, out)).isInstanceOf(DatasetException.class)
                .hasMessage("CSV line 3 has 2 fields, the header has 3; complete the row or skip incomplete rows"
                        + " (skipIncompleteRows(), or --skip-incomplete on the command line)");
        assertThat(converter.skipIncompleteRows().writeCsv(csv, out)).isEqualTo(1);
        assertThat(converter.skippedRows()).isEqualTo(1);
    }

    @Test
    void aLatin1CsvIsNamedWithItsLine() throws IOException {
        Path csv = dir.resolve("qa.csv");
        Files.write(csv, "question,answer\nA?,a\nCaf\u00e9?,b\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ChatConverter.columns().user("question").assistant("answer").writeCsv(csv, dir.resolve("out.jsonl")))
                .isInstanceOf(DatasetException.class)
                .hasMessage(csv + " is not UTF-8 (CSV line 3); it may be Latin-1/Windows-1252: save it as UTF-8");
    }

    @Test
    void theConverterDoesNotOverwriteItsInput() throws IOException {
        Path csv = Files.writeString(dir.resolve("qa.csv"), "question,answer\nA?,a\n");
        ChatConverter converter = ChatConverter.columns().user("question").assistant("answer");
        assertThatThrownBy(() -> converter.writeCsv(csv, csv)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different files");
        Path jsonl = Files.writeString(dir.resolve("in.jsonl"), "{\"question\": \"A?\", \"answer\": \"a\"}\n");
        assertThatThrownBy(() -> converter.writeJsonl(jsonl, dir.resolve("./in.jsonl"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(csv)).isEqualTo("question,answer\nA?,a\n");
    }
}
