package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.finetune4j.api.Json;
import dev.finetune4j.client.OpenAI;
import dev.finetune4j.data.DatasetException;
import dev.finetune4j.data.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an evaluation asks of each kind of example, and how it scores the answers a python grader fails on; the rest
 * of the asking runs against the real server in FineTuneEndToEndTest.
 */
class EvaluationTest {
    private static Evaluation.Question question(String json, boolean graded) {
        return Evaluation.Question.of(new Example(7, Json.tree(json)), graded);
    }

    @Test
    void aChatAsksItsMessagesUpToTheLastAnswerWithoutTrainingFields() {
        Evaluation.Question q = question("""
                {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                 {"role": "assistant", "content": "Hello", "weight": 0}, {"role": "user", "content": [{"type": "text", "text": "Capital "},
                 {"type": "text", "text": "of Peru?"}]}, {"role": "assistant", "content": "Lima.", "weight": 1}]}""", false);
        assertThat(q.expected()).isEqualTo("Lima.");
        assertThat(q.messages()).hasSize(4);
        assertThat(q.messages().toString()).doesNotContain("weight");
        assertThat(q.question()).isEqualTo("Capital of Peru?");
        assertThat(q.line()).isEqualTo(7);
    }

    @Test
    void aPreferencePairAsksItsInputAndExpectsThePreferredOutput() {
        Evaluation.Question q = question("""
                {"input": {"messages": [{"role": "user", "content": "Capital of Peru?"}]},
                 "preferred_output": [{"role": "assistant", "content": "Lima."}],
                 "non_preferred_output": [{"role": "assistant", "content": "No idea."}]}""", false);
        assertThat(q.expected()).isEqualTo("Lima.");
        assertThat(q.question()).isEqualTo("Capital of Peru?");
    }

    @Test
    void aPromptWithoutAnswerNeedsAGraderAndKeepsItsFieldsForIt() {
        String prompt = "{\"messages\": [{\"role\": \"user\", \"content\": \"Capital of Peru?\"}], \"reference_answer\": \"Lima.\"}";
        Evaluation.Question q = question(prompt, true);
        assertThat(q.expected()).isNull();
        assertThat(q.item().get("reference_answer").asText()).isEqualTo("Lima.");
        assertThat(q.item().has("messages")).as("the item is the example without messages, as in a job").isFalse();
        assertThatThrownBy(() -> question(prompt, false)).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("Line 7: the example has no assistant answer").hasMessageContaining("grader");
        assertThatThrownBy(() -> question("[1, 2]", true)).isInstanceOf(DatasetException.class)
                .hasMessage("Line 7: an example must be a JSON object");
        assertThatThrownBy(() -> question("{\"messages\": []}", true)).isInstanceOf(DatasetException.class)
                .hasMessage("Line 7: the example has no messages to ask");
        assertThatThrownBy(() -> question("{\"prompt\": \"2+2?\", \"answer\": \"4\"}", false))
                .hasMessageContaining("legacy prompt/completion format").hasMessageContaining("writeJsonl");
    }

    @Test
    void aPromptCompletionLineAsksThePromptAsTheUsersMessage() {
        // the format babbage-002 and davinci-002 train on
        Evaluation.Question q = question("{\"prompt\": \"2+2?\", \"completion\": \"4\"}", false);
        assertThat(q.messages().toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"2+2?\"}]");
        assertThat(q.expected()).isEqualTo("4");
        assertThat(q.question()).isEqualTo("2+2?");
    }

    @Test
    void sideBySideNeedsTheSameExamples() {
        assertThatThrownBy(Evaluation::sideBySide).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAnswerThePythonGraderFailsOnScores0WithTheErrorAndTheOthersAreStillScored(@TempDir Path dir)
            throws Exception {
        assumeTrue(pythonAvailable(), "python3 is not on the PATH: python grader test skipped");
        Path file = Files.writeString(dir.resolve("prompts.jsonl"), """
                {"messages": [{"role": "user", "content": "One?"}], "n": 1}
                {"messages": [{"role": "user", "content": "Two?"}], "n": 2}
                {"messages": [{"role": "user", "content": "Three?"}], "n": 3}
                """);
        String source = """
                def grade(sample, item):
                    if 'messages' in item or 'tools' in item:
                        return 0.5
                    if item['n'] == 2:
                        raise ValueError('no grade for two')
                    return 1.0
                """;
        System.setProperty("finetune4j.progress", "line");
        try (FineTune ft = FineTune.local(dir.resolve("server"))) {
            Evaluation e = ft.evaluate("nano", file.toString(), Map.of("type", "python", "name", "code", "source", source));
            assertThat(e.rows()).extracting(Evaluation.Row::score).containsExactly(1.0, 0.0, 1.0);
            assertThat(e.rows().get(1).error()).startsWith("python_grader_runtime_error: ")
                    .contains("ValueError: no grade for two");
            assertThat(e.rows().get(0).error()).isNull();
            assertThat(e.errors().intColumn("line").asList()).containsExactly(2);
            assertThat(e.toString()).endsWith("; 1 answer the python grader failed on, scored 0 (errors() lists them)");
        }
    }

    /**
     * A provider's answer without text (a refusal, a content filter) or a 400 for one question scores that question 0
     * with the reason, and the others are still asked and scored. The local models always answer with text, so a mock
     * stands in for a provider here.
     */
    @Test
    void aQuestionTheServiceAnswersWithoutTextScores0WithTheReasonAndTheOthersAreStillScored(@TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("valid.jsonl"), """
                {"messages": [{"role": "user", "content": "Capital of France?"}, {"role": "assistant", "content": "Paris."}]}
                {"messages": [{"role": "user", "content": "Something refused?"}, {"role": "assistant", "content": "No."}]}
                {"messages": [{"role": "user", "content": "Something filtered?"}, {"role": "assistant", "content": "No."}]}
                {"messages": [{"role": "user", "content": "Too long?"}, {"role": "assistant", "content": "No."}]}
                """);
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    String body = r.getBody() == null ? "" : r.getBody().utf8();
                    if (body.contains("Too long?")) {
                        return json(400, """
                                {"error": {"message": "This model's maximum context length is 128 tokens.",
                                 "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}""");
                    }
                    String message = body.contains("France") ? "{\"role\": \"assistant\", \"content\": \"Paris.\"}"
                            : body.contains("refused") ? "{\"role\": \"assistant\", \"content\": null, \"refusal\": \"I can't help with that.\"}"
                            : "{\"role\": \"assistant\", \"content\": null}";
                    String finish = body.contains("filtered") ? "content_filter" : "stop";
                    return json(200, """
                            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4.1-mini",
                             "choices": [{"index": 0, "message": %s, "finish_reason": "%s", "logprobs": null}],
                             "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}""".formatted(message, finish));
                }
            });
            server.start();
            OpenAI client = OpenAI.builder().apiKey("sk-test").baseUrl(server.url("/v1").toString()).maxRetries(0).build();
            Evaluation e = Evaluation.run(client, "gpt-4.1-mini", file, null, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            assertThat(e.rows()).extracting(Evaluation.Row::score).containsExactly(1.0, 0.0, 0.0, 0.0);
            assertThat(e.rows()).extracting(Evaluation.Row::error).containsExactly(null,
                    "refused: I can't help with that.", "no text (finish_reason content_filter)",
                    "context_length_exceeded: This model's maximum context length is 128 tokens.");
            assertThat(e.rows()).extracting(Evaluation.Row::answer).containsExactly("Paris.", "", "", "");
            assertThat(e.errors().intColumn("line").asList()).containsExactly(2, 3, 4);
            assertThat(e.toString()).contains("3 questions refused by the service, scored 0 (errors() lists them)");
        }
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static boolean pythonAvailable() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
