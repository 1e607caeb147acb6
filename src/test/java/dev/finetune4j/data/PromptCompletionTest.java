package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.EncodingType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The legacy completions format of babbage-002 and davinci-002: {"prompt": ..., "completion": ...} lines. */
class PromptCompletionTest {
    static final String OK = "{\"prompt\": \"Hi %d\", \"completion\": \"Hello %d\"}";

    /** The given lines, then ten valid pairs. */
    static String file(String... firstLines) {
        List<String> lines = new ArrayList<>(List.of(firstLines));
        for (int i = 0; i < 10; i++) {
            lines.add(String.format(OK, i, i));
        }
        return String.join("\n", lines) + "\n";
    }

    static ValidationReport validate(DatasetValidator v, String text) {
        return v.validate(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> messages(ValidationReport r) {
        return r.problems().stream().map(Problem::message).toList();
    }

    @Test
    void theLegacyModelsTakePromptCompletionFiles() {
        for (String model : List.of("davinci-002", "babbage-002", "ft:davinci-002:acme::abc123")) {
            for (Method method : List.of(Method.SUPERVISED, Method.AUTO)) {
                ValidationReport r = validate(DatasetValidator.forMethod(method).model(model), file());
                assertThat(r.ok()).as(model + " " + method).isTrue();
                assertThat(r.problems()).isEmpty();
                assertThat(r.summary()).isEqualTo("OK: " + r.examples() + " prompt/completion examples");
                assertThat(r.examples()).isEqualTo(10);
                assertThat(r.format()).isEqualTo(Method.SUPERVISED);
            }
        }
        // the same rules asked for explicitly, e.g. with a local model's token rules
        assertThat(validate(DatasetValidator.forMethod(Method.SUPERVISED).localModel(128).promptCompletion(true), file()).ok()).isTrue();
        // and the empty prompt, which the format allows
        assertThat(validate(DatasetValidator.forMethod(Method.SUPERVISED).promptCompletion(true),
                file("{\"prompt\": \"\", \"completion\": \"Once upon a time\"}")).problems()).isEmpty();
    }

    @Test
    void eachBrokenLineIsNamedWithAndWithoutTokenCounting() {
        String text = file(
                "{\"prompt\": \"Hi\", \"completion\": \"Hello\", \"label\": 1}",
                "{\"completion\": \"Hello\"}",
                "{\"prompt\": \"Hi\"}",
                "{\"prompt\": 5, \"completion\": \"x\"}",
                "{\"prompt\": \"Hi\", \"completion\": null}",
                "{\"prompt\": \"Hi\", \"completion\": \"\"}",
                "{\"prompt\": \"Hi\", \"completion\": \" \\n\\t\\u0020\"}",
                "{\"prompt\": \"Hi\", \"completion\": [\"x\"]}",
                "{\"prompt\": \"Hi 3\", \"completion\": \"Hello 3\"}",
                "[\"Hi\", \"Hello\"]",
                "{\"prompt\": \"Hi\", \"completion\": \"Hello\"",
                "{\"prompt\": \"Hi\", \"completion\": \" \\n\\u0041\"}");
        for (boolean count : new boolean[] {true, false}) {
            ValidationReport r = validate(DatasetValidator.forMethod(Method.SUPERVISED).model("davinci-002").countTokens(count), text);
            assertThat(messages(r)).as("count tokens: " + count).containsExactly(
                    "Line 1: unknown key 'label' (a prompt/completion example accepts prompt, completion)",
                    "Line 2: prompt is missing",
                    "Line 3: completion is missing",
                    "Line 4: prompt must be a string, got a number",
                    "Line 5: completion must be a string, got null",
                    "Line 6: completion is empty",
                    "Line 7: completion has only spaces or line breaks",
                    "Line 8: completion must be a string, got an array",
                    "Line 10: the line is an array, not a JSON object",
                    "Line 11: invalid JSON at column 39: Unexpected end-of-input: expected close marker for Object (start marker at column 1)",
                    "Line 16: the example is identical to line 9");
            assertThat(r.problems()).extracting(Problem::category).containsExactly(Category.UNKNOWN_KEY, Category.MISSING_CONTENT,
                    Category.MISSING_CONTENT, Category.INVALID_TYPE, Category.INVALID_TYPE, Category.MISSING_CONTENT,
                    Category.MISSING_CONTENT, Category.INVALID_TYPE, Category.WRONG_TOP_LEVEL_TYPE, Category.INVALID_JSON,
                    Category.DUPLICATE_EXAMPLE);
            assertThat(r.problems()).extracting(Problem::path).startsWith("label", "prompt", "completion", "prompt", "completion");
            assertThat(r.jobError("training_file").orElseThrow().message()).isEqualTo(messages(r).get(0));
        }
    }

    @Test
    void chatFilesAreRefusedForTheLegacyModels() {
        ValidationReport r = validate(DatasetValidator.forMethod(Method.AUTO).model("davinci-002"), DatasetValidatorTest.file());
        String expected = "Line 1: unknown key 'messages' (a prompt/completion example accepts prompt, completion):"
                + " babbage-002 and davinci-002 train on prompt/completion lines, chat models on messages";
        assertThat(r.jobError("training_file").orElseThrow().message()).isEqualTo(expected);
        // one problem per line, not the missing prompt and completion as well
        assertThat(r.counts()).containsOnlyKeys(Category.UNKNOWN_KEY);
        assertThat(r.count(Category.UNKNOWN_KEY)).isEqualTo(10);
        assertThat(r.problems().get(0).hint()).contains("{\"prompt\": \"...\", \"completion\": \"...\"}");

        // preference and reinforcement files keep their own formats
        assertThat(validate(DatasetValidator.forMethod(Method.DPO).model("davinci-002"), file()).firstError().orElseThrow().category())
                .isEqualTo(Category.UNKNOWN_KEY);
        assertThat(messages(validate(DatasetValidator.forMethod(Method.DPO).model("davinci-002"), file())).get(0))
                .startsWith("Line 1: unknown key 'prompt' (a preference example accepts");
        // and the chat models keep refusing prompt/completion lines, pointing to the converter
        ValidationReport chat = validate(DatasetValidator.forMethod(Method.SUPERVISED).model("gpt-4o-mini"), file());
        assertThat(chat.firstError().orElseThrow().hint()).contains("ChatConverter");
        assertThat(validate(DatasetValidator.forMethod(Method.SUPERVISED).model("davinci-002").model("gpt-4o-mini"), file()).ok()).isFalse();
        assertThat(ModelLimits.usesPromptCompletion("gpt-3.5-turbo")).isFalse();
        assertThat(ModelLimits.usesPromptCompletion("babbage-002")).isTrue();
    }

    @Test
    void tokensArePromptPlusCompletionAndTheCompletionIsTrained() {
        TokenCounter enc = TokenCounter.of(EncodingType.CL100K_BASE);
        String line = "{\"prompt\": \"Capital of France?\\n\\n###\\n\\n\", \"completion\": \" Paris.\\n\"}";
        ValidationReport r = validate(DatasetValidator.forMethod(Method.SUPERVISED).model("davinci-002").minExamples(1), line);
        int prompt = enc.count("Capital of France?\n\n###\n\n");
        int completion = enc.count(" Paris.\n");
        DatasetStats stats = r.stats();
        assertThat(stats.tokenizer()).isEqualTo("cl100k_base");
        assertThat(stats.tokenLimit()).isEqualTo(16_384);
        assertThat(stats.distribution(DatasetStats.Metric.TOKENS).max()).isEqualTo(prompt + completion);
        assertThat(stats.distribution(DatasetStats.Metric.ASSISTANT_TOKENS).max()).isEqualTo(completion);
        assertThat(stats.roleTotals().keySet()).containsExactly("prompt", "completion");
        assertThat(stats.roleTotals().get("completion")[1]).isEqualTo(completion);
        // the report speaks of completions, not of messages, which such a file does not have
        assertThat(stats.toString()).doesNotContain("messages").doesNotContain("assistant")
                .contains("completion tokens/example");
        assertThat(stats.table().stringColumn("metric").asList())
                .containsExactly("tokens per example", "completion tokens per example");
        assertThat(r.estimate().examples()).isEqualTo(1);
    }

    @Test
    void aLocalModelCountsThePairAsTheUserAndAssistantMessagesItTrains() {
        // <|start|>user\n + prompt + <|end|> and <|start|>assistant\n + completion + <|end|>: 19 tokens besides the text
        String fits = "{\"prompt\": \"" + "p".repeat(11) + "\", \"completion\": \"" + "c".repeat(10) + "\"}";
        String over = "{\"prompt\": \"" + "p".repeat(12) + "\", \"completion\": \"" + "c".repeat(10) + "\"}";
        DatasetValidator v = DatasetValidator.forMethod(Method.SUPERVISED).localModel(40).promptCompletion(true);
        assertThat(validate(v, file(fits)).ok()).isTrue();
        ValidationReport r = validate(v, file(over));
        assertThat(r.jobError("training_file").orElseThrow().message())
                .isEqualTo("Line 1: the example has 41 tokens, more than the 40-token limit (finetune4j-bytes)");
    }

    @Test
    void tooFewAndNoExamples() {
        String three = String.format(OK, 1, 1) + "\n" + String.format(OK, 2, 2) + "\n" + String.format(OK, 3, 3) + "\n";
        ValidationReport r = validate(DatasetValidator.forMethod(Method.SUPERVISED).model("babbage-002"), three);
        assertThat(messages(r)).containsExactly("The file has 3 examples; at least 10 are required");
        assertThat(validate(DatasetValidator.forMethod(Method.SUPERVISED).model("babbage-002").minExamples(1), three).ok()).isTrue();
        assertThat(messages(validate(DatasetValidator.forMethod(Method.AUTO).model("babbage-002"), "\n")))
                .contains("The file has no examples");
    }

    @Test
    void chunksInParallelGiveTheSameReport() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append(i % 97 == 5 ? "{\"prompt\": \"Hi\", \"completion\": \" \"}" : String.format(OK, i, i % 1500)).append('\n');
        }
        ValidationReport one = DatasetValidator.forMethod(Method.SUPERVISED).model("davinci-002").countTokens(false).threads(1)
                .validate(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
        ValidationReport four = DatasetValidator.forMethod(Method.SUPERVISED).model("davinci-002").countTokens(false).threads(4).chunkBytes(4096)
                .validate(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(messages(four)).isEqualTo(messages(one));
        assertThat(one.count(Category.MISSING_CONTENT)).isEqualTo(31);
    }
}
