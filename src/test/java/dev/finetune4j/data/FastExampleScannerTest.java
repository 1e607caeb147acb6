package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Differential test: whatever the fast path accepts, Jackson accepts with the very same facts. */
class FastExampleScannerTest {

    static String describe(ExampleFacts f) {
        StringBuilder s = new StringBuilder();
        s.append(f.rootToken()).append(f.keys).append(f.toolsToken)
                .append(f.toolsToken == null ? "" : new String(f.toolsBytes, f.toolsFrom, f.toolsTo - f.toolsFrom, java.nio.charset.StandardCharsets.UTF_8)).append(f.parallelToken).append(f.functionsToken)
                .append(f.imageParts).append(f.inputToken).append(f.inputKeys).append(f.inputToolsToken).append(f.inputParallelToken);
        for (MessageList l : List.of(f.messages, f.inputMessages, f.preferred, f.nonPreferred)) {
            s.append('|').append(l.path).append(l.token()).append(l.size());
            for (int i = 0; i < l.size(); i++) {
                MessageFacts m = l.get(i);
                s.append('{').append(m.token()).append(m.keys).append(m.roleToken()).append(m.role()).append(m.contentToken())
                        .append(m.contentEmpty).append(m.contentBytes() == null ? "" : m.contentFrom + ".." + m.contentTo)
                        .append(m.contentBlank()).append(m.partPath).append(m.partProblem).append(m.emptyTextPart).append(m.imagePart).append(m.weightToken()).append(m.weightText)
                        .append(m.toolCallsToken).append(m.hasFunctionCall).append(m.nameToken).append(m.toolCallId)
                        .append(m.toolCallsToken == null ? "" : new String(m.toolCallsBytes, m.toolCallsFrom, m.toolCallsTo - m.toolCallsFrom,
                                java.nio.charset.StandardCharsets.UTF_8)).append('}');
            }
        }
        for (MessageFacts text : new MessageFacts[] {f.prompt, f.completion}) {
            s.append('|');
            if (text != null) {
                s.append(text.contentToken()).append(text.contentEmpty).append(text.contentBytes() == null ? "" : text.contentFrom + ".." + text.contentTo)
                        .append(text.contentBlank()).append(text.partPath).append(text.partProblem);
            }
        }
        return s.toString();
    }

    static List<String> seeds() {
        List<String> lines = new ArrayList<>();
        try {
            for (Path p : Files.list(Path.of(BrokenCorpusTest.corpus("README.md").getParent().toUri())).toList()) {
                // the lines are mutated as text: the file with a Latin-1 byte is no text
                if (p.toString().endsWith(".jsonl") && !p.endsWith("bad_encoding.jsonl")) {
                    lines.addAll(Files.readAllLines(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lines.add("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"What?\"}, {\"type\": \"image_url\", "
                + "\"image_url\": {\"url\": \"https://x/a.png\", \"detail\": \"low\"}}, {\"type\": \"input_audio\"}, 7, {\"text\": 1}]}, "
                + "{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}], "
                + "\"weight\": 1.0, \"name\": null, \"function_call\": {\"name\": \"g\"}}, {\"role\": \"tool\", \"tool_call_id\": \"c\", \"content\": \"ok\"}], "
                + "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"type\": \"object\", \"x\": [1, -2.5e+3, true, false, null]}}}], "
                + "\"parallel_tool_calls\": false, \"functions\": {}, \"extra\": \"\\u00e9\\n\\\"\"}");
        lines.add("{\"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"Hi \\ud83d\\ude00 caf\u00e9 \u6771\u4eac \ud83d\ude42\"}], \"tools\": [], "
                + "\"parallel_tool_calls\": \"yes\", \"other\": 1}, \"preferred_output\": [{\"role\": \"assistant\", \"content\": \"Hello!\", \"weight\": \"1\"}], "
                + "\"non_preferred_output\": {\"role\": \"assistant\"}}");
        lines.add("{\"messages\": [{\"role\": \"developer\", \"content\": \"\"}, {\"role\": 5}, {}, [], \"x\", {\"role\": \"bot\", \"weight\": 2}], "
                + "\"reference\": {\"a\": [[[]]], \"b\": {}}, \"n\": -0.0E-1}");
        lines.add("  {\"messages\" : [ ] , \"tools\" : null }  ");
        // parts that are empty or misplaced: empty texts, image_url objects without a url, images outside user messages
        lines.add("{\"messages\": [{\"role\": \"system\", \"content\": [{\"type\": \"text\", \"text\": \"\"}, {\"text\": \"\", \"type\": \"text\"}]}, "
                + "{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"detail\": \"low\"}}, {\"type\": \"image_url\", \"image_url\": {\"url\": \"\", \"detail\": \"high\"}}, "
                + "{\"type\": \"image_url\", \"image_url\": {\"url\": 3}}, {\"type\": \"image_url\", \"image_url\": \"https://x/a.png\"}]}, "
                + "{\"role\": \"assistant\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://x/b.png\"}}], \"tool_calls\": [ ]}, "
                + "{\"role\": \"tool\", \"content\": \"ok\"}, {\"role\": \"tool\", \"tool_call_id\": null, \"content\": \"ok\"}]}");
        lines.add("{\"messages\": [{\"role\": \"assistant\", \"content\": \" \\n\\t\\u0020\\u000A\"}, {\"role\": \"assistant\", \"content\": \"  x\"}], "
                + "\"preferred_output\": [{\"role\": \"assistant\", \"content\": \"\\u00e9 \"}], \"non_preferred_output\": [{\"role\": \"assistant\", \"content\": \"\\u00e9 \"}]}");
        // the legacy completions format: plain, escaped, blank, empty, of other types, mixed with chat keys, repeated
        lines.add("{\"prompt\": \"What is 2+2?\\n\\n###\\n\\n\", \"completion\": \" 4\\n\"}");
        lines.add("{\"completion\": \" \\n\\t\\u0020\\u000A\", \"prompt\": \"\", \"label\": [1, {\"a\": null}]}");
        lines.add("{\"prompt\": \"caf\u00e9 \u6771\u4eac \\\"quoted\\\"\", \"completion\": \"\"}");
        lines.add("{\"prompt\": 5, \"completion\": null}");
        lines.add("{\"prompt\": [{\"type\": \"text\", \"text\": \"Hi\"}, 3], \"completion\": {\"text\": \"x\"}}");
        lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"completion\": \"Hello\", \"prompt\": true}");
        lines.add("{\"prompt\": \"a\", \"prompt\": \"b \", \"completion\": \"c\", \"completion\": \"  \"}");
        // parallel_tool_calls of the wrong type, a container: a type error, not the end of the example
        lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}], \"parallel_tool_calls\": [true, {\"x\": []}]}");
        lines.add("{\"input\": {\"messages\": [], \"parallel_tool_calls\": {\"a\": [1]}, \"tools\": []}, \"preferred_output\": []}");
        // an object of as many names as the scanner compares one by one (see anObjectOfManyNamesIsLeftToJackson)
        StringBuilder many = new StringBuilder("{\"messages\": [], \"answer\": {");
        for (int i = 0; i < 32; i++) many.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\": ").append(i);
        lines.add(many.append("}}").toString());
        // repeated keys, which Jackson rejects: in each kind of object the scanner reads, known names and others
        lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"a\", \"role\": \"user\"}], \"messages\": []}");
        lines.add("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\", \"text\": \"b\"}]}], "
                + "\"ref\": {\"ab\": 1, \"ba\": 2, \"ab\": 3}, \"ref2\": 1, \"ref2\": 2}");
        lines.add("{\"input\": {\"messages\": [], \"messages\": [], \"x\": 1, \"x\": 2}, \"preferred_output\": [{\"role\": \"assistant\", "
                + "\"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"a\", \"url\": \"b\"}}]}]}");
        return lines;
    }

    @Test
    void fastPathAcceptsOnlyWhatJacksonAcceptsWithTheSameFacts() {
        ExampleScanner jackson = new ExampleScanner(null);
        FastExampleScanner fast = new FastExampleScanner();
        Random rnd = new Random(1);
        String alphabet = "{}[]\",:\\ \t0123456789.eE+-abcdefnrtul/\u00e9\u6771\u0001";
        int accepted = 0;
        int checked = 0;
        List<String> seeds = seeds();
        for (String seed : seeds) {
            compare(jackson, fast, seed.getBytes(StandardCharsets.UTF_8));
        }
        for (int round = 0; round < 30_000; round++) {
            byte[] bytes = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd, alphabet);
            checked++;
            if (compare(jackson, fast, bytes)) {
                accepted++;
            }
        }
        assertThat(checked).isEqualTo(30_000);
        assertThat(accepted).as("mutants accepted by the fast path").isGreaterThan(1000);
    }

    /** Returns whether the fast path accepted; fails when it accepted something Jackson rejects or reads differently. */
    static boolean compare(ExampleScanner jackson, FastExampleScanner fast, byte[] bytes) {
        ExampleFacts f = fast.scan(bytes, 0, bytes.length);
        String fastFacts = f == null ? null : describe(f);
        String jacksonFacts;
        try {
            jacksonFacts = describe(jackson.scan(bytes, 0, bytes.length));
        } catch (IOException e) {
            jacksonFacts = "invalid: " + e.getMessage();
        }
        if (fastFacts != null) {
            assertThat(fastFacts).as(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(jacksonFacts);
            return true;
        }
        return false;
    }

    private static boolean jacksonAccepts(ExampleScanner jackson, byte[] line) {
        try {
            jackson.scan(line, 0, line.length);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] mutate(String seed, Random rnd, String alphabet) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + rnd.nextInt(2);
        for (int e = 0; e < edits && s.length() > 0; e++) {
            int at = rnd.nextInt(s.length());
            switch (rnd.nextInt(5)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                case 2 -> s.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                case 3 -> s.setLength(at);
                default -> {
                    int to = Math.min(s.length(), at + rnd.nextInt(20));
                    s.insert(at, s.substring(at, to));
                }
            }
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        if (rnd.nextInt(10) == 0 && bytes.length > 0) {
            int[] bad = {0xC0, 0xFF, 0x80, 0xED, 0xF5, 0xE0};
            bytes[rnd.nextInt(bytes.length)] = (byte) bad[rnd.nextInt(bad.length)];
        }
        return bytes;
    }

    @Test
    void ordinaryLinesTakeTheFastPath() {
        FastExampleScanner fast = new FastExampleScanner();
        ExampleScanner jackson = new ExampleScanner(null);
        for (String line : seeds()) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            // declined on purpose: non-objects, surrogate escapes, and what Jackson rejects (syntax errors, repeated keys)
            if (line.isBlank() || !line.startsWith("{") || line.contains("\\ud") || !jacksonAccepts(jackson, b)) {
                continue;
            }
            assertThat(fast.scan(b, 0, b.length)).as(line).isNotNull();
        }
    }

    @Test
    void anObjectOfManyNamesIsLeftToJackson() {
        FastExampleScanner fast = new FastExampleScanner();
        StringBuilder line = new StringBuilder("{\"messages\": [], \"answer\": {");
        for (int i = 0; i < 32; i++) line.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\": ").append(i);
        byte[] few = (line + "}}").getBytes(StandardCharsets.UTF_8);
        byte[] many = (line + ", \"k32\": 32}}").getBytes(StandardCharsets.UTF_8);
        assertThat(fast.scan(few, 0, few.length)).isNotNull();
        // names are compared one by one: past 32 of them, the comparisons would grow with their square
        assertThat(fast.scan(many, 0, many.length)).isNull();
    }
}
