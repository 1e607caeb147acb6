package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.JobStatus;
import dev.finetune4j.data.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** babbage-002 and davinci-002 on the real local server: prompt/completion files, as OpenAI trains these models. */
class PromptCompletionEndToEndTest {
    static final String[][] PAIRS = {{"France", "Paris"}, {"Japan", "Tokyo"}, {"Canada", "Ottawa"}, {"Italy", "Rome"},
            {"Spain", "Madrid"}, {"Egypt", "Cairo"}, {"Peru", "Lima"}, {"Kenya", "Nairobi"}, {"Chile", "Santiago"},
            {"Norway", "Oslo"}, {"Greece", "Athens"}, {"Cuba", "Havana"}};

    @TempDir
    static Path dir;
    static FineTune ft;
    static Path pairs;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("finetune4j.progress", "line");
        ft = FineTune.local(dir.resolve("server"));
        StringBuilder sb = new StringBuilder();
        for (String[] p : PAIRS) {
            sb.append("{\"prompt\": \"Capital of ").append(p[0]).append("?\", \"completion\": \"").append(p[1]).append(".\"}\n");
        }
        pairs = Files.writeString(dir.resolve("pairs.jsonl"), sb);
    }

    @AfterAll
    static void stop() {
        if (ft != null) ft.close();
    }

    @Test
    void davinciLearnsToAnswerEachPromptWithItsCompletion() {
        ValidationReport report = ft.validate(pairs.toString(), "davinci-002");
        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(report.stats().tokenizer()).isEqualTo("finetune4j-bytes");
        assertThat(report.stats().roleTotals().keySet()).containsExactly("prompt", "completion");

        // as many epochs as the sample chats need to be learnt by heart (see ExactAnswersTest)
        Run run = ft.job("davinci-002").train(pairs).epochs(50).batchSize(4).lrMultiplier(6).seed(1).create().await();
        assertThat(run.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(run.model()).startsWith("ft:davinci-002:");
        // the prompt, sent as a user message, is answered with the completion (all twelve here; one slip is allowed,
        // as ExactAnswersTest allows some, should another machine's arithmetic differ)
        List<String> wrong = new ArrayList<>();
        for (String[] p : PAIRS) {
            String answer = run.chat("Capital of " + p[0] + "?");
            if (!answer.equals(p[1] + ".")) wrong.add(p[0] + " -> " + answer);
        }
        assertThat(wrong).as("prompts not answered with their completion").hasSizeLessThanOrEqualTo(1);
        // the evaluation reads the same file, and counts the same answers right
        Evaluation eval = run.evaluate(pairs.toString());
        assertThat(eval.size()).isEqualTo(PAIRS.length);
        assertThat(eval.correct()).isEqualTo(PAIRS.length - wrong.size());
        // a fine-tuned davinci-002 model trains on the same format
        assertThat(ft.validate(pairs.toString(), run.model()).ok()).isTrue();
    }

    @Test
    void aChatFileFailsADavinciJobWithTheValidatorsMessage() {
        Path chats = Datasets.write(dir.resolve("chats.jsonl"), 0, 12);
        ValidationReport report = ft.validate(chats.toString(), "davinci-002");
        assertThat(report.ok()).isFalse();
        String message = report.firstError().orElseThrow().message();
        assertThat(message).isEqualTo("Line 1: unknown key 'messages' (a prompt/completion example accepts prompt, completion):"
                + " babbage-002 and davinci-002 train on prompt/completion lines, chat models on messages");
        Run run = ft.create("davinci-002", chats.toString());
        assertThatThrownBy(run::await).isInstanceOf(RunFailedException.class)
                .satisfies(e -> assertThat(((RunFailedException) e).errorMessage()).isEqualTo(message));

        // a chat model still refuses prompt/completion lines, as OpenAI does
        Run chatModel = ft.create("gpt-4.1-nano", pairs.toString());
        assertThatThrownBy(chatModel::await).isInstanceOf(RunFailedException.class)
                .satisfies(e -> assertThat(((RunFailedException) e).errorMessage()).startsWith("Line 1: unknown key 'prompt'"));
        assertThat(ft.validate(pairs.toString(), "nano").ok()).isFalse();
    }
}
