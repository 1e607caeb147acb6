package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.JobStatus;
import dev.finetune4j.client.BadRequestException;
import dev.finetune4j.client.JobCreateParams;
import dev.finetune4j.client.OpenAI;
import dev.finetune4j.data.BrokenCorpusTest;
import dev.finetune4j.data.Category;
import dev.finetune4j.data.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the broken corpus sent to the real server as a user would: an upload and a job. A file with an error
 * fails its job with the validator's own message; a file with warnings only is trained.
 */
class BrokenCorpusServerTest {
    @TempDir
    static Path dir;
    static LocalServer server;
    static OpenAI client;

    @BeforeAll
    static void start() {
        server = LocalServer.builder().dataDir(dir).start();
        client = OpenAI.builder().baseUrl(server.baseUrl()).apiKey(server.apiKey()).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.finetune4j.data.BrokenCorpusTest#corpus")
    void theServerSaysWhatTheValidatorSays(String file, long line, Category category, String message) throws Exception {
        FileObject upload;
        try {
            upload = client.files().create(BrokenCorpusTest.corpus(file), "fine-tune");
        } catch (BadRequestException e) {
            // an empty file is refused at the upload already, with the validator's words
            assertThat(category).isEqualTo(Category.EMPTY_FILE);
            assertThat(e.getMessage()).contains(message);
            return;
        }
        String method = file.startsWith("bad_dpo") ? "dpo" : "supervised";
        FineTuningJob job = client.fineTuning().jobs().create(JobCreateParams.builder().model("nano")
                .trainingFile(upload.id()).method(Map.of("type", method)).build());

        if (category == Category.TOO_MANY_TOKENS) {
            // a local model cannot hold a longer example, so the server makes it an error, counted in its own tokens
            FineTuningJob failed = awaitPast(job.id(), JobStatus.VALIDATING_FILES);
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error().message()).startsWith("Line " + line + ": the example has ")
                    .endsWith(" tokens, more than the 128-token limit (finetune4j-bytes)");
        } else if (category.defaultSeverity() == Severity.ERROR) {
            FineTuningJob failed = awaitPast(job.id(), JobStatus.VALIDATING_FILES);
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error().code()).isEqualTo("invalid_training_file");
            assertThat(failed.error().param()).isEqualTo("training_file");
            assertThat(failed.error().message()).isEqualTo(message);
        } else {
            FineTuningJob past = awaitPast(job.id(), JobStatus.VALIDATING_FILES);
            assertThat(past.status()).as("%s", past.error()).isNotEqualTo(JobStatus.FAILED);
            client.fineTuning().jobs().cancel(job.id());
        }
    }

    private static FineTuningJob awaitPast(String id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            FineTuningJob job = client.fineTuning().jobs().retrieve(id);
            if (!job.status().equals(status)) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s still %s", id, status).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
