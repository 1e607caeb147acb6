package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads one JSONL line with Jackson's streaming parser and records {@link ExampleFacts}; no tree is built. It
 * serves when tokens are counted (it decodes the text for the tokenizer) and for every line the
 * {@link FastExampleScanner} declines, so Jackson decides what is invalid JSON and words the error.
 */
final class ExampleScanner {
    private static final JsonFactory FACTORY = new LineJsonFactory();
    private static final String[] ROLES = {"user", "assistant", "system", "tool", "developer", "function"};
    private static final byte[][] QUOTED_ROLES = new byte[ROLES.length][];

    static {
        for (int i = 0; i < ROLES.length; i++) {
            QUOTED_ROLES[i] = ('"' + ROLES[i] + '"').getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private final TokenCounter counter;
    private final ExampleFacts facts = new ExampleFacts();
    private byte[] buf;
    private int off;
    private int end;

    /** @param counter counts text tokens, or null to skip text */
    ExampleScanner(TokenCounter counter) {
        this.counter = counter;
    }

    /** Scans {@code len} bytes at {@code off}; throws {@link JsonParseException} (with a column) on invalid JSON. */
    ExampleFacts scan(byte[] b, int off, int len) throws IOException {
        this.buf = b;
        this.off = off;
        this.end = off + len;
        facts.reset();
        facts.line.bytes = b;
        try (JsonParser p = FACTORY.createParser(b, off, len)) {
            JsonToken t = p.nextToken();
            facts.rootToken(t);
            if (t == JsonToken.START_OBJECT) {
                scanTopLevel(p);
            } else {
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the end of the JSON value", p.currentTokenLocation());
            }
        }
        return facts;
    }

    private void scanTopLevel(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            facts.keys.add(key);
            switch (key) {
                case "messages" -> scanMessages(p, v, facts.messages);
                case "input" -> scanInput(p, v);
                case "preferred_output" -> scanMessages(p, v, facts.preferred);
                case "non_preferred_output" -> scanMessages(p, v, facts.nonPreferred);
                case "tools" -> {
                    facts.toolsFrom = off + (int) p.currentTokenLocation().getByteOffset();
                    facts.toolsToken = v;
                    facts.toolTokens += countStrings(p);
                    facts.toolsBytes = buf;
                    facts.toolsTo = off + (int) p.currentLocation().getByteOffset();
                }
                case "functions" -> {
                    facts.functionsToken = v;
                    facts.toolTokens += countStrings(p);
                }
                case "parallel_tool_calls" -> {
                    facts.parallelToken = v;
                    p.skipChildren(); // an array or object here is a type error, not the end of the example
                }
                // the legacy completions format: its two texts are read as a message's content is
                case "prompt" -> scanContent(p, v, facts.startPrompt());
                case "completion" -> scanContent(p, v, facts.startCompletion());
                default -> p.skipChildren();
            }
        }
    }

    private void scanInput(JsonParser p, JsonToken v) throws IOException {
        facts.inputToken = v;
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            facts.inputKeys.add(key);
            switch (key) {
                case "messages" -> scanMessages(p, value, facts.inputMessages);
                case "tools" -> {
                    facts.inputToolsToken = value;
                    facts.toolTokens += countStrings(p);
                }
                case "parallel_tool_calls" -> {
                    facts.inputParallelToken = value;
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
    }

    private void scanMessages(JsonParser p, JsonToken v, MessageList list) throws IOException {
        list.token(v);
        if (v != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
            MessageFacts m = list.add();
            m.token(item);
            if (item == JsonToken.START_OBJECT) {
                scanMessage(p, m);
            } else {
                p.skipChildren();
            }
        }
    }

    private void scanMessage(JsonParser p, MessageFacts m) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            m.keys.add(key);
            switch (key) {
                case "role" -> {
                    m.roleToken(v);
                    if (v == JsonToken.VALUE_STRING) {
                        m.role(role(p));
                        if (counter != null) {
                            m.roleTokens = counter.countRole(m.role());
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "content" -> scanContent(p, v, m);
                case "weight" -> {
                    m.weightToken(v);
                    if (v.isScalarValue()) {
                        m.weightText = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                case "name" -> {
                    m.nameToken = v;
                    m.textTokens += countStrings(p);
                }
                case "tool_calls" -> {
                    m.toolCallsFrom = off + (int) p.currentTokenLocation().getByteOffset();
                    m.toolCallsToken = v;
                    m.textTokens += countStrings(p);
                    m.toolCallsBytes = buf;
                    m.toolCallsTo = off + (int) p.currentLocation().getByteOffset();
                }
                case "tool_call_id" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        m.toolCallId = p.getText();
                    }
                    m.textTokens += countStrings(p);
                }
                case "function_call" -> {
                    m.hasFunctionCall = v != JsonToken.VALUE_NULL;
                    m.textTokens += countStrings(p);
                }
                default -> m.textTokens += countStrings(p);
            }
        }
    }

    /** The role string; the usual roles are matched on the raw bytes, without decoding a new string. */
    private String role(JsonParser p) throws IOException {
        int at = off + (int) p.currentTokenLocation().getByteOffset();
        for (int i = 0; i < QUOTED_ROLES.length; i++) {
            byte[] quoted = QUOTED_ROLES[i];
            if (at + quoted.length <= end
                    && java.util.Arrays.equals(buf, at, at + quoted.length, quoted, 0, quoted.length)) {
                return ROLES[i];
            }
        }
        return p.getText();
    }

    private void scanContent(JsonParser p, JsonToken v, MessageFacts m) throws IOException {
        m.contentToken(v);
        if (v == JsonToken.VALUE_STRING) {
            // the token starts at the opening quote; once it is read, the parser stands just past the closing one
            int open = off + (int) p.currentTokenLocation().getByteOffset();
            if (counter != null) {
                m.textTokens += counter.count(p.getText());
            } else {
                p.finishToken();
            }
            int close = off + (int) p.currentLocation().getByteOffset() - 1;
            m.contentEmpty = close == open + 1;
            m.contentInLine(open + 1, close);
        } else if (v == JsonToken.START_ARRAY) {
            int index = 0;
            JsonToken part;
            while ((part = p.nextToken()) != JsonToken.END_ARRAY) {
                scanPart(p, part, m, index++);
            }
            m.contentEmpty = index == 0;
        } else {
            p.skipChildren();
        }
    }

    private void scanPart(JsonParser p, JsonToken part, MessageFacts m, int index) throws IOException {
        if (part != JsonToken.START_OBJECT) {
            p.skipChildren();
            partProblem(m, index, "must be an object such as {\"type\": \"text\", \"text\": \"...\"}");
            return;
        }
        String type = null;
        boolean hasText = false;
        boolean textIsString = true;
        boolean hasImage = false;
        boolean hasUrl = false;
        boolean textEmpty = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "type" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        type = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                case "text" -> {
                    hasText = true;
                    if (v == JsonToken.VALUE_STRING) {
                        if (counter != null) {
                            m.textTokens += counter.count(p.getText());
                        }
                        textEmpty = p.getTextLength() == 0;
                    } else {
                        textEmpty = false;
                        textIsString = false;
                        p.skipChildren();
                    }
                }
                case "image_url" -> {
                    hasImage = v == JsonToken.START_OBJECT;
                    hasUrl = false;
                    if (hasImage) {
                        hasUrl = hasUrl(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        partFound(m, index, type, hasText, textIsString, textEmpty, hasImage, hasUrl, facts);
    }

    /** Whether the image_url object the parser is at has a non-empty url string; reads the object to its end. */
    private static boolean hasUrl(JsonParser p) throws IOException {
        boolean url = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean isUrl = p.currentName().equals("url");
            JsonToken v = p.nextToken();
            if (isUrl) {
                url = v == JsonToken.VALUE_STRING && p.getTextLength() > 0;
            }
            p.skipChildren();
        }
        return url;
    }

    /** Records what a content part tells about its message. Shared with {@link FastExampleScanner}. */
    static void partFound(MessageFacts m, int index, String type, boolean hasText, boolean textIsString, boolean textEmpty,
            boolean hasImage, boolean hasUrl, ExampleFacts facts) {
        String problem = partProblem(type, hasText, textIsString, hasImage, hasUrl);
        if (problem != null) {
            partProblem(m, index, problem);
        } else if ("image_url".equals(type)) {
            facts.imageParts++;
            if (m.imagePart < 0) {
                m.imagePart = index;
            }
        } else if (textEmpty && m.emptyTextPart < 0) {
            m.emptyTextPart = index;
        }
    }

    /** What is wrong with a content part, or null. */
    static String partProblem(String type, boolean hasText, boolean textIsString, boolean hasImage, boolean hasUrl) {
        if (type == null) {
            return "has no \"type\"; use \"text\" or \"image_url\"";
        }
        if (type.equals("text")) {
            return hasText && textIsString ? null : "is a text part without a \"text\" string";
        }
        if (type.equals("image_url")) {
            return !hasImage ? "is an image part without an \"image_url\" object"
                    : hasUrl ? null : "is an image part whose image_url has no \"url\" (the image's address or data: URL)";
        }
        return "has type '" + type + "'; training files accept only \"text\" and \"image_url\" parts";
    }

    static void partProblem(MessageFacts m, int index, String problem) {
        if (m.partProblem == null) {
            m.partPath = "content[" + index + "]";
            m.partProblem = problem;
        }
    }

    /** Tokens of every string (and key) in the current value, or 0 after skipping it when nothing is counted. */
    private int countStrings(JsonParser p) throws IOException {
        if (counter == null) {
            p.skipChildren();
            return 0;
        }
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return counter.count(p.getText());
        }
        if (!t.isStructStart()) {
            return t == JsonToken.VALUE_NULL ? 0 : counter.count(p.getText());
        }
        int tokens = 0;
        int depth = 1;
        while (depth > 0) {
            t = p.nextToken();
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            } else if (t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) {
                tokens += counter.count(p.getText());
            }
        }
        return tokens;
    }
}
