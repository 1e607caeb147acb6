package dev.finetune4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of the runnable jar: what it prints and the exit status a CI step would read. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aGoodFileExitsZeroWithItsStatisticsAndEstimate() {
        assertThat(run("validate", "data/sample_train.jsonl")).isZero();
        assertThat(out()).startsWith("OK: 104 supervised examples").contains("tokens").contains("epochs");
    }

    @Test
    void aBrokenFileExitsOneWithLineNumbers(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append("{\"messages\": [{\"role\": \"user\", \"content\": \"q").append(i).append("\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}\n");
        }
        sb.append("{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"bot\", \"content\": \"a\"}]}\n");
        Path file = Files.writeString(dir.resolve("broken.jsonl"), sb);
        assertThat(run("validate", file.toString(), "--no-tokens")).isEqualTo(Main.INVALID);
        assertThat(out()).contains("Line 13: messages[1].role 'bot' is not one of system, user, assistant, tool");
    }

    @Test
    void splitWritesTwoFilesTheSameWayForTheSameSeed(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.jsonl");
        Path valid = dir.resolve("valid.jsonl");
        assertThat(run("split", "data/sample_train.jsonl", train.toString(), valid.toString(), "--valid-fraction", "0.25",
                "--seed", "7")).isZero();
        assertThat(out()).contains("train: 78 examples, validation: 26 examples");
        assertThat(Files.readAllLines(valid)).hasSize(26);
        String first = Files.readString(valid);
        assertThat(run("split", "data/sample_train.jsonl", train.toString(), valid.toString(), "--valid-fraction", "0.25",
                "--seed", "7")).isZero();
        assertThat(Files.readString(valid)).isEqualTo(first);
        assertThat(run("split", "data/sample_train.jsonl", train.toString(), valid.toString(), "--valid-fraction", "2"))
                .isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--valid-fraction wants a number from 0 to 1");
        Path pretty = Files.writeString(dir.resolve("pretty.json"), "{\n  \"messages\": []\n}\n");
        assertThat(run("split", pretty.toString(), train.toString(), valid.toString())).isEqualTo(Main.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Line 1 of").contains("is not a JSON object");
    }

    @Test
    void convertBuildsChatsFromACsvOrFlatRecords(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("qa.csv"), "question,answer\nWhat is 2+2?,4\n\"Hi, there\",Hello\n");
        Path out1 = dir.resolve("qa.jsonl");
        assertThat(run("convert", csv.toString(), out1.toString(), "--user", "question", "--assistant", "answer",
                "--system-prompt", "Be brief.")).isZero();
        assertThat(out()).contains("wrote 2 examples to " + out1);
        JsonNode first = Json.tree(Files.readAllLines(out1).get(0));
        assertThat(first.at("/messages/0/content").asText()).isEqualTo("Be brief.");
        assertThat(first.at("/messages/1/content").asText()).isEqualTo("What is 2+2?");
        assertThat(Json.tree(Files.readAllLines(out1).get(1)).at("/messages/1/content").asText()).isEqualTo("Hi, there");

        Path legacy = Files.writeString(dir.resolve("legacy.jsonl"),
                "{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": \"c\", \"completion\": \"\"}\n");
        Path out2 = dir.resolve("chat.jsonl");
        assertThat(run("convert", legacy.toString(), out2.toString(), "--user", "prompt", "--assistant", "completion"))
                .isEqualTo(Main.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Line 2: column 'completion' is empty; fill it or skip incomplete rows").contains("--skip-incomplete");
        assertThat(out2).doesNotExist();
        out.reset();
        assertThat(run("convert", legacy.toString(), out2.toString(), "--user", "prompt", "--assistant", "completion",
                "--skip-incomplete")).isZero();
        assertThat(out()).contains("wrote 1 example to").contains("1 incomplete row skipped");
        // a mistyped field is named as one, not as an empty cell
        assertThat(run("convert", legacy.toString(), out2.toString(), "--user", "prompt", "--assistant", "answer")).isEqualTo(Main.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("has no field 'answer' in any record up to line 1; the first"
                + " record's fields are [prompt, completion]");
        // what the mapping lacks is a usage error, not a stack trace
        assertThat(run("convert", csv.toString(), dir.resolve("x.jsonl").toString())).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--user and --assistant name the columns")
                .doesNotContain("assistant(column)");
        assertThat(run("convert", csv.toString(), dir.resolve("x.jsonl").toString(), "--user", "question",
                "--assistant", "answer", "--system", "s", "--system-prompt", "p")).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("exclude each other");
    }

    @Test
    void aLocalModelAppliesItsContextLength() {
        // the sample chats are short enough for nano (128 bytes), and an OpenAI model counts them in its encoding
        assertThat(run("validate", "data/sample_train.jsonl", "--model", "nano")).isZero();
        assertThat(out()).contains("finetune4j-bytes");
        out.reset();
        assertThat(run("validate", "data/sample_train.jsonl", "--model", "gpt-4o-mini")).isZero();
        assertThat(out()).contains("o200k_base");
        out.reset();
        // a model fine-tuned from nano keeps nano's rules
        assertThat(run("validate", "data/sample_train.jsonl", "--model", "ft:nano:finetune4j::abc123")).isZero();
        assertThat(out()).contains("finetune4j-bytes").contains("over the 128-token limit");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(Main.USAGE);
        assertThat(out()).contains("usage: java -jar finetune4j-all.jar COMMAND");
        assertThat(run("frobnicate")).isEqualTo(Main.USAGE);
        assertThat(run("validate", "missing.jsonl")).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'")
                .contains("cannot read missing.jsonl: no such file");
        assertThat(run("validate", "data/sample_train.jsonl", "--method", "ppo")).isEqualTo(Main.USAGE);
        assertThat(run("help")).isZero();
    }

    private static Path broken(Path dir, int badLines) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append("{\"messages\": [{\"role\": \"user\", \"content\": \"q").append(i).append("\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}\n");
        }
        for (int i = 0; i < badLines; i++) {
            sb.append("{\"messages\": [{\"role\": \"bot\", \"content\": \"q").append(i).append("\"}]}\n");
        }
        return Files.writeString(dir.resolve("broken.jsonl"), sb);
    }

    @Test
    void problemsPrintsThatManyAndTellsHowToSeeMore(@TempDir Path dir) throws Exception {
        Path file = broken(dir, 15);
        assertThat(run("validate", file.toString(), "--no-tokens", "--problems", "12")).isEqualTo(Main.INVALID);
        assertThat(out().lines().filter(l -> l.startsWith("  error")).count()).isEqualTo(12);
        assertThat(out()).contains("... 18 more (--problems 30 shows them)").doesNotContain("problemsTable");
    }

    @Test
    void optionsAndFilesAreExplained(@TempDir Path dir) throws Exception {
        assertThat(run("validate", dir.toString())).isEqualTo(Main.USAGE);
        assertThat(run("validate", "data/sample_train.jsonl", "--problems", "x")).isEqualTo(Main.USAGE);
        assertThat(run("validate", "data/sample_train.jsonl", "--method", "foo")).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("cannot read " + dir + ": it is a directory")
                .contains("--problems wants a number (0 or more), got 'x'")
                .contains("unknown --method 'foo'; expected auto, supervised, dpo or reinforcement");
        // a device or a pipe (/dev/stdin, <(zcat f.gz)) is read as a stream: here an empty one
        assertThat(run("validate", "/dev/null", "--no-tokens")).isEqualTo(Main.INVALID);
        assertThat(out()).contains("The file has no examples");
    }

    @Test
    void jsonPrintsTheReportAsOneObjectWithTheSameExitStatus(@TempDir Path dir) throws Exception {
        Path file = broken(dir, 3);
        assertThat(run("validate", file.toString(), "--json", "--problems", "2")).isEqualTo(Main.INVALID);
        assertThat(out().strip().lines().count()).isEqualTo(1);
        JsonNode report = Json.MAPPER.readTree(out());
        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("format").asText()).isEqualTo("supervised");
        assertThat(report.get("examples").asLong()).isEqualTo(15);
        assertThat(report.get("errors").asLong()).isEqualTo(6);
        assertThat(report.get("counts").get("unknown_role").asLong()).isEqualTo(3);
        assertThat(report.get("counts").get("no_assistant_message").asLong()).isEqualTo(3);
        assertThat(report.get("problems")).hasSize(2);
        JsonNode first = report.get("problems").get(0);
        assertThat(first.get("line").asLong()).isEqualTo(13);
        assertThat(first.get("path").asText()).isEqualTo("messages[0].role");
        assertThat(first.get("category").asText()).isEqualTo("unknown_role");
        assertThat(first.get("severity").asText()).isEqualTo("error");
        assertThat(first.get("message").asText()).startsWith("Line 13: messages[0].role 'bot'");
        assertThat(first.get("hint").asText()).isNotEmpty();
        assertThat(report.get("problems_not_shown").asLong()).isEqualTo(4);
        assertThat(report.get("stats").get("tokens_per_example").get("max").asLong()).isPositive();
        assertThat(report.has("estimate")).as("only a file that can train has one, as in the text").isFalse();

        out.reset();
        assertThat(run("validate", "data/sample_train.jsonl", "--json")).isZero();
        JsonNode good = Json.MAPPER.readTree(out());
        assertThat(good.get("ok").asBoolean()).isTrue();
        assertThat(good.get("examples").asLong()).isEqualTo(104);
        assertThat(good.get("problems")).isEmpty();
        assertThat(good.get("stats").get("messages_per_example").get("min").asLong()).isEqualTo(3);
        assertThat(good.get("stats").get("tokenizer").asText()).isEqualTo("o200k_base");
        assertThat(good.get("estimate").get("examples").asLong()).isEqualTo(104);
        assertThat(good.get("estimate").get("epochs").asInt()).isPositive();

        out.reset();
        // a problem of the whole file has no line
        assertThat(run("validate", "/dev/null", "--json", "--no-tokens")).isEqualTo(Main.INVALID);
        JsonNode empty = Json.MAPPER.readTree(out());
        assertThat(empty.get("problems").get(0).get("line").isNull()).isTrue();
        assertThat(empty.get("problems").get(0).get("category").asText()).isEqualTo("empty_file");
        assertThat(empty.has("stats")).isFalse();
    }

    @Test
    void cleanWritesTheLinesThatCanTrainAndListsTheOthers(@TempDir Path dir) throws Exception {
        Path file = broken(dir, 3);
        Files.writeString(file, "\n{\"messages\": [{\"role\": \"user\", \"content\": \"q0\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path cleaned = dir.resolve("clean.jsonl");
        assertThat(run("clean", file.toString(), cleaned.toString(), "--no-tokens", "--problems", "2")).isZero();
        assertThat(Files.readAllLines(cleaned)).hasSize(12);
        assertThat(out()).startsWith("kept 12 of 17 lines (supervised) in " + cleaned + ", dropped 5:")
                .contains("unknown_role=3").contains("blank_line=1").contains("duplicate_example=1")
                .contains("dropped Line 13: messages[0].role 'bot'").contains("... 3 more dropped");
        out.reset();
        assertThat(run("validate", cleaned.toString(), "--no-tokens")).isZero();
        assertThat(out()).startsWith("OK: 12 supervised examples\n");

        // too few examples left: written, and the exit status says the file still cannot train
        out.reset();
        Path few = Files.writeString(dir.resolve("few.jsonl"), "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}\n");
        assertThat(run("clean", few.toString(), dir.resolve("few.clean.jsonl").toString(), "--model", "nano")).isEqualTo(Main.INVALID);
        assertThat(out()).contains("cleaned file: The file has 1 example; at least 10 are required");

        String before = Files.readString(file);
        assertThat(run("clean", file.toString(), file.toString())).isEqualTo(Main.USAGE);
        assertThat(run("clean", file.toString())).isEqualTo(Main.USAGE);
        assertThat(run("clean", file.toString(), cleaned.toString(), "--json")).isEqualTo(Main.USAGE);
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("finetune4j clean: the cleaned file must be another file than its input")
                .contains("finetune4j clean: no output file").contains("--json is an option of validate");
        out.reset();
        assertThat(run("help")).isZero();
        assertThat(out()).contains("clean IN OUT");
    }
}
