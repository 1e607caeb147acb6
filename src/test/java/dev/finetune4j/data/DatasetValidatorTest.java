package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.EncodingType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetValidatorTest {
    static final String OK = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi %d\"}, {\"role\": \"assistant\", \"content\": \"Hello %d\"}]}";

    static String file(String... faultyLines) {
        List<String> lines = new ArrayList<>();
        for (String l : faultyLines) {
            lines.add(l);
        }
        for (int i = 0; i < 10; i++) {
            lines.add(String.format(OK, i, i));
        }
        return String.join("\n", lines) + "\n";
    }

    static ValidationReport validate(Method method, String text) {
        return DatasetValidator.forMethod(method).validate(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> messages(ValidationReport r) {
        return r.problems().stream().map(Problem::message).toList();
    }

    @Test
    void aCleanFileIsOk() {
        ValidationReport r = validate(Method.SUPERVISED, file());
        assertThat(r.ok()).isTrue();
        assertThat(r.problems()).isEmpty();
        assertThat(r.examples()).isEqualTo(10);
        assertThat(r.format()).isEqualTo(Method.SUPERVISED);
        assertThat(r.toString()).startsWith("OK: 10 supervised examples");
    }

    @Test
    void assistantWithToolCallsNeedsNoContentAndToolsAreChecked() {
        String call = "{\"messages\": [{\"role\": \"user\", \"content\": \"Weather?\"}, {\"role\": \"assistant\", \"tool_calls\": "
                + "[{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}}]}, "
                + "{\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"sunny\"}, {\"role\": \"assistant\", \"content\": \"Sunny.\"}], "
                + "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"parameters\": {}}}], \"parallel_tool_calls\": false}";
        assertThat(validate(Method.SUPERVISED, file(call)).problems()).isEmpty();

        String bad = call.replace("\"parallel_tool_calls\": false", "\"parallel_tool_calls\": \"no\"");
        assertThat(messages(validate(Method.SUPERVISED, file(bad))))
                .containsExactly("Line 1: parallel_tool_calls must be true or false, got a string");
    }

    @Test
    void aKeyTwiceInOneObjectIsAnErrorWhereverItIsAndWhicheverScannerReadsIt() {
        String ok = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}]";
        List<String> lines = List.of(
                "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\", \"content\": \"Ho\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}]}",
                ok + ", \"messages\": []}",
                ok + ", \"ref\": 1, \"ref\": 2}",
                ok + ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"a\", \"name\": \"b\"}}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\", \"text\": \"b\"}]}, "
                        + "{\"role\": \"assistant\", \"content\": \"Hello\"}]}",
                ok + ", \"r\\u0065f\": 1, \"ref\": 2}",
                // the same name in two objects is no repeat
                ok + ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"a\", \"parameters\": {\"name\": {\"name\": 1}, \"b\": {\"name\": 2}}}}]}");
        for (boolean tokens : new boolean[] {false, true}) {
            ValidationReport r = DatasetValidator.forMethod(Method.SUPERVISED).countTokens(tokens)
                    .validate(new ByteArrayInputStream(file(lines.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8)));
            assertThat(messages(r)).as("tokens counted: %s", tokens).containsExactly(
                    "Line 1: messages[0] has the key 'content' twice",
                    "Line 2: the example has the key 'messages' twice",
                    "Line 3: the example has the key 'ref' twice",
                    "Line 4: tools[0].function has the key 'name' twice",
                    "Line 5: messages[0].content[0] has the key 'text' twice",
                    "Line 6: the example has the key 'ref' twice");
            assertThat(r.problems()).extracting(Problem::path).containsExactly("messages[0].content", "messages", "ref",
                    "tools[0].function.name", "messages[0].content[0].text", "ref");
            assertThat(r.problems()).allMatch(p -> p.category() == Category.DUPLICATE_KEY);
        }
    }

    @Test
    void aRepeatedKeyInAnArrayLineIsAWrongTopLevelTypeAndAContainerParallelToolCallsATypeError() {
        String ok = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}]";
        for (boolean tokens : new boolean[] {false, true}) {
            ValidationReport r = DatasetValidator.forMethod(Method.SUPERVISED).countTokens(tokens).validate(new ByteArrayInputStream(
                    file("[{\"a\": 1, \"a\": 2}]", ok + ", \"parallel_tool_calls\": []}").getBytes(StandardCharsets.UTF_8)));
            assertThat(messages(r)).as("tokens counted: %s", tokens).containsExactly("Line 1: the line is an array, not a JSON object",
                    "Line 2: parallel_tool_calls must be true or false, got an array");
        }
    }

    @Test
    void contentPartsAreChecked() {
        String parts = "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"What is this?\"}, "
                + "{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://example.com/a.png\"}}]}, {\"role\": \"assistant\", \"content\": \"A cat.\"}]}";
        assertThat(validate(Method.SUPERVISED, file(parts)).problems()).isEmpty();

        String audio = parts.replace("\"type\": \"image_url\", \"image_url\"", "\"type\": \"input_audio\", \"input_audio\"");
        assertThat(messages(validate(Method.SUPERVISED, file(audio)))).containsExactly(
                "Line 1: messages[0].content[1] has type 'input_audio'; training files accept only \"text\" and \"image_url\" parts");
        String empty = parts.replaceFirst("\\[\\{\"type\": \"text\".*?\\}\\]\\}", "[]}");
        assertThat(validate(Method.SUPERVISED, file(empty)).counts()).containsOnlyKeys(Category.MISSING_CONTENT);
    }

    @Test
    void aReinforcementFileReadAsSupervisedIsToldHowToValidateIt() {
        String prompt = "{\"messages\": [{\"role\": \"user\", \"content\": \"Capital of France?\"}], \"answer\": \"Paris\"}";
        ValidationReport r = validate(Method.SUPERVISED, file(prompt));
        assertThat(r.problems()).extracting(Problem::category)
                .contains(Category.UNKNOWN_KEY, Category.NO_ASSISTANT_MESSAGE);
        assertThat(r.problems()).allSatisfy(p -> assertThat(p.hint()).contains("--method reinforcement"));
        assertThat(validate(Method.REINFORCEMENT, file(prompt)).problems()).isEmpty();
    }

    @Test
    void weightRules() {
        String zeroEverywhere = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\", \"weight\": 0}]}";
        String onUser = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\", \"weight\": 1}, {\"role\": \"assistant\", \"content\": \"Hello\"}]}";
        String asString = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\", \"weight\": \"1\"}]}";
        String mixed = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\", \"weight\": 0}, "
                + "{\"role\": \"user\", \"content\": \"Again\"}, {\"role\": \"assistant\", \"content\": \"Hello again\", \"weight\": 1}]}";
        ValidationReport r = validate(Method.SUPERVISED, file(zeroEverywhere, onUser, asString, mixed));
        assertThat(messages(r)).containsExactly(
                "Line 1: every assistant message has weight 0, so the example trains nothing",
                "Line 2: messages[0].weight is set on a user message; only assistant messages take a weight",
                "Line 3: messages[1].weight must be 0 or 1, got the string \"1\"");
        assertThat(r.count(Category.BAD_WEIGHT)).isEqualTo(3);
    }

    @Test
    void preferenceFilesAreDetectedAndChecked() {
        String ok = "{\"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"Hi %d\"}], \"tools\": [], \"parallel_tool_calls\": true}, "
                + "\"preferred_output\": [{\"role\": \"assistant\", \"content\": \"Hello!\"}], "
                + "\"non_preferred_output\": [{\"role\": \"assistant\", \"content\": \"Go away.\"}]}";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.append(String.format(ok, i)).append('\n');
        }
        text.append("{\"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}, \"preferred_output\": [{\"role\": \"user\", \"content\": \"Hello!\"}]}\n");
        text.append("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"preferred_output\": {\"role\": \"assistant\", \"content\": \"x\"}, "
                + "\"non_preferred_output\": [{\"role\": \"assistant\"}]}\n");
        ValidationReport r = validate(Method.AUTO, text.toString());
        assertThat(r.format()).isEqualTo(Method.DPO);
        assertThat(messages(r)).containsExactly(
                "Line 11: preferred_output[0] has role 'user'; the output must be an assistant message",
                "Line 11: non_preferred_output is missing",
                "Line 12: unknown key 'messages' (a preference example accepts input, preferred_output, non_preferred_output)",
                "Line 12: input is missing",
                "Line 12: preferred_output must be an array holding one assistant message, got an object",
                "Line 12: non_preferred_output[0].content is missing (assistant message)");
        assertThat(r.problems().get(2).hint()).contains("\"input\": {\"messages\"");
    }

    @Test
    void reinforcementAllowsReferenceFieldsAndDeveloperButNotSystem() {
        String ok = "{\"messages\": [{\"role\": \"developer\", \"content\": \"Answer with a number.\"}, {\"role\": \"user\", \"content\": \"2+%d?\"}], "
                + "\"reference_answer\": {\"value\": %d}, \"difficulty\": \"easy\"}";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.append(String.format(ok, i, i + 2)).append('\n');
        }
        text.append("{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}], \"answer\": 1}\n");
        ValidationReport r = validate(Method.AUTO, text.toString());
        assertThat(r.format()).isEqualTo(Method.REINFORCEMENT);
        assertThat(messages(r)).containsExactly(
                "Line 11: messages[0].role 'system' is not allowed in reinforcement files (allowed: developer, user, assistant, tool)");
        assertThat(r.problems().get(0).hint()).isEqualTo("Use developer instead.");
    }

    @Test
    void forcedMethodOverridesDetection() {
        ValidationReport r = validate(Method.REINFORCEMENT, file());
        assertThat(r.format()).isEqualTo(Method.REINFORCEMENT);
        assertThat(r.ok()).isTrue();
        ValidationReport dpo = validate(Method.DPO, file());
        assertThat(dpo.count(Category.UNKNOWN_KEY)).isEqualTo(10);
        assertThat(dpo.firstError().orElseThrow().hint()).contains("input");
    }

    @Test
    void theFormatIsWhatMostOfTheFirstExamplesHaveNotTheFirstAlone() {
        // a supervised file whose first line has a stray key: still supervised, and the key is reported
        String typo = "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}], \"wieght\": 1}";
        ValidationReport sft = validate(Method.AUTO, file(typo));
        assertThat(sft.format()).isEqualTo(Method.SUPERVISED);
        assertThat(sft.firstError().orElseThrow().line()).isEqualTo(1);
        assertThat(sft.firstError().orElseThrow().category()).isEqualTo(Category.UNKNOWN_KEY);
        // a reinforcement file whose first prompt has no reference field: still reinforcement
        StringBuilder rft = new StringBuilder("{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}]}\n");
        for (int i = 0; i < 11; i++) {
            rft.append("{\"messages\": [{\"role\": \"user\", \"content\": \"q").append(i)
                    .append("\"}], \"reference_answer\": \"a\"}\n");
        }
        ValidationReport prompts = validate(Method.AUTO, rft.toString());
        assertThat(prompts.format()).isEqualTo(Method.REINFORCEMENT);
        assertThat(prompts.ok()).isTrue();
    }

    @Test
    void legacyCompletionFilesGetAHint() {
        ValidationReport r = validate(Method.SUPERVISED, file("{\"prompt\": \"Hi\", \"completion\": \"Hello\"}"));
        assertThat(r.count(Category.UNKNOWN_KEY)).isEqualTo(2);
        Problem missing = r.problems().stream().filter(p -> p.category() == Category.MISSING_MESSAGES).findFirst().orElseThrow();
        assertThat(missing.hint()).contains("legacy completions format");
        assertThat(r.problems()).filteredOn(p -> p.category() == Category.UNKNOWN_KEY)
                .allSatisfy(p -> assertThat(p.hint()).contains("writeJsonl"));
    }

    @Test
    void lineEndingsByteOrderMarkAndTrailingContent() {
        String text = "\uFEFF" + file().replace("\n", "\r\n");
        assertThat(validate(Method.AUTO, text).ok()).isTrue();

        ValidationReport r = validate(Method.AUTO, file("{\"messages\": []} {}", "null", "\"text\"", "{\"messages\": [\"hi\", 3]}"));
        assertThat(messages(r)).containsExactly(
                "Line 1: invalid JSON at column 18: unexpected content after the end of the JSON value",
                "Line 2: the line is null, not a JSON object",
                "Line 3: the line is a string, not a JSON object",
                "Line 4: messages[0] must be a message object, got a string",
                "Line 4: messages[1] must be a message object, got a number",
                "Line 4: messages has no assistant message");
    }

    @Test
    void invalidUtf8IsABadEncoding() {
        byte[] good = file().getBytes(StandardCharsets.UTF_8);
        byte[] bad = "{\"messages\": [{\"role\": \"user\", \"content\": \"caf\u00ff\"}]}\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[bad.length + good.length];
        System.arraycopy(bad, 0, all, 0, bad.length);
        System.arraycopy(good, 0, all, bad.length, good.length);
        ValidationReport r = DatasetValidator.forMethod(Method.AUTO).validate(new ByteArrayInputStream(all));
        assertThat(r.firstError().orElseThrow().category()).isEqualTo(Category.BAD_ENCODING);
        assertThat(r.firstError().orElseThrow().line()).isEqualTo(1);
    }

    @Test
    void emptyContentIsFoundWithAndWithoutTokenCounting() {
        String empty = "{\"messages\": [{\"role\": \"user\", \"content\": \"\"}, {\"role\": \"assistant\", \"content\": \"\\\"\"}]}";
        for (boolean count : new boolean[] {true, false}) {
            ValidationReport r = DatasetValidator.forMethod(Method.AUTO).countTokens(count)
                    .validate(new ByteArrayInputStream(file(empty).getBytes(StandardCharsets.UTF_8)));
            assertThat(messages(r)).containsExactly("Line 1: messages[0].content is empty (user message)");
        }
    }

    @Test
    void blankAnswersAreFoundWithAndWithoutTokenCounting() {
        String spaces = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"   \"}]}";
        String escaped = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \" \\n\\t\\u0020\"}]}";
        // not blank: a real answer after blanks, an escaped letter, an untrained blank answer, a blank user message
        String fine = "{\"messages\": [{\"role\": \"user\", \"content\": \" \"}, {\"role\": \"assistant\", \"content\": \"\\n\", \"weight\": 0}, "
                + "{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \" \\n\\u0041\"}]}";
        for (boolean count : new boolean[] {true, false}) {
            ValidationReport r = DatasetValidator.forMethod(Method.AUTO).countTokens(count)
                    .validate(new ByteArrayInputStream(file(spaces, escaped, fine).getBytes(StandardCharsets.UTF_8)));
            assertThat(messages(r)).as("count tokens: " + count).containsExactly(
                    "Line 1: messages[1].content has only spaces or line breaks (assistant message)",
                    "Line 2: messages[1].content has only spaces or line breaks (assistant message)");
            assertThat(r.problems().get(0).category()).isEqualTo(Category.MISSING_CONTENT);
        }
    }

    @Test
    void aPreferencePairWithTheSameAnswerTwiceIsAnError() {
        String pair = "{\"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"Hi %d\"}]}, "
                + "\"preferred_output\": [{\"role\": \"assistant\", \"content\": \"%s\"}], "
                + "\"non_preferred_output\": [{\"role\": \"assistant\", \"content\": \"%s\"}]}";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.append(String.format(pair, i, "Hello!", "Go away.")).append('\n');
        }
        text.append(String.format(pair, 10, "Same \\u00e9", "Same \\u00e9")).append('\n');
        text.append(String.format(pair, 11, "Same", "Same ")).append('\n');
        text.append(String.format(pair, 12, " ", "x")).append('\n');
        for (boolean count : new boolean[] {true, false}) {
            ValidationReport r = DatasetValidator.forMethod(Method.AUTO).countTokens(count)
                    .validate(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(messages(r)).as("count tokens: " + count).containsExactly(
                    "Line 11: preferred_output and non_preferred_output are the same answer, so the pair teaches nothing",
                    "Line 13: preferred_output[0].content has only spaces or line breaks (assistant message)");
            assertThat(r.problems().get(0).category()).isEqualTo(Category.BAD_DPO_OUTPUT);
            assertThat(r.problems().get(0).path()).isEqualTo("non_preferred_output[0].content");
        }
    }

    @Test
    void tokensFollowTheCookbookFormula() {
        TokenCounter enc = TokenCounter.of(EncodingType.CL100K_BASE);
        String line = "{\"messages\": [{\"role\": \"system\", \"content\": \"You are terse.\"}, {\"role\": \"user\", \"content\": \"Capital of France?\", \"name\": \"ann\"}, "
                + "{\"role\": \"assistant\", \"content\": \"Paris.\"}]}";
        ValidationReport r = DatasetValidator.forMethod(Method.SUPERVISED).encoding(EncodingType.CL100K_BASE).minExamples(1)
                .validate(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)));
        int expected = 3 * 3 + 3 + 1
                + enc.count("system") + enc.count("You are terse.")
                + enc.count("user") + enc.count("Capital of France?") + enc.count("ann")
                + enc.count("assistant") + enc.count("Paris.");
        DatasetStats stats = r.stats();
        assertThat(stats.distribution(DatasetStats.Metric.TOKENS).max()).isEqualTo(expected);
        assertThat(stats.distribution(DatasetStats.Metric.ASSISTANT_TOKENS).max()).isEqualTo(enc.count("Paris."));
        assertThat(stats.roleTotals().get("assistant")[1]).isEqualTo(3 + enc.count("assistant") + enc.count("Paris."));
        assertThat(stats.tokenizer()).isEqualTo("cl100k_base");
    }

    @Test
    void modelPicksEncodingAndLimit() {
        assertThat(ModelLimits.encodingFor("gpt-4o-mini-2024-07-18")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(ModelLimits.encodingFor("ft:gpt-4.1-nano-2025-04-14:acme::abc")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(ModelLimits.encodingFor("o4-mini-2025-04-16")).isEqualTo(EncodingType.O200K_BASE);
        assertThat(ModelLimits.encodingFor("gpt-3.5-turbo-0125")).isEqualTo(EncodingType.CL100K_BASE);
        assertThat(ModelLimits.encodingFor("gpt-4-0613")).isEqualTo(EncodingType.CL100K_BASE);
        assertThat(ModelLimits.tokenLimitFor("gpt-3.5-turbo")).isEqualTo(16_385);
        assertThat(ModelLimits.tokenLimitFor("gpt-4o-2024-08-06")).isEqualTo(65_536);
        // Azure OpenAI's names for the same models, and models fine-tuned from them
        for (String azure : List.of("gpt-35-turbo", "gpt-35-turbo-1106", "gpt-35-turbo-16k", "ft:gpt-35-turbo-1106:acme::x1")) {
            assertThat(ModelLimits.encodingFor(azure)).as(azure).isEqualTo(EncodingType.CL100K_BASE);
            assertThat(ModelLimits.tokenLimitFor(azure)).as(azure).isEqualTo(16_385);
        }
        assertThat(ModelLimits.tokenLimitFor("gpt-35-turbo-0613")).isEqualTo(4_096);
        assertThat(ModelLimits.tokenLimitFor("ft:gpt-35-turbo-0613:acme::x1")).isEqualTo(4_096);
        assertThat(ModelLimits.encodingFor("gpt-4-32k")).isEqualTo(EncodingType.CL100K_BASE);
        assertThat(ModelLimits.tokenLimitFor("gpt-4-32k")).isEqualTo(8_192);
        assertThat(ModelLimits.baseModel("ft:nano:finetune4j::abc123")).isEqualTo("nano");
        assertThat(ModelLimits.baseModel("ft:gpt-4o-mini-2024-07-18:org:custom:id")).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(ModelLimits.baseModel("gpt-4.1")).isEqualTo("gpt-4.1");
        assertThat(DatasetValidator.forMethod(Method.AUTO).model("gpt-3.5-turbo").validate(
                new ByteArrayInputStream(file().getBytes(StandardCharsets.UTF_8))).stats().tokenLimit()).isEqualTo(16_385);
    }

    @Test
    void customTokenizerAndLimitForAByteLevelModel() {
        ValidationReport r = DatasetValidator.forMethod(Method.AUTO).tokenCounter(TokenCounter.utf8Bytes())
                .messageOverhead(new MessageOverhead(2, 0, 1)).tokenLimit(30)
                .severity(Category.TOO_MANY_TOKENS, Severity.ERROR)
                .validate(new ByteArrayInputStream(file("{\"messages\": [{\"role\": \"user\", \"content\": \"0123456789\"}, {\"role\": \"assistant\", \"content\": \"ok\"}]}")
                        .getBytes(StandardCharsets.UTF_8)));
        // 1 + (2 + 4 + 10) + (2 + 9 + 2) = 30 fits; the next lines are "Hi 0"/"Hello 0": 1 + 2+4+4 + 2+9+7 = 29
        assertThat(r.ok()).isTrue();
        ValidationReport tight = DatasetValidator.forMethod(Method.AUTO).tokenCounter(TokenCounter.utf8Bytes())
                .messageOverhead(new MessageOverhead(2, 0, 1)).tokenLimit(29).severity(Category.TOO_MANY_TOKENS, Severity.ERROR)
                .validate(new ByteArrayInputStream(file("{\"messages\": [{\"role\": \"user\", \"content\": \"0123456789\"}, {\"role\": \"assistant\", \"content\": \"ok\"}]}")
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(tight.jobError("training_file").orElseThrow().message())
                .isEqualTo("Line 1: the example has 30 tokens, more than the 29-token limit (utf8_bytes)");
    }

    @Test
    void problemsAreCappedButCountedAndRendered() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("{\"messages\": [{\"role\": \"<bot>\", \"content\": \"x\"}]}\n");
        }
        ValidationReport r = DatasetValidator.forMethod(Method.SUPERVISED).maxProblems(5)
                .validate(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(r.problems()).hasSize(5);
        assertThat(r.count(Category.UNKNOWN_ROLE)).isEqualTo(50);
        assertThat(r.count(Category.NO_ASSISTANT_MESSAGE)).isEqualTo(50);
        assertThat(r.count(Category.DUPLICATE_EXAMPLE)).isEqualTo(49);
        assertThat(r.errorCount()).isEqualTo(100);
        assertThat(r.summary()).isEqualTo("INVALID: 100 errors, 49 warnings in 50 supervised examples");
        assertThat(r.problemsTable().rowCount()).isEqualTo(5);
        assertThat(r.problemsTable().columnNames()).containsExactly("line", "path", "category", "severity", "message", "hint");
        assertThat(r.countsTable().rowCount()).isEqualTo(3);
        assertThat(r.toHtml()).contains("&lt;bot&gt;").doesNotContain("<bot>").contains("<pre>messages/example: n=50");
        ValidationReport tooFew = validate(Method.AUTO, "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}\n");
        assertThat(tooFew.toHtml()).as("a problem of the whole file has no line").contains("<tr><td></td>");
        assertThat(tooFew.problemsTable().longColumn("line").isMissing(0)).isTrue();
        assertThat(r.toString()).contains("unknown_role=50").contains("more (see problems()");
    }

    @Test
    void statsTablesAndHistogram() {
        ValidationReport r = validate(Method.AUTO, file());
        assertThat(r.stats().table().rowCount()).isEqualTo(3);
        assertThat(r.stats().table().stringColumn("metric").get(1)).isEqualTo("tokens per example");
        var roles = r.stats().rolesTable();
        // the reply's priming belongs to no message: its own row makes the roles add up to the examples' tokens
        assertThat(roles.stringColumn("role").asList()).containsExactly("user", "assistant", "(other)");
        assertThat((long) roles.longColumn("tokens").sum()).isEqualTo(r.stats().table().longColumn("total").get(1));
        assertThat(roles.longColumn("tokens").get(2)).isEqualTo(3L * r.examples());
        var bins = r.stats().bins(DatasetStats.Metric.TOKENS, 5);
        assertThat(bins.columnNames()).containsExactly("bin", "from", "to", "examples");
        assertThat(bins.longColumn("examples").sum()).isEqualTo(10);
        assertThat(bins.longColumn("from").get(0)).isEqualTo(r.stats().table().longColumn("min").get(1));
        assertThat(r.estimate().epochs()).isEqualTo(10);
    }

    /** Lines with one problem each (unknown role, cut JSON, blank, wrong type, duplicate of an example) to mix in. */
    private static final String[] FAULTY = {
            "{\"messages\": [{\"role\": \"bot\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": \"y\"}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}",
            "",
            "[1, 2]",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi 3\"}, {\"role\": \"assistant\", \"content\": \"Hello 3\"}]}"};

    @Test
    void parallelChunksGiveTheSameReportAsOneThread() {
        StringBuilder text = new StringBuilder("\uFEFF");
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 3000; i++) {
            text.append(rnd.nextInt(20) == 0 ? FAULTY[rnd.nextInt(FAULTY.length)] : String.format(OK, i, i)).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        ValidationReport one = DatasetValidator.forMethod(Method.AUTO).threads(1).maxProblems(1000)
                .validate(new ByteArrayInputStream(bytes));
        for (int threads : new int[] {1, 3}) {
            ValidationReport many = DatasetValidator.forMethod(Method.AUTO).threads(threads).chunkBytes(1000).maxProblems(1000)
                    .validate(new ByteArrayInputStream(bytes));
            assertThat(many.problems()).isEqualTo(one.problems());
            assertThat(many.counts()).isEqualTo(one.counts());
            assertThat(many.firstError()).isEqualTo(one.firstError());
            assertThat(many.examples()).isEqualTo(one.examples());
            assertThat(many.lines()).isEqualTo(3000);
            assertThat(many.bytes()).isEqualTo(bytes.length - 3);
            assertThat(many.stats().table().toString()).isEqualTo(one.stats().table().toString());
        }
        assertThat(one.count(Category.DUPLICATE_EXAMPLE)).isGreaterThan(0);
        assertThat(one.problems()).isSortedAccordingTo(java.util.Comparator.comparingLong(Problem::line));
        ValidationReport capped = DatasetValidator.forMethod(Method.AUTO).threads(3).chunkBytes(1000).maxProblems(7)
                .validate(new ByteArrayInputStream(bytes));
        assertThat(capped.problems()).isEqualTo(one.problems().subList(0, 7));
        assertThat(capped.counts()).isEqualTo(one.counts());
    }

    @Test
    void aFileGivesTheSameReportAsAStream(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        StringBuilder text = new StringBuilder("\uFEFF");
        java.util.Random rnd = new java.util.Random(11);
        for (int i = 0; i < 3000; i++) {
            text.append(rnd.nextInt(20) == 0 ? FAULTY[rnd.nextInt(FAULTY.length)] : String.format(OK, i, i)).append(i % 7 == 0 ? "\r\n" : "\n");
        }
        text.append("{\"messages\": [{\"role\": \"user\", \"content\": \"" + "long ".repeat(500) + "\"}]}"); // no final newline
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        java.nio.file.Path file = dir.resolve("train.jsonl");
        java.nio.file.Files.write(file, bytes);
        ValidationReport stream = DatasetValidator.forMethod(Method.AUTO).threads(1).maxProblems(1000)
                .validate(new ByteArrayInputStream(bytes));
        for (int threads : new int[] {1, 3}) {
            for (int chunk : new int[] {16, 1000, 1 << 20}) {
                ValidationReport fromFile = DatasetValidator.forMethod(Method.AUTO).threads(threads).chunkBytes(chunk).maxProblems(1000)
                        .validate(file);
                assertThat(fromFile.problems()).isEqualTo(stream.problems());
                assertThat(fromFile.counts()).isEqualTo(stream.counts());
                assertThat(fromFile.firstError()).isEqualTo(stream.firstError());
                assertThat(fromFile.examples()).isEqualTo(stream.examples());
                assertThat(fromFile.lines()).isEqualTo(3001);
                assertThat(fromFile.bytes()).isEqualTo(bytes.length - 3);
                assertThat(fromFile.stats().table().toString()).isEqualTo(stream.stats().table().toString());
            }
        }
        assertThat(stream.count(Category.MISSING_CONTENT) + stream.count(Category.UNKNOWN_ROLE)).isGreaterThan(0);
        java.nio.file.Path empty = dir.resolve("empty.jsonl");
        java.nio.file.Files.write(empty, new byte[0]);
        assertThat(DatasetValidator.forMethod(Method.AUTO).validate(empty).count(Category.EMPTY_FILE)).isEqualTo(1);
    }

    @Test
    void fileChunksOfAnySizeCutAtLineEnds(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.util.Random rnd = new java.util.Random(5);
        String[] lines = {"", " ", "\r", "[1]", "{\"messages\": []}", String.format(OK, 1, 1), String.format(OK, 2, 2), "{", "\uFEFF"};
        for (int round = 0; round < 60; round++) {
            StringBuilder text = new StringBuilder(round % 5 == 0 ? "\uFEFF" : "");
            int n = rnd.nextInt(12);
            for (int i = 0; i < n; i++) {
                text.append(lines[rnd.nextInt(lines.length)]).append(rnd.nextInt(6) == 0 ? "" : "\n");
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            java.nio.file.Path file = dir.resolve("f" + round + ".jsonl");
            java.nio.file.Files.write(file, bytes);
            ValidationReport stream = DatasetValidator.forMethod(Method.AUTO).threads(1).validate(new ByteArrayInputStream(bytes));
            for (int chunk : new int[] {16, 17, 40, 64, 1 << 20}) {
                ValidationReport fromFile = DatasetValidator.forMethod(Method.AUTO).threads(2).chunkBytes(chunk).validate(file);
                assertThat(fromFile.problems()).as("round %d, chunk %d", round, chunk).isEqualTo(stream.problems());
                assertThat(fromFile.lines()).isEqualTo(stream.lines());
                assertThat(fromFile.bytes()).isEqualTo(stream.bytes());
                assertThat(fromFile.examples()).isEqualTo(stream.examples());
            }
        }
    }

    @Test
    void chunksShorterThanALineGrow() {
        byte[] bytes = file("{\"messages\": [{\"role\": \"bot\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": \"y\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        ValidationReport tiny = DatasetValidator.forMethod(Method.AUTO).threads(2).chunkBytes(16).validate(new ByteArrayInputStream(bytes));
        assertThat(messages(tiny)).containsExactly("Line 1: messages[0].role 'bot' is not one of system, user, assistant, tool");
        assertThat(tiny.examples()).isEqualTo(11);
        assertThat(tiny.bytes()).isEqualTo(bytes.length);
    }

    @Test
    void aMissingFileSaysSoAndWhereItLooked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path missing = dir.resolve("nope.jsonl");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetValidator.forMethod(Method.AUTO).validate(missing))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessage("cannot read " + missing + ": no such file (looked in " + missing.toAbsolutePath() + ")");
    }

    @Test
    void runningOutOfMemoryOnAWorkerStaysAnOutOfMemoryError() {
        TokenCounter exhausted = TokenCounter.of("exhausted", text -> {
            if (Thread.currentThread().getName().equals("dataset-validator")) {
                throw new OutOfMemoryError("test");
            }
            return 1;
        });
        DatasetValidator v = DatasetValidator.forMethod(Method.SUPERVISED).tokenCounter(exhausted).threads(2).chunkBytes(100);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> validate(v, file()))
                .isInstanceOf(OutOfMemoryError.class);
    }

    private static ValidationReport validate(DatasetValidator v, String text) {
        return v.validate(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static ValidationReport validateBytes(byte[] bytes) {
        return DatasetValidator.forMethod(Method.AUTO).countTokens(false).validate(new ByteArrayInputStream(bytes));
    }

    @Test
    void anInputThatIsNotUtf8JsonlIsOneProblemOfTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(file().getBytes(StandardCharsets.UTF_8));
        }
        java.nio.file.Path gzFile = java.nio.file.Files.write(dir.resolve("train.jsonl.gz"), gz.toByteArray());
        byte[] utf16 = file().getBytes(StandardCharsets.UTF_16LE);
        byte[] utf16Bom = file().getBytes(StandardCharsets.UTF_16); // big-endian with a byte-order mark
        byte[] crOnly = file().replace('\n', '\r').getBytes(StandardCharsets.UTF_8);
        for (ValidationReport r : List.of(DatasetValidator.forMethod(Method.AUTO).validate(gzFile), validateBytes(gz.toByteArray()),
                validateBytes(utf16), validateBytes(utf16Bom), validateBytes(crOnly))) {
            assertThat(r.ok()).isFalse();
            assertThat(r.errorCount()).isEqualTo(1);
            assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.category()).isEqualTo(Category.BAD_ENCODING));
        }
        assertThat(messages(validateBytes(gz.toByteArray()))).containsExactly("The file is gzip-compressed, not JSONL text");
        assertThat(messages(validateBytes(utf16))).containsExactly("The file is UTF-16, not UTF-8");
        assertThat(messages(validateBytes(utf16Bom))).containsExactly("The file is UTF-16, not UTF-8");
        assertThat(messages(validateBytes(crOnly))).singleElement().asString().startsWith("Lines end with CR alone");
        // CRLF is fine
        assertThat(validateBytes(file().replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)).ok()).isTrue();
    }

    @Test
    void aLatin1LineSaysSoAndColumnsCountCharacters() {
        String cafe = "{\"messages\": [{\"role\": \"user\", \"content\": \"Caf\u00e9?\"}, {\"role\": \"assistant\", \"content\": \"Oui.\"}]}";
        byte[] latin1 = file(cafe).getBytes(StandardCharsets.ISO_8859_1);
        ValidationReport r = validateBytes(latin1);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.category()).isEqualTo(Category.BAD_ENCODING);
            assertThat(p.message()).isEqualTo("Line 1: not valid UTF-8 at column 47 (the file may be Latin-1/Windows-1252)");
            assertThat(p.hint()).isEqualTo("Save the file as UTF-8.");
        });

        // the brace after 東京 and a comma is at byte 52 but character 48
        String broken = "{\"messages\": [{\"role\": \"user\", \"content\": \"東京\",}]}";
        assertThat(messages(validate(Method.AUTO, file(broken)))).singleElement().asString()
                .startsWith("Line 1: invalid JSON at column 48: ");
    }

    @Test
    void aLineLongerThanTheLimitIsOneProblemAndTheNextLinesAreChecked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String huge = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "x".repeat(30_000) + "\"}]}";
        // over the limit by less than the buffer's last doubling
        String over = huge.replace("x".repeat(30_000), "y".repeat(4_500));
        String text = file(String.format(OK, 100, 100), huge, over)
                + "{\"messages\": [{\"role\": \"bot\", \"content\": \"a\"}]}\n";
        java.nio.file.Path path = java.nio.file.Files.writeString(dir.resolve("long.jsonl"), text);
        for (int threads : new int[] {1, 2}) {
            for (int chunk : new int[] {100, 1000, 2048}) {
                DatasetValidator v = DatasetValidator.forMethod(Method.SUPERVISED).countTokens(false).threads(threads)
                        .chunkBytes(chunk).maxLineBytes(4096);
                for (ValidationReport r : List.of(v.validate(path), validate(v, text))) {
                    assertThat(r.lines()).as("threads %d, chunk %d", threads, chunk).isEqualTo(14);
                    assertThat(r.examples()).as("threads %d, chunk %d, %s", threads, chunk, messages(r)).isEqualTo(12);
                    assertThat(messages(r)).containsExactly(
                            "Line 2: the line is 0.0 MB long; lines are limited to 0.0 MB (64 MB, or an eighth of the heap when that is less)",
                            "Line 3: the line is 0.0 MB long; lines are limited to 0.0 MB (64 MB, or an eighth of the heap when that is less)",
                            "Line 14: messages[0].role 'bot' is not one of system, user, assistant, tool",
                            "Line 14: messages has no assistant message");
                    assertThat(r.problems().get(0).category()).isEqualTo(Category.LINE_TOO_LONG);
                    assertThat(r.problems().get(1).category()).isEqualTo(Category.LINE_TOO_LONG);
                }
            }
        }
    }

    private static final String CALL = "{\"messages\": [{\"role\": \"user\", \"content\": \"Weather?\"}, {\"role\": \"assistant\", \"tool_calls\": "
            + "[{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}}]}, "
            + "{\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"sunny\"}, {\"role\": \"assistant\", \"content\": \"Sunny.\"}], "
            + "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"parameters\": {}}}]}";

    @Test
    void toolCallsAndToolsAreCheckedWithAndWithoutTokenCounting() {
        List<String> lines = List.of(
                CALL.replace("\"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"", "\"arguments\": {\"city\": \"Paris\"}"),
                CALL.replace("\\\"Paris\\\"}", "Paris}"),
                CALL.replace("{\"name\": \"get_weather\", \"arguments\"", "{\"arguments\""),
                CALL.replace("\"tool_call_id\": \"call_1\"", "\"tool_call_id\": \"call_2\""),
                CALL.replace("{\"name\": \"get_weather\", \"parameters\"", "{\"parameters\""),
                CALL.replace("{\"role\": \"user\", \"content\": \"Weather?\"}", "{\"role\": \"user\", \"name\": 7, \"content\": \"Weather?\"}"));
        for (boolean tokens : new boolean[] {false, true}) {
            ValidationReport r = DatasetValidator.forMethod(Method.SUPERVISED).countTokens(tokens)
                    .validate(new ByteArrayInputStream(file(lines.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8)));
            assertThat(messages(r)).as("tokens %s", tokens).containsExactly(
                    "Line 1: messages[1].tool_calls[0].function.arguments must be a string holding JSON, got an object",
                    "Line 2: messages[1].tool_calls[0].function.arguments is not valid JSON",
                    "Line 3: messages[1].tool_calls[0].function has no name",
                    "Line 4: messages[2].tool_call_id 'call_2' matches no earlier tool call",
                    "Line 5: tools[0].function has no name",
                    "Line 6: messages[0].name must be a string, got a number");
            assertThat(r.count(Category.BAD_TOOL_CALL)).isEqualTo(5);
        }
        assertThat(validate(Method.SUPERVISED, file(CALL)).ok()).isTrue();
    }

    @Test
    void aPreferenceInputEndsWithTheUserMessage() {
        String pair = "{\"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}, "
                + "\"preferred_output\": [{\"role\": \"assistant\", \"content\": \"Hello!\"}], "
                + "\"non_preferred_output\": [{\"role\": \"assistant\", \"content\": \"Go away.\"}]}";
        String endsWithAnswer = pair.replace("\"content\": \"Hi\"}]", "\"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}]");
        String noUser = pair.replace("\"role\": \"user\", \"content\": \"Hi\"", "\"role\": \"system\", \"content\": \"Be kind.\"");
        StringBuilder text = new StringBuilder(endsWithAnswer + "\n" + noUser + "\n");
        for (int i = 0; i < 10; i++) {
            text.append(pair.replace("Hi", "Hi " + i)).append('\n');
        }
        ValidationReport r = validate(Method.DPO, text.toString());
        assertThat(messages(r)).containsExactly(
                "Line 1: input.messages ends with an assistant message; the preferred and non-preferred outputs are the answer to it",
                "Line 2: input.messages has no user message");
        assertThat(r.count(Category.BAD_DPO_INPUT)).isEqualTo(2);
    }

    @Test
    void aReinforcementLineWithoutMessagesIsNotToldToConvertToChat() {
        String noMessages = "{\"prompt\": \"2+2?\", \"reference_answer\": \"4\"}";
        ValidationReport r = validate(Method.REINFORCEMENT, file(noMessages).replace("}]}", "}], \"reference_answer\": \"x\"}"));
        assertThat(r.problems()).first().satisfies(p -> {
            assertThat(p.message()).isEqualTo("Line 1: messages is missing");
            assertThat(p.hint()).doesNotContain("ChatConverter").contains("grader");
        });
    }

    @Test
    void examplesWithImagesAreNotedAsNotCounted() {
        String image = "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"What is this %d?\"}, "
                + "{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://example.com/a.png\"}}]}, {\"role\": \"assistant\", \"content\": \"A cat.\"}]}";
        String text = file(String.format(image, 1), String.format(image, 2));
        for (boolean tokens : new boolean[] {false, true}) {
            ValidationReport r = DatasetValidator.forMethod(Method.SUPERVISED).countTokens(tokens)
                    .validate(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            assertThat(r.stats().examplesWithImages()).as("tokens %s", tokens).isEqualTo(2);
        }
        ValidationReport counted = validate(Method.SUPERVISED, text);
        assertThat(counted.toString()).contains("image tokens are not counted: 2 examples have images");
        assertThat(validate(Method.SUPERVISED, file()).toString()).doesNotContain("image");
    }

    /** The problems of lines validated by both scanners (the fast one, and Jackson's when tokens are counted). */
    private static List<Problem> problemsBothWays(String... lines) {
        List<Problem> fast = DatasetValidator.forMethod(Method.SUPERVISED).countTokens(false)
                .validate(new ByteArrayInputStream(file(lines).getBytes(StandardCharsets.UTF_8))).problems();
        List<Problem> jackson = DatasetValidator.forMethod(Method.SUPERVISED).countTokens(true)
                .validate(new ByteArrayInputStream(file(lines).getBytes(StandardCharsets.UTF_8))).problems();
        assertThat(jackson).isEqualTo(fast);
        return fast;
    }

    @Test
    void anEmptyToolCallsArrayIsNoToolCall() {
        String empty = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": null, \"tool_calls\": [ ]}]}";
        List<Problem> problems = problemsBothWays(empty);
        assertThat(problems).extracting(Problem::message).containsExactly("Line 1: messages[1].content is null (assistant message)");
        Problem p = problems.get(0);
        assertThat(p.category()).isEqualTo(Category.MISSING_CONTENT);
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.path()).isEqualTo("messages[1].content");
        assertThat(p.hint()).contains("empty tool_calls");
    }

    @Test
    void aToolMessageNeedsAToolCallId() {
        String missing = CALL.replace("\"tool_call_id\": \"call_1\", ", "");
        String notString = CALL.replace("\"tool_call_id\": \"call_1\"", "\"tool_call_id\": 1");
        List<Problem> problems = problemsBothWays(missing, notString);
        assertThat(problems).extracting(Problem::message).containsExactly(
                "Line 1: messages[2] has no tool_call_id (tool message)",
                "Line 2: messages[2].tool_call_id must be a string");
        assertThat(problems).extracting(Problem::category).containsExactly(Category.BAD_TOOL_CALL, Category.INVALID_TYPE);
        assertThat(problems).extracting(Problem::path).containsOnly("messages[2].tool_call_id");
        assertThat(problems.get(0).hint()).contains("tool_call_id");
    }

    @Test
    void anImagePartNeedsAUrlAndAUserMessage() {
        String image = "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"What is this?\"}, "
                + "{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://example.com/a.png\"}}]}, {\"role\": \"assistant\", \"content\": \"A cat.\"}]}";
        String noUrl = image.replace("\"url\": \"https://example.com/a.png\"", "\"detail\": \"low\"");
        String emptyUrl = image.replace("https://example.com/a.png", "");
        String inAnswer = image.replace("{\"role\": \"assistant\", \"content\": \"A cat.\"}",
                "{\"role\": \"assistant\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://example.com/b.png\"}}]}");
        String inSystem = "{\"messages\": [{\"role\": \"system\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://example.com/b.png\"}}]}, "
                + image.substring("{\"messages\": [".length());
        List<Problem> problems = problemsBothWays(image, noUrl, emptyUrl, inAnswer, inSystem);
        assertThat(problems).extracting(Problem::message).containsExactly(
                "Line 2: messages[0].content[1] is an image part whose image_url has no \"url\" (the image's address or data: URL)",
                "Line 3: messages[0].content[1] is an image part whose image_url has no \"url\" (the image's address or data: URL)",
                "Line 4: messages[1].content[0] is an image part in an assistant message; only user messages may hold images",
                "Line 5: messages[0].content[0] is an image part in a system message; only user messages may hold images");
        assertThat(problems).extracting(Problem::category).containsOnly(Category.INVALID_TYPE);
        assertThat(problems).extracting(Problem::path).containsExactly("messages[0].content[1]", "messages[0].content[1]",
                "messages[1].content[0]", "messages[0].content[0]");
        assertThat(problems.get(3).hint()).contains("user message");
    }

    @Test
    void anEmptyTextPartIsAsEmptyAsAnEmptyContent() {
        String parts = "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi\"}, {\"type\": \"text\", \"text\": \"\"}]}, "
                + "{\"role\": \"assistant\", \"content\": \"Hello\"}]}";
        String answer = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"\"}]}]}";
        List<Problem> problems = problemsBothWays(parts, answer);
        assertThat(problems).extracting(Problem::message).containsExactly(
                "Line 1: messages[0].content[1].text is empty (user message)",
                "Line 2: messages[1].content[0].text is empty (assistant message)");
        assertThat(problems).extracting(Problem::category).containsOnly(Category.MISSING_CONTENT);
        assertThat(problems).extracting(Problem::path).containsExactly("messages[0].content[1].text", "messages[1].content[0].text");
    }

    @Test
    void jsonErrorsAreSaidInTheFilesTermsNotTheParsers() {
        String nan = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\", \"weight\": NaN}]}";
        String infinity = nan.replace("NaN", "-Infinity");
        String comment = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}]} // greeting";
        String python = nan.replace("NaN", "None");
        String quotes = "{'messages': []}";
        for (boolean tokens : new boolean[] {false, true}) {
            ValidationReport r = DatasetValidator.forMethod(Method.SUPERVISED).countTokens(tokens)
                    .validate(new ByteArrayInputStream(file(nan, infinity, comment, python, quotes).getBytes(StandardCharsets.UTF_8)));
            assertThat(messages(r)).as("tokens %s", tokens).containsExactly(
                    "Line 1: invalid JSON at column 102: NaN is not JSON (Python's json.dumps writes it unless allow_nan=False): write null or a number",
                    "Line 2: invalid JSON at column 102: -Infinity is not JSON (Python's json.dumps writes it unless allow_nan=False): write null or a number",
                    "Line 3: invalid JSON at column 94: comments are not JSON: remove the comment",
                    "Line 4: invalid JSON at column 102: None is Python, not JSON (str() or repr() of a dict, not json.dumps): write null",
                    "Line 5: invalid JSON at column 2: single quotes are not JSON (Python's str() of a dict writes them): quote with \"");
            assertThat(r.problems()).extracting(Problem::category).containsOnly(Category.INVALID_JSON);
        }
        assertThat(ChunkValidator.inUsersTerms("Unexpected character ('x' (code 120)): enable `JsonReadFeature.ALLOW_X` to allow"))
                .isEqualTo("Unexpected character ('x' (code 120))");
    }

    @Test
    void aPrettyPrintedJsonFileOrArrayIsSaidToBeOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        String object = "{\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"Hi\"},\n"
                + "    {\"role\": \"assistant\", \"content\": \"Hello\"}\n  ]\n}\n";
        String array = "\n[\n" + object.replace("\n}\n", "\n},\n") + object + "]\n";
        for (String text : List.of(object, array)) {
            java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("data.json"), text);
            for (ValidationReport r : List.of(validate(Method.AUTO, text), DatasetValidator.forMethod(Method.AUTO).validate(file))) {
                Problem first = r.problems().stream().filter(p -> p.category() == Category.INVALID_JSON).findFirst().orElseThrow();
                assertThat(first.message()).startsWith("Line " + (text == array ? 2 : 1) + ": invalid JSON at column 2: ")
                        .endsWith(" (the file looks like pretty-printed JSON or a JSON array, not JSONL)");
                assertThat(first.category()).isEqualTo(Category.INVALID_JSON);
                assertThat(first.path()).isEmpty();
                assertThat(first.hint()).contains("jq -c '.[]'");
                assertThat(r.firstError()).contains(first);
                assertThat(r.problems()).extracting(Problem::message).filteredOn(m -> m.contains("pretty-printed")).hasSize(1);
            }
        }
        // a first line that is an object cut short, followed by a comment, or whose JSON is wrong, is no sign of a
        // pretty-printed file
        for (String line : List.of("{\"messages\": [1,]}", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}",
                "{\"messages\": []} // greeting", "{\"messages\": []},")) {
            ValidationReport oneLine = validate(Method.AUTO, file(line));
            assertThat(oneLine.problems().get(0).message()).as(line).doesNotContain("pretty-printed");
            assertThat(oneLine.problems().get(0).hint()).isEqualTo(Category.INVALID_JSON.defaultHint());
        }
    }
}
