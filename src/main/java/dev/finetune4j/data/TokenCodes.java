package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;

/**
 * JSON token types as bytes, for the facts stored for every message of a line: a byte is a plain store, a reference
 * runs the garbage collector's write barrier (see {@link MessageFacts}).
 */
final class TokenCodes {
    static final byte NONE = -1;
    private static final JsonToken[] TOKENS = JsonToken.values();

    private TokenCodes() {
    }

    static byte of(JsonToken token) {
        return token == null ? NONE : (byte) token.ordinal();
    }

    static JsonToken token(byte code) {
        return code == NONE ? null : TOKENS[code];
    }
}
