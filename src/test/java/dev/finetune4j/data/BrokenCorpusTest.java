package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.JobError;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The corpus in src/test/resources/data/broken: one file per category, each faulty at one known line. */
public class BrokenCorpusTest {

    public static Path corpus(String name) {
        try {
            return Path.of(BrokenCorpusTest.class.getResource("/data/broken/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The corpus files with their token limit, line, category and exact message (as documented in the corpus README). */
    public static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("invalid_json.jsonl", 4, Category.INVALID_JSON,
                        "Line 4: invalid JSON at column 92: Unexpected character (']' (code 93)): expected a value"),
                Arguments.of("duplicate_key.jsonl", 5, Category.DUPLICATE_KEY, "Line 5: messages[1] has the key 'content' twice"),
                Arguments.of("bad_encoding.jsonl", 3, Category.BAD_ENCODING,
                        "Line 3: not valid UTF-8 at column 115 (the file may be Latin-1/Windows-1252)"),
                Arguments.of("wrong_top_level_type.jsonl", 3, Category.WRONG_TOP_LEVEL_TYPE,
                        "Line 3: the line is an array, not a JSON object"),
                Arguments.of("missing_messages.jsonl", 5, Category.MISSING_MESSAGES, "Line 5: messages is missing"),
                Arguments.of("invalid_type.jsonl", 6, Category.INVALID_TYPE,
                        "Line 6: messages[0].content must be a string or an array of content parts, got a number"),
                Arguments.of("unknown_key.jsonl", 2, Category.UNKNOWN_KEY,
                        "Line 2: messages[0] has unknown key 'timestamp' (a user message accepts role, content, name)"),
                Arguments.of("missing_role.jsonl", 8, Category.MISSING_ROLE, "Line 8: messages[1] has no role"),
                Arguments.of("unknown_role.jsonl", 7, Category.UNKNOWN_ROLE,
                        "Line 7: messages[1].role 'bot' is not one of system, user, assistant, tool"),
                Arguments.of("role_not_allowed.jsonl", 3, Category.ROLE_NOT_ALLOWED,
                        "Line 3: messages[0].role 'developer' is not allowed in supervised files (allowed: system, user, assistant, tool)"),
                Arguments.of("missing_content.jsonl", 9, Category.MISSING_CONTENT, "Line 9: messages[1].content is empty (user message)"),
                Arguments.of("no_assistant_message.jsonl", 5, Category.NO_ASSISTANT_MESSAGE, "Line 5: messages has no assistant message"),
                Arguments.of("bad_weight.jsonl", 4, Category.BAD_WEIGHT, "Line 4: messages[1].weight must be 0 or 1, got 2"),
                Arguments.of("bad_dpo_output.jsonl", 3, Category.BAD_DPO_OUTPUT,
                        "Line 3: preferred_output has 2 messages; it must hold exactly one assistant message"),
                Arguments.of("bad_dpo_input.jsonl", 4, Category.BAD_DPO_INPUT, "Line 4: input.messages ends with an assistant message;"
                        + " the preferred and non-preferred outputs are the answer to it"),
                Arguments.of("bad_tool_call.jsonl", 6, Category.BAD_TOOL_CALL, "Line 6: messages[1].tool_calls[0].function has no name"),
                Arguments.of("empty_file.jsonl", 0, Category.EMPTY_FILE, "The file has no examples"),
                Arguments.of("too_few_examples.jsonl", 0, Category.TOO_FEW_EXAMPLES, "The file has 3 examples; at least 10 are required"),
                Arguments.of("duplicate_example.jsonl", 6, Category.DUPLICATE_EXAMPLE, "Line 6: the example is identical to line 2"),
                Arguments.of("too_many_tokens.jsonl", 4, Category.TOO_MANY_TOKENS,
                        "Line 4: the example has 3,515 tokens, more than the 1,000-token limit (o200k_base)"),
                Arguments.of("blank_line.jsonl", 5, Category.BLANK_LINE, "Line 5: the line is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachFileHasExactlyItsProblemAtItsLine(String file, long line, Category category, String message) {
        ValidationReport report = DatasetValidator.forMethod(Method.AUTO).tokenLimit(1000).validate(corpus(file));

        assertThat(report.counts()).containsOnlyKeys(category);
        assertThat(report.count(category)).isEqualTo(1);
        Problem p = report.problems().get(0);
        assertThat(p.line()).isEqualTo(line);
        assertThat(p.category()).isEqualTo(category);
        assertThat(p.message()).isEqualTo(message);
        assertThat(p.hint()).isNotBlank();
        if (category.defaultSeverity() == Severity.ERROR) {
            assertThat(report.ok()).isFalse();
            assertThat(report.firstError()).contains(p);
            JobError error = report.jobError("training_file").orElseThrow();
            assertThat(error.code()).isEqualTo("invalid_training_file");
            assertThat(error.param()).isEqualTo("training_file");
            assertThat(error.message()).isEqualTo(message);
        } else {
            assertThat(report.ok()).isTrue();
            assertThat(report.jobError("training_file")).isEmpty();
        }
    }

    @Test
    void everyCategoryHasItsFileButTheLineTooLong() {
        // a line over the limit takes a 32 MB file: DatasetValidatorTest builds one
        assertThat(corpus().map(a -> (Category) a.get()[2])).containsExactlyInAnyOrder(Arrays.stream(Category.values())
                .filter(c -> c != Category.LINE_TOO_LONG).toArray(Category[]::new));
        assertThat(corpus().map(a -> (String) a.get()[0])).allSatisfy(file -> assertThat(corpus(file)).exists());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void warningsBecomeErrorsWhenTheCallerSaysSo(String file, long line, Category category, String message) {
        ValidationReport report = DatasetValidator.forMethod(Method.AUTO).tokenLimit(1000)
                .severity(category, Severity.ERROR).validate(corpus(file));

        assertThat(report.ok()).isFalse();
        assertThat(report.firstError().orElseThrow().line()).isEqualTo(line);
        assertThat(report.jobError("validation_file").orElseThrow().code()).isEqualTo("invalid_validation_file");
    }
}
