package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;
import java.util.Arrays;

/**
 * What the scanner learned about one message, whatever the order of its keys. Reused from line to line.
 *
 * <p>What every message has (its type, role and content) is kept in bytes and ints, not references: every reference
 * stored into an object runs the garbage collector's write barrier (a dozen instructions with G1), and a pass over a
 * large file stores tens of millions of these facts. Kept as bytes, a fresh JVM's pass over 1 GB got 1-4% faster,
 * with G1 and with the parallel collector alike. Rarer facts stay references.
 */
final class MessageFacts {
    private final ExampleFacts.Line line;
    private byte token = TokenCodes.NONE;
    final KeyList keys = new KeyList();
    private byte roleToken = TokenCodes.NONE;
    /** The role's index in {@link FastExampleScanner#NAMES}, or {@link #OTHER_ROLE} with the role in {@code otherRole}. */
    private byte role = OTHER_ROLE;
    private String otherRole;
    private byte contentToken = TokenCodes.NONE;
    boolean contentEmpty;
    // where a string content's raw bytes (between its quotes) are, in the line's buffer, valid while the line's rules
    // run; kept as a range so the hot path copies nothing
    private boolean contentInLine;
    int contentFrom;
    int contentTo;
    String partProblem;
    String partPath;
    /** The index of the first text part whose text is "", or -1. */
    int emptyTextPart = -1;
    /** The index of the first image part, or -1: only user messages may hold images. */
    int imagePart = -1;
    private byte weightToken = TokenCodes.NONE;
    String weightText;
    JsonToken toolCallsToken;
    // where the tool_calls value's bytes are, read only when toolCallsToken is set: tool calls are rare, so their
    // arguments are parsed by the rules, not by the scanners
    byte[] toolCallsBytes;
    int toolCallsFrom;
    int toolCallsTo;
    String toolCallId;
    boolean hasFunctionCall;
    /** The type of the message's name, or null without one. */
    JsonToken nameToken;
    int textTokens;
    int roleTokens;

    private static final byte OTHER_ROLE = -1;

    /** A message of a line whose bytes are in {@code line}. */
    MessageFacts(ExampleFacts.Line line) {
        this.line = line;
    }

    void reset() {
        token = TokenCodes.NONE;
        keys.clear();
        roleToken = TokenCodes.NONE;
        role = OTHER_ROLE;
        otherRole = null;
        contentToken = TokenCodes.NONE;
        contentEmpty = false;
        contentInLine = false;
        contentFrom = 0;
        contentTo = 0;
        partProblem = null;
        partPath = null;
        emptyTextPart = -1;
        imagePart = -1;
        weightToken = TokenCodes.NONE;
        weightText = null;
        toolCallsToken = null;
        toolCallId = null;
        hasFunctionCall = false;
        nameToken = null;
        textTokens = 0;
        roleTokens = 0;
    }

    JsonToken token() {
        return TokenCodes.token(token);
    }

    void token(JsonToken t) {
        token = TokenCodes.of(t);
    }

    JsonToken roleToken() {
        return TokenCodes.token(roleToken);
    }

    void roleToken(JsonToken t) {
        roleToken = TokenCodes.of(t);
    }

    /** The role string, or null when the message has none or its role is not a string. */
    String role() {
        return role == OTHER_ROLE ? otherRole : FastExampleScanner.NAMES[role];
    }

    void role(String r) {
        role = OTHER_ROLE;
        otherRole = r;
    }

    /** Sets the role to the name of index {@code id} in {@link FastExampleScanner#NAMES}. */
    void role(int id) {
        role = (byte) id;
    }

    JsonToken contentToken() {
        return TokenCodes.token(contentToken);
    }

    void contentToken(JsonToken t) {
        contentToken = TokenCodes.of(t);
    }

    /** A string content's raw bytes are {@code contentBytes()[from, to)}. */
    void contentInLine(int from, int to) {
        contentInLine = true;
        contentFrom = from;
        contentTo = to;
    }

    /** The buffer holding a string content's raw bytes, or null when the content is no string. */
    byte[] contentBytes() {
        return contentInLine ? line.bytes : null;
    }

    JsonToken weightToken() {
        return TokenCodes.token(weightToken);
    }

    void weightToken(JsonToken t) {
        weightToken = TokenCodes.of(t);
    }

    boolean isObject() {
        return token() == JsonToken.START_OBJECT;
    }

    boolean hasContent() {
        return contentToken != TokenCodes.NONE && contentToken() != JsonToken.VALUE_NULL && !contentEmpty;
    }

    boolean hasName() {
        return nameToken != null && nameToken != JsonToken.VALUE_NULL;
    }

    /** Whether the message calls a tool: {@code "tool_calls": []} calls none (and then needs a content). */
    boolean hasToolCalls() {
        return toolCallsToken != null && toolCallsToken != JsonToken.VALUE_NULL && !toolCallsEmpty();
    }

    /** Whether tool_calls is an array with no item; its bytes are read only for the rare lines that have tool calls. */
    boolean toolCallsEmpty() {
        if (toolCallsToken != JsonToken.START_ARRAY) {
            return false;
        }
        int i = toolCallsFrom;
        while (i < toolCallsTo && toolCallsBytes[i] != '[') {
            i++;
        }
        i++;
        while (i < toolCallsTo && (toolCallsBytes[i] == ' ' || toolCallsBytes[i] == '\t' || toolCallsBytes[i] == '\r' || toolCallsBytes[i] == '\n')) {
            i++;
        }
        return i < toolCallsTo && toolCallsBytes[i] == ']';
    }

    /** Whether the content is a non-empty string of spaces, tabs and line breaks only (written plainly or escaped). */
    boolean contentBlank() {
        if (!contentInLine || contentFrom == contentTo) {
            return false;
        }
        byte[] b = line.bytes;
        int i = contentFrom;
        while (i < contentTo) {
            if (b[i] == ' ') {
                i++;
            } else if (b[i] == '\\' && i + 1 < contentTo && (b[i + 1] == 'n' || b[i + 1] == 'r' || b[i + 1] == 't')) {
                i += 2;
            } else if (b[i] == '\\' && i + 5 < contentTo && b[i + 1] == 'u' && blankEscape(b, i + 2)) {
                i += 6;
            } else {
                return false;
            }
        }
        return true;
    }

    /** Whether the four hex digits of a {@code \\u} escape, at {@code at}, name a space, tab or line break. */
    private static boolean blankEscape(byte[] b, int at) {
        int value = 0;
        for (int k = 0; k < 4; k++) {
            int digit = Character.digit(b[at + k], 16);
            if (digit < 0) {
                return false;
            }
            value = value * 16 + digit;
        }
        return value == ' ' || value == '\t' || value == '\n' || value == '\r';
    }

    /** Whether both messages have string contents written with the same bytes. */
    boolean sameContent(MessageFacts other) {
        return contentInLine && other.contentInLine
                && Arrays.equals(line.bytes, contentFrom, contentTo, other.line.bytes, other.contentFrom, other.contentTo);
    }

    /** Weight 0 turns training off for an assistant message; anything else (absent, 1, invalid) counts as trained. */
    boolean weightZero() {
        return "0".equals(weightText);
    }
}
