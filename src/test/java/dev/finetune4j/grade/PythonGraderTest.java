package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PythonGraderTest {
    private static final JsonNode ITEM = Json.tree("{\"label\": \"Paris\", \"weights\": [0.25, 0.75]}");
    private static final PythonExecutor PYTHON = new PythonExecutor("python3", Duration.ofSeconds(30));

    private static void needsPython() {
        assumeTrue(PYTHON.available(), "python3 is not on the PATH: python grader tests skipped");
    }

    private static GraderRunResponse run(String source, String sample) {
        return run(PYTHON, source, sample);
    }

    private static GraderRunResponse run(PythonExecutor executor, String source, String sample) {
        ObjectNode grader = JsonNodeFactory.instance.objectNode();
        grader.put("type", "python").put("name", "py").put("source", source);
        return new GraderRunner(null, executor).run(Graders.parse(grader), sample, ITEM);
    }

    @Test
    void gradeSeesSampleAndItemAsDicts() {
        needsPython();
        String source = """
                def grade(sample, item) -> float:
                    print("debug output goes to stderr, not into the result")
                    score = 1.0 if sample["output_text"] == item["label"] else 0.0
                    if sample["output_json"] is not None:
                        score = sample["output_json"]["x"] * item["weights"][1]
                    assert sample["choices"][0]["message"]["role"] == "assistant"
                    assert sample["output_tools"] == []
                    return score
                """;
        GraderRunResponse exact = run(source, "Paris");
        assertThat(exact.reward()).isEqualTo(1.0);
        assertThat(exact.metadata().errors().pythonGraderRuntimeError()).isFalse();
        assertThat(exact.metadata().type()).isEqualTo("python");
        assertThat(run(source, "Rome").reward()).isEqualTo(0.0);
        assertThat(run(source, "{\"x\": 0.5}").reward()).isEqualTo(0.375);
    }

    @Test
    void integersCountAsNumbersButOtherTypesDoNot() {
        needsPython();
        assertThat(run("def grade(s, i):\n    return 1\n", "x").reward()).isEqualTo(1.0);
        GraderRunResponse text = run("def grade(s, i):\n    return '0.9'\n", "x");
        assertThat(text.reward()).isEqualTo(0.0);
        assertThat(text.metadata().errors().pythonGraderRuntimeError()).isTrue();
        assertThat(text.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("returned str");
        assertThat(run("def grade(s, i):\n    return True\n", "x").metadata().errors().pythonGraderRuntimeError())
                .isTrue();
        assertThat(run("def grade(s, i):\n    return float('nan')\n", "x").metadata().errors()
                .pythonGraderRuntimeErrorDetails()).contains("finite");
    }

    @Test
    void exceptionsScoreZeroWithTheTraceback() {
        needsPython();
        GraderRunResponse r = run("def grade(s, i):\n    return 1 / 0\n", "x");
        assertThat(r.reward()).isEqualTo(0.0);
        assertThat(r.metadata().errors().pythonGraderRuntimeError()).isTrue();
        assertThat(r.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("ZeroDivisionError")
                .contains("grader.py");
        GraderRunResponse syntax = run("def grade(s, i)\n    return 1\n", "x");
        assertThat(syntax.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("SyntaxError");
        GraderRunResponse noFunction = run("x = 1\n", "x");
        assertThat(noFunction.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("does not define");
        GraderRunResponse exit = run("import sys\ndef grade(s, i):\n    sys.exit(3)\n", "x");
        assertThat(exit.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("SystemExit");
    }

    @Test
    void timeoutKillsTheProcess() {
        needsPython();
        PythonExecutor quick = new PythonExecutor("python3", Duration.ofMillis(1500));
        long start = System.nanoTime();
        GraderRunResponse r = run(quick, "def grade(s, i):\n    while True:\n        pass\n", "x");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(15.0);
        assertThat(r.reward()).isEqualTo(0.0);
        assertThat(r.metadata().errors().pythonGraderRuntimeError()).isTrue();
        assertThat(r.metadata().errors().unresponsiveRewardError()).isTrue();
        assertThat(r.metadata().errors().pythonGraderRuntimeErrorDetails()).contains("within 1.5 s");
    }

    @Test
    void missingInterpreterIsAServerError() {
        PythonExecutor absent = new PythonExecutor("/nonexistent/python3", Duration.ofSeconds(5));
        assertThat(absent.available()).isFalse();
        GraderRunResponse r = run(absent, "def grade(s, i):\n    return 1.0\n", "x");
        assertThat(r.reward()).isEqualTo(0.0);
        assertThat(r.metadata().errors().pythonGraderServerError()).isTrue();
        assertThat(r.metadata().errors().pythonGraderServerErrorType()).isEqualTo("python_unavailable");
    }
}
