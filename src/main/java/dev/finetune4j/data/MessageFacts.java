package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.List;

/** What the scanner learned about one message, whatever the order of its keys. Reused from line to line. */
final class MessageFacts {
    JsonToken token;
    List<String> keys = new ArrayList<>(6);
    JsonToken roleToken;
    String role;
    JsonToken contentToken;
    boolean contentEmpty;
    String partProblem;
    String partPath;
    JsonToken weightToken;
    String weightText;
    JsonToken toolCallsToken;
    boolean hasFunctionCall;
    boolean hasName;
    int textTokens;
    int roleTokens;

    void reset() {
        token = null;
        keys.clear();
        roleToken = null;
        role = null;
        contentToken = null;
        contentEmpty = false;
        partProblem = null;
        partPath = null;
        weightToken = null;
        weightText = null;
        toolCallsToken = null;
        hasFunctionCall = false;
        hasName = false;
        textTokens = 0;
        roleTokens = 0;
    }

    boolean isObject() {
        return token == JsonToken.START_OBJECT;
    }

    boolean hasContent() {
        return contentToken != null && contentToken != JsonToken.VALUE_NULL && !contentEmpty;
    }

    boolean hasToolCalls() {
        return toolCallsToken != null && toolCallsToken != JsonToken.VALUE_NULL;
    }

    /** Weight 0 turns training off for an assistant message; anything else (absent, 1, invalid) counts as trained. */
    boolean weightZero() {
        return "0".equals(weightText);
    }
}
