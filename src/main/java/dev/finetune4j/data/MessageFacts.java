package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the scanner learned about one message, whatever the order of its keys. Reused from line to line. */
final class MessageFacts {
    JsonToken token;
    List<String> keys = new ArrayList<>(6);
    JsonToken roleToken;
    String role;
    JsonToken contentToken;
    boolean contentEmpty;
    // where a string content's raw bytes (between its quotes) are, in the scanned line's buffer, valid while the line's
    // rules run; kept as a range so the hot path copies nothing
    byte[] contentBytes;
    int contentFrom;
    int contentTo;
    String partProblem;
    String partPath;
    /** The index of the first text part whose text is "", or -1. */
    int emptyTextPart = -1;
    /** The index of the first image part, or -1: only user messages may hold images. */
    int imagePart = -1;
    JsonToken weightToken;
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

    void reset() {
        token = null;
        keys.clear();
        roleToken = null;
        role = null;
        contentToken = null;
        contentEmpty = false;
        contentBytes = null;
        contentFrom = 0;
        contentTo = 0;
        partProblem = null;
        partPath = null;
        emptyTextPart = -1;
        imagePart = -1;
        weightToken = null;
        weightText = null;
        toolCallsToken = null;
        toolCallId = null;
        hasFunctionCall = false;
        nameToken = null;
        textTokens = 0;
        roleTokens = 0;
    }

    boolean isObject() {
        return token == JsonToken.START_OBJECT;
    }

    boolean hasContent() {
        return contentToken != null && contentToken != JsonToken.VALUE_NULL && !contentEmpty;
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
        if (contentBytes == null || contentFrom == contentTo) {
            return false;
        }
        byte[] b = contentBytes;
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
        return contentBytes != null && other.contentBytes != null
                && Arrays.equals(contentBytes, contentFrom, contentTo, other.contentBytes, other.contentFrom, other.contentTo);
    }

    /** Weight 0 turns training off for an assistant message; anything else (absent, 1, invalid) counts as trained. */
    boolean weightZero() {
        return "0".equals(weightText);
    }
}
