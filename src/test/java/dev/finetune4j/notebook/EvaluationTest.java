package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.Json;
import dev.finetune4j.data.DatasetException;
import dev.finetune4j.data.Example;
import org.junit.jupiter.api.Test;

/** What an evaluation asks of each kind of example; the asking itself runs against the real server in FineTuneEndToEndTest. */
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
}
