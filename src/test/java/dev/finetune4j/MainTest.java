package dev.finetune4j;

import static org.assertj.core.api.Assertions.assertThat;

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
}
