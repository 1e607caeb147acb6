package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.JobError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge to the engine and the validator: what the server learns about a dataset before it trains. */
class LocalEngineTest {
    @Test
    void theValidatorCountsTokensAsTheLocalModelsTokenizeText() {
        // the server validates with the data package's count, and trains with the train package's tokenizer
        for (String text : List.of("", "hello", "café", "東京", "🙂 ok", "a\u00e9\u6771\ud83d\ude42")) {
            assertThat(dev.finetune4j.data.TokenCounter.utf8Length(text)).as(text)
                    .isEqualTo(dev.finetune4j.train.ByteTokenizer.count(text))
                    .isEqualTo(dev.finetune4j.train.ByteTokenizer.encode(text).length);
        }
    }

    @TempDir
    Path dir;
    final LocalEngine engine = new LocalEngine(1);

    Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    static String examples(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"q").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"a").append(i).append("\"}]}\n");
        }
        return sb.toString();
    }

    @Test
    void aValidFileHasNoError() throws Exception {
        assertThat(engine.validate(write("ok.jsonl", examples(10)), "supervised", "nano", "nano", "training_file")).isNull();
        assertThat(engine.validate(write("v.jsonl", examples(1)), "supervised", "nano", "nano", "validation_file")).isNull();
    }

    @Test
    void brokenJsonNamesTheLine() throws Exception {
        JobError e = engine.validate(write("bad.jsonl", examples(11) + "{\"messages\": [\n"), "supervised", "nano", "nano",
                "training_file");
        assertThat(e.code()).isEqualTo("invalid_training_file");
        assertThat(e.param()).isEqualTo("training_file");
        assertThat(e.message()).contains("12");
    }

    @Test
    void tooFewExamplesAndTooLongExamplesFail() throws Exception {
        assertThat(engine.validate(write("few.jsonl", examples(3)), "supervised", "nano", "nano", "training_file")).isNotNull();
        String longOne = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(500)
                + "\"},{\"role\":\"assistant\",\"content\":\"y\"}]}\n";
        JobError e = engine.validate(write("long.jsonl", examples(10) + longOne), "supervised", "nano", "nano", "training_file");
        assertThat(e).isNotNull();
        assertThat(e.message()).contains("11");
    }

    @Test
    void theValidatorCountsADeveloperMessageAsTheTemplateWritesIt() throws Exception {
        // the chat template writes a developer message's role line as "system": 128 tokens fit nano's context
        String fits = "{\"messages\":[{\"role\":\"developer\",\"content\":\"" + "d".repeat(57)
                + "\"},{\"role\":\"assistant\",\"content\":\"" + "a".repeat(50) + "\"}]}\n";
        Path p = write("developer.jsonl", examples(10) + fits);
        try (var reader = dev.finetune4j.data.ExampleReader.open(p)) {
            var last = reader.stream().skip(10).findFirst().orElseThrow();
            assertThat(dev.finetune4j.train.ChatTemplate.tokenCount(LocalEngine.chatExample(last))).isEqualTo(128);
        }
        assertThat(engine.validate(p, "reinforcement", "nano", "nano", "training_file")).isNull();
        JobError over = engine.validate(write("over.jsonl", examples(10) + fits.replace("a".repeat(50), "a".repeat(51))),
                "reinforcement", "nano", "nano", "training_file");
        assertThat(over.message()).isEqualTo("Line 11: the example has 129 tokens, more than the 128-token limit (finetune4j-bytes)");
    }

    @Test
    void readsMessagesWeightsAndToolCalls() throws Exception {
        Path p = write("w.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]},"
                + "{\"role\":\"assistant\",\"content\":\"no\",\"weight\":0},{\"role\":\"assistant\",\"tool_calls\":"
                + "[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}\n");
        List<dev.finetune4j.train.ChatMessage> ex;
        try (var reader = dev.finetune4j.data.ExampleReader.open(p)) {
            ex = LocalEngine.chatExample(reader.iterator().next()).messages();
        }
        assertThat(ex.get(0).content()).isEqualTo("hi");
        assertThat(ex.get(1).trained()).isFalse();
        assertThat(ex.get(2).trained()).isTrue();
        assertThat(ex.get(2).content()).contains("\"name\":\"f\"");
    }

    static String pairs(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"prompt\":\"q").append(i).append("\",\"completion\":\"a").append(i).append("\"}\n");
        }
        return sb.toString();
    }

    @Test
    void theLegacyModelsTakePromptCompletionFilesAndOnlyThey() throws Exception {
        Path legacy = write("legacy.jsonl", pairs(10));
        Path chat = write("chat.jsonl", examples(10));
        for (String model : List.of("davinci-002", "babbage-002", "ft:davinci-002:org::abc12345")) {
            assertThat(engine.validate(legacy, "supervised", model, "nano", "training_file")).as(model).isNull();
            assertThat(engine.validate(chat, "supervised", model, "nano", "training_file").message()).as(model)
                    .isEqualTo("Line 1: unknown key 'messages' (a prompt/completion example accepts prompt, completion):"
                            + " babbage-002 and davinci-002 train on prompt/completion lines, chat models on messages");
        }
        assertThat(engine.validate(legacy, "supervised", "gpt-3.5-turbo", "nano", "training_file").message())
                .startsWith("Line 1: unknown key 'prompt'");
        assertThat(engine.validate(chat, "supervised", "gpt-3.5-turbo", "nano", "training_file")).isNull();
    }

    @Test
    void aPromptCompletionPairTrainsAsAUserMessageAndItsAnswerWithinTheContext() throws Exception {
        // nano's context is 128 tokens: the pair's 19 template tokens and 109 bytes of text fill it
        String fits = "{\"prompt\":\"" + "p".repeat(60) + "\",\"completion\":\"" + "c".repeat(49) + "\"}\n";
        Path p = write("fits.jsonl", pairs(10) + fits);
        assertThat(engine.validate(p, "supervised", "davinci-002", "nano", "training_file")).isNull();
        try (var reader = dev.finetune4j.data.ExampleReader.open(p)) {
            var examples = reader.stream().toList();
            List<dev.finetune4j.train.ChatMessage> first = LocalEngine.chatExample(examples.get(0)).messages();
            assertThat(first).containsExactly(new dev.finetune4j.train.ChatMessage("user", "q0", false),
                    new dev.finetune4j.train.ChatMessage("assistant", "a0", true));
            assertThat(dev.finetune4j.train.ChatTemplate.tokenCount(LocalEngine.chatExample(examples.get(10)))).isEqualTo(128);
        }
        String over = fits.replace("c".repeat(49), "c".repeat(50));
        assertThat(engine.validate(write("over.jsonl", pairs(10) + over), "supervised", "davinci-002", "nano", "training_file")
                .message()).isEqualTo("Line 11: the example has 129 tokens, more than the 128-token limit (finetune4j-bytes)");
    }

    @Test
    void anInterruptStopsTheTokenizingOfAJobsFiles() throws Exception {
        Path work = java.nio.file.Files.createDirectories(dir.resolve("stopped"));
        Path file = write("t.jsonl", examples(20));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> engine.prepare(new Engine.TrainingSpec("nano", "supervised", file, null, "auto",
                    "auto", 1, java.util.Map.of(), null, 5, null, work, null)))
                    .hasMessageContaining("tokenizing the training file was stopped");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void resolvesAutoHyperparametersAndChats() throws Exception {
        Path work = java.nio.file.Files.createDirectories(dir.resolve("job"));
        try (Engine.Training t = engine.prepare(new Engine.TrainingSpec("nano", "supervised", write("t.jsonl", examples(20)),
                null, "auto", "auto", 1, java.util.Map.of(), null, 5, null, work, null))) {
            assertThat(t.resolved().nEpochs()).isEqualTo(1);
            assertThat(t.resolved().totalSteps()).isEqualTo(t.resolved().stepsPerEpoch());
            assertThat(work.resolve("train.tokens")).as("the tokenized data live in the job's folder").exists();
        }
        assertThat(work.resolve("train.tokens")).as("and go when the run is closed").doesNotExist();
        Engine.Chatbot bot = engine.load("nano", null);
        Engine.Completion c = bot.complete(List.of(new Engine.Message("user", "hi")),
                new Engine.Sampling(0, 1, 5, List.of(), 1), (s, lp) -> { });
        assertThat(c.completionTokens()).isBetween(1, 5);
        assertThat(c.promptTokens()).isEqualTo(bot.promptTokens(List.of(new Engine.Message("user", "hi"))));
    }

    @Test
    void reinforcementResolvesItsOwnAutoValuesAndKeepsExplicitOnes() throws Exception {
        StringBuilder prompts = new StringBuilder();
        for (int i = 0; i < 104; i++) {
            prompts.append("{\"messages\":[{\"role\":\"user\",\"content\":\"q").append(i)
                    .append("\"}],\"answer\":\"a").append(i).append("\"}\n");
        }
        Path file = write("prompts.jsonl", prompts.toString());
        Path work = java.nio.file.Files.createDirectories(dir.resolve("rft"));
        try (Engine.Training t = engine.prepare(new Engine.TrainingSpec("nano", "reinforcement", file, null, "auto",
                "auto", "auto", java.util.Map.of(), null, 5, null, work, null))) {
            // 40 epochs (a supervised job's rule gives 3) of 16 answers per prompt (4 at compute_multiplier 1)
            assertThat(t.resolved()).isEqualTo(new Engine.Resolved(4, 1.0, 40, 1040, 26, java.util.Map.of(
                    "compute_multiplier", 4.0, "eval_interval", 10, "eval_samples", 4)));
        }
        try (Engine.Training t = engine.prepare(new Engine.TrainingSpec("nano", "reinforcement", file, null, 8,
                0.5, 3, java.util.Map.of("compute_multiplier", 1), null, 5, null, work, null))) {
            assertThat(t.resolved()).isEqualTo(new Engine.Resolved(8, 0.5, 3, 39, 13, java.util.Map.of(
                    "compute_multiplier", 1.0, "eval_interval", 10, "eval_samples", 8)));
        }
    }

    @Test
    void aLongTokenizingSaysHowFarItHasCome() throws Exception {
        Path work = java.nio.file.Files.createDirectories(dir.resolve("noted"));
        Path file = write("t.jsonl", examples(20));
        List<String> notes = new java.util.ArrayList<>();
        // an interval of zero: a note after each example, as a file of hundreds of megabytes gives every ten seconds
        LocalEngine noting = new LocalEngine(1, java.time.Duration.ZERO);
        try (Engine.Training t = noting.prepare(new Engine.TrainingSpec("nano", "supervised", file, null, "auto",
                "auto", 1, java.util.Map.of(), null, 5, null, work, notes::add))) {
            assertThat(notes).hasSize(21);
            assertThat(notes.get(0)).isEqualTo("Tokenizing the training file: 4% (82 bytes of 2 kB, 1 example)");
            assertThat(notes.get(19)).isEqualTo("Tokenizing the training file: 100% (2 kB of 2 kB, 20 examples)");
            assertThat(notes.get(20)).matches("Tokenized the training file: 20 examples, [0-9,]+ tokens in 0 s");
        }
        notes.clear();
        try (Engine.Training t = engine.prepare(new Engine.TrainingSpec("nano", "supervised", file, null, "auto",
                "auto", 1, java.util.Map.of(), null, 5, null, work, notes::add))) {
            assertThat(notes).as("a file tokenized within the interval says nothing").isEmpty();
        }
    }
}
