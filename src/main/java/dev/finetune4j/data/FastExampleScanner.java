package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The validator's fast path when tokens are not counted: records the same {@link ExampleFacts} as
 * {@link ExampleScanner} straight from the line's bytes, skipping string contents eight bytes at a time.
 *
 * <p>It only accepts lines it can fully verify as strict JSON (RFC 8259, well-formed UTF-8, nesting up to 64,
 * no {@code \\u} surrogate escapes, no escapes in keys or roles, no key twice in one object). For anything else,
 * including every syntax error, it returns null and the caller scans the line with Jackson, which stays the judge of validity and the
 * author of error messages. Whatever this class accepts, Jackson accepts too, with the same facts (checked by a
 * differential test).
 */
final class FastExampleScanner {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_NUMBER = 100;
    private static final int MAX_NAMES = 32;
    static final String[] NAMES = {"messages", "input", "preferred_output", "non_preferred_output", "tools", "functions",
        "parallel_tool_calls", "role", "content", "weight", "name", "tool_calls", "function_call", "type", "text", "image_url",
        "tool_call_id", "refusal", "user", "assistant", "system", "tool", "developer", "function", "prompt", "completion"};
    // ids of the key names above (their index), so keys are dispatched with an int switch
    private static final int MESSAGES = 0;
    private static final int INPUT = 1;
    private static final int PREFERRED_OUTPUT = 2;
    private static final int NON_PREFERRED_OUTPUT = 3;
    private static final int TOOLS = 4;
    private static final int FUNCTIONS = 5;
    private static final int PARALLEL_TOOL_CALLS = 6;
    private static final int ROLE = 7;
    private static final int CONTENT = 8;
    private static final int WEIGHT = 9;
    private static final int NAME = 10;
    private static final int TOOL_CALLS = 11;
    private static final int FUNCTION_CALL = 12;
    private static final int TYPE = 13;
    private static final int TEXT = 14;
    private static final int IMAGE_URL = 15;
    private static final int TOOL_CALL_ID = 16;
    private static final int USER = 18;
    private static final int ASSISTANT = 19;
    private static final int SYSTEM = 20;
    private static final int PROMPT = 24;
    private static final int COMPLETION = 25;
    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];
    private static final long[] NAME_LO = new long[NAMES.length];
    private static final long[] NAME_HI = new long[NAMES.length];
    private static final long QUOTED_ROLE = (long) LONGS.get(Arrays.copyOf("\"role\"".getBytes(StandardCharsets.US_ASCII), 8), 0);
    private static final long QUOTED_USER = quoted("\"user\"");
    private static final long QUOTED_SYSTEM = quoted("\"system\"");
    private static final long QUOTED_ASSISTA = quoted("\"assista");
    private static final long QUOTED_NT = quoted("nt\"");
    private static final long QUOTED_CONTENT = (long) LONGS.get("\"content".getBytes(StandardCharsets.US_ASCII), 0);

    /** Known names indexed by length and first byte, so most keys are matched with one comparison. */
    private static final int[][][] BY_LENGTH_AND_FIRST = new int[21][128][];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAME_BYTES[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
            byte[] padded = Arrays.copyOf(NAME_BYTES[i], Math.max(16, NAME_BYTES[i].length));
            NAME_LO[i] = (long) LONGS.get(padded, 0);
            NAME_HI[i] = (long) LONGS.get(padded, 8);
            int[][] byFirst = BY_LENGTH_AND_FIRST[NAMES[i].length()];
            int first = NAMES[i].charAt(0);
            int[] old = byFirst[first] == null ? new int[0] : byFirst[first];
            int[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = i;
            byFirst[first] = grown;
        }
    }

    /** Up to 8 ASCII bytes as a little-endian word, zero-padded. */
    private static long quoted(String s) {
        return (long) LONGS.get(Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), 8), 0);
    }

    /** Thrown to give up on a line; carries no stack trace, it is control flow. */
    private static final class Decline extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Decline() {
            super(null, null, false, false);
        }
    }

    private static final Decline DECLINE = new Decline();

    private final ExampleFacts facts = new ExampleFacts();
    private byte[] b;
    private int pos;
    private int end;
    private int depth;
    private int strStart;
    private int strEnd;
    private boolean strEscaped;
    /** The name of the key just read when it is not one of {@link #NAMES}. */
    private String unknownName;
    /** Where the names of unknown keys start and end in {@code b}, for the objects open now (each from its base). */
    private int[] nameFrom = new int[64];
    private int[] nameTo = new int[64];
    private int names;

    /** The facts of a line, or null when the line must be scanned by Jackson. */
    ExampleFacts scan(byte[] buf, int off, int len) {
        return scanLine(buf, off, off + len) == off + len ? facts : null;
    }

    /**
     * Scans the line that starts at {@code off} and ends at the next {@code '\n'} or at {@code limit}, finding its
     * end on the way (no separate pass for line breaks). Returns where the line ends, its facts then being in
     * {@link #facts()}, or -1 when the line must be scanned by Jackson (its end is then not known).
     */
    int scanLine(byte[] buf, int off, int limit) {
        b = buf;
        pos = off;
        end = limit;
        depth = 0;
        names = 0;
        facts.reset();
        facts.line.bytes = buf;
        try {
            ws();
            if (pos >= end || b[pos] != '{') {
                return -1;
            }
            facts.rootToken(JsonToken.START_OBJECT);
            topLevel();
            ws();
            return pos == end || (pos < end && b[pos] == '\n') ? pos : -1;
        } catch (Decline | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** The facts of the line last accepted by {@link #scanLine}. */
    ExampleFacts facts() {
        return facts;
    }

    private void topLevel() {
        openObject();
        if (closeIfEmpty('}')) {
            return;
        }
        int base = names;
        long seen = 0;
        do {
            int key = key();
            seen = once(key, seen, base);
            addKey(facts.keys, key);
            switch (key) {
                case MESSAGES -> messages(facts.messages);
                case INPUT -> input();
                case PREFERRED_OUTPUT -> messages(facts.preferred);
                case NON_PREFERRED_OUTPUT -> messages(facts.nonPreferred);
                case TOOLS -> {
                    facts.toolsFrom = pos;
                    facts.toolsToken = skipValue();
                    facts.toolsBytes = b;
                    facts.toolsTo = pos;
                }
                case FUNCTIONS -> facts.functionsToken = skipValue();
                case PARALLEL_TOOL_CALLS -> facts.parallelToken = skipValue();
                // the legacy completions format: its two texts are read as a message's content is
                case PROMPT -> content(facts.startPrompt());
                case COMPLETION -> content(facts.startCompletion());
                default -> skipValue();
            }
        } while (nextMember('}'));
        names = base;
    }

    private void input() {
        if (peek() != '{') {
            facts.inputToken = skipValue();
            return;
        }
        facts.inputToken = JsonToken.START_OBJECT;
        openObject();
        if (closeIfEmpty('}')) {
            return;
        }
        int base = names;
        long seen = 0;
        do {
            int key = key();
            seen = once(key, seen, base);
            addKey(facts.inputKeys, key);
            switch (key) {
                case MESSAGES -> messages(facts.inputMessages);
                case TOOLS -> facts.inputToolsToken = skipValue();
                case PARALLEL_TOOL_CALLS -> facts.inputParallelToken = skipValue();
                default -> skipValue();
            }
        } while (nextMember('}'));
        names = base;
    }

    private void messages(MessageList list) {
        if (peek() != '[') {
            list.token(skipValue());
            return;
        }
        list.token(JsonToken.START_ARRAY);
        openArray();
        if (closeIfEmpty(']')) {
            return;
        }
        do {
            MessageFacts m = list.add();
            if (peek() == '{') {
                m.token(JsonToken.START_OBJECT);
                message(m);
            } else {
                m.token(skipValue());
            }
        } while (nextMember(']'));
    }

    private void message(MessageFacts m) {
        openObject();
        if (closeIfEmpty('}')) {
            return;
        }
        int base = names;
        long seen = 0;
        do {
            int key = key();
            seen = once(key, seen, base);
            addKey(m.keys, key);
            switch (key) {
                case ROLE -> {
                    if (peek() == '"') {
                        m.roleToken(JsonToken.VALUE_STRING);
                        roleValue(m);
                    } else {
                        m.roleToken(skipValue());
                    }
                }
                case CONTENT -> content(m);
                case WEIGHT -> {
                    int from = pos;
                    if (peek() == '"') {
                        m.weightToken(JsonToken.VALUE_STRING);
                        m.weightText = plainString();
                    } else {
                        m.weightToken(skipValue());
                        if (m.weightToken().isScalarValue()) {
                            m.weightText = scalarText(from);
                        }
                    }
                }
                case NAME -> m.nameToken = skipValue();
                case TOOL_CALLS -> {
                    m.toolCallsFrom = pos;
                    m.toolCallsToken = skipValue();
                    m.toolCallsBytes = b;
                    m.toolCallsTo = pos;
                }
                case TOOL_CALL_ID -> {
                    if (peek() == '"') {
                        m.toolCallId = plainString();
                    } else {
                        skipValue();
                    }
                }
                case FUNCTION_CALL -> m.hasFunctionCall = skipValue() != JsonToken.VALUE_NULL;
                default -> skipValue();
            }
        } while (nextMember('}'));
        names = base;
    }

    /** Reads a role string into {@code m}; the three usual ones are matched whole, with their quotes, in one or two comparisons. */
    private void roleValue(MessageFacts m) {
        if (pos + 16 <= end) {
            long w = (long) LONGS.get(b, pos);
            if ((w & 0xFFFF_FFFF_FFFFL) == QUOTED_USER) {
                pos += 6;
                m.role(USER);
                return;
            }
            if (w == QUOTED_ASSISTA && (((long) LONGS.get(b, pos + 8)) & 0xFF_FFFFL) == QUOTED_NT) {
                pos += 11;
                m.role(ASSISTANT);
                return;
            }
            if (w == QUOTED_SYSTEM) {
                pos += 8;
                m.role(SYSTEM);
                return;
            }
        }
        string();
        if (strEscaped) {
            throw DECLINE;
        }
        int id = knownId(strStart, strEnd);
        if (id >= 0) {
            m.role(id);
        } else {
            m.role(new String(b, strStart, strEnd - strStart, StandardCharsets.UTF_8));
        }
    }

    /** The text of a number or literal that ended at {@code pos}; the usual weights are shared constants. */
    private String scalarText(int from) {
        if (pos - from == 1 && (b[from] == '0' || b[from] == '1')) {
            return b[from] == '0' ? "0" : "1";
        }
        return new String(b, from, pos - from, StandardCharsets.US_ASCII);
    }

    private void content(MessageFacts m) {
        byte c = peek();
        if (c == '"') {
            m.contentToken(JsonToken.VALUE_STRING);
            string();
            m.contentEmpty = strEnd == strStart;
            m.contentInLine(strStart, strEnd);
        } else if (c == '[') {
            m.contentToken(JsonToken.START_ARRAY);
            openArray();
            int index = 0;
            if (!closeIfEmpty(']')) {
                do {
                    part(m, index++);
                } while (nextMember(']'));
            }
            m.contentEmpty = index == 0;
        } else {
            m.contentToken(skipValue());
        }
    }

    private void part(MessageFacts m, int index) {
        if (peek() != '{') {
            skipValue();
            partProblem(m, index, "must be an object such as {\"type\": \"text\", \"text\": \"...\"}");
            return;
        }
        openObject();
        String type = null;
        boolean hasText = false;
        boolean textIsString = true;
        boolean hasImage = false;
        boolean hasUrl = false;
        boolean textEmpty = false;
        if (!closeIfEmpty('}')) {
            int base = names;
            long seen = 0;
            do {
                int key = key();
                seen = once(key, seen, base);
                switch (key) {
                    case TYPE -> {
                        if (peek() == '"') {
                            type = plainString();
                        } else {
                            skipValue();
                        }
                    }
                    case TEXT -> {
                        hasText = true;
                        boolean string = skipValue() == JsonToken.VALUE_STRING;
                        textIsString &= string;
                        textEmpty = string && strEnd == strStart;
                    }
                    case IMAGE_URL -> {
                        hasImage = peek() == '{';
                        hasUrl = false;
                        if (hasImage) {
                            hasUrl = imageUrl();
                        } else {
                            skipValue();
                        }
                    }
                    default -> skipValue();
                }
            } while (nextMember('}'));
            names = base;
        }
        ExampleScanner.partFound(m, index, type, hasText, textIsString, textEmpty, hasImage, hasUrl, facts);
    }

    /** Reads an image_url object; true when it has a non-empty url string (image parts are rare: not tuned). */
    private boolean imageUrl() {
        boolean url = false;
        openObject();
        if (!closeIfEmpty('}')) {
            int base = names;
            do {
                plainKey(base);
                boolean isUrl = strEnd - strStart == 3 && b[strStart] == 'u' && b[strStart + 1] == 'r' && b[strStart + 2] == 'l';
                JsonToken v = skipValue();
                if (isUrl) {
                    url = v == JsonToken.VALUE_STRING && strEnd > strStart;
                }
            } while (nextMember('}'));
            names = base;
        }
        return url;
    }

    private static void partProblem(MessageFacts m, int index, String problem) {
        ExampleScanner.partProblem(m, index, problem);
    }

    // ---- JSON grammar -------------------------------------------------------------------------------------

    private void openObject() {
        pos++;
        if (++depth > MAX_DEPTH) {
            throw DECLINE;
        }
        ws();
    }

    private void openArray() {
        openObject();
    }

    /** At the first member: closes an empty container. */
    private boolean closeIfEmpty(char close) {
        if (pos < end && b[pos] == close) {
            pos++;
            depth--;
            return true;
        }
        return false;
    }

    /** After a member: true when a comma introduces another one, false when the container closes. */
    private boolean nextMember(char close) {
        ws();
        byte c = b[pos++];
        if (c == ',') {
            ws();
            return true;
        }
        if (c == close) {
            depth--;
            return false;
        }
        throw DECLINE;
    }

    /**
     * Reads {@code "name":} and returns the index of a known name in {@code NAMES}, or -1 with the name in
     * {@code unknownName}.
     */
    private int key() {
        if (pos + 16 <= end) {
            // the keys of nearly every message, matched whole with their quotes in one 64-bit comparison
            long w = (long) LONGS.get(b, pos);
            if ((w & 0xFFFF_FFFF_FFFFL) == QUOTED_ROLE) {
                pos += 6;
                colon();
                return ROLE;
            }
            if (w == QUOTED_CONTENT && b[pos + 8] == '"') {
                pos += 9;
                colon();
                return CONTENT;
            }
        }
        if (b[pos] != '"') {
            throw DECLINE;
        }
        string();
        if (strEscaped) {
            throw DECLINE;
        }
        int id = knownId(strStart, strEnd);
        if (id < 0) {
            unknownName = new String(b, strStart, strEnd - strStart, StandardCharsets.UTF_8);
        }
        colon();
        return id;
    }

    private void addKey(KeyList keys, int key) {
        if (key >= 0) {
            keys.add(key);
        } else {
            keys.add(unknownName);
        }
    }

    /**
     * Reads {@code "name":} of an object whose names are not dispatched on, leaving the name's bytes in
     * {@code strStart}/{@code strEnd}; escaped and repeated names are left to Jackson.
     */
    private void plainKey(int base) {
        if (b[pos] != '"') {
            throw DECLINE;
        }
        string();
        if (strEscaped) {
            throw DECLINE;
        }
        unique(base);
        colon();
    }

    /**
     * Declines a key the object already has (Jackson then words the error): readers disagree on which of the two
     * counts. Known keys are told apart by their bit in {@code seen}, others by their bytes ({@link #unique}).
     */
    private long once(int key, long seen, int base) {
        if (key < 0) {
            unique(base);
            return seen;
        }
        long bit = 1L << key;
        if ((seen & bit) != 0) {
            throw DECLINE;
        }
        return seen | bit;
    }

    /**
     * Declines the unescaped name just read when an earlier key of the object (from {@code base}) has it. Names are
     * compared one by one, which suits the few keys of an example's objects; an object with more unknown names goes
     * to Jackson, whose check is a hash set (one with 100,000 keys would otherwise take a minute).
     */
    private void unique(int base) {
        if (names - base >= MAX_NAMES) {
            throw DECLINE;
        }
        int len = strEnd - strStart;
        for (int i = base; i < names; i++) {
            if (nameTo[i] - nameFrom[i] == len && Arrays.equals(b, nameFrom[i], nameTo[i], b, strStart, strEnd)) {
                throw DECLINE;
            }
        }
        if (names == nameFrom.length) {
            nameFrom = Arrays.copyOf(nameFrom, names * 2);
            nameTo = Arrays.copyOf(nameTo, names * 2);
        }
        nameFrom[names] = strStart;
        nameTo[names++] = strEnd;
    }

    private void colon() {
        ws();
        if (b[pos++] != ':') {
            throw DECLINE;
        }
        ws();
    }

    /** A string value without escapes, decoded (roles, part types); escaped ones go to Jackson. */
    private String plainString() {
        string();
        if (strEscaped) {
            throw DECLINE;
        }
        String name = known(strStart, strEnd);
        return name != null ? name : new String(b, strStart, strEnd - strStart, StandardCharsets.UTF_8);
    }

    private String known(int from, int to) {
        int id = knownId(from, to);
        return id >= 0 ? NAMES[id] : null;
    }

    private int knownId(int from, int to) {
        int len = to - from;
        if (len == 0 || len >= BY_LENGTH_AND_FIRST.length || b[from] < 0) {
            return -1;
        }
        int[] candidates = BY_LENGTH_AND_FIRST[len][b[from]];
        if (candidates == null) {
            return -1;
        }
        if (len <= 16 && from + 16 <= b.length) {
            // names up to 16 bytes: compared as two little-endian words, the bytes past the name masked off
            long lo = (long) LONGS.get(b, from);
            long hi = (long) LONGS.get(b, from + 8);
            if (len < 8) {
                lo &= (1L << (len << 3)) - 1;
                hi = 0;
            } else if (len < 16) {
                hi &= (1L << ((len - 8) << 3)) - 1;
            }
            for (int i : candidates) {
                if (NAME_LO[i] == lo && NAME_HI[i] == hi) {
                    return i;
                }
            }
            return -1;
        }
        for (int i : candidates) {
            byte[] n = NAME_BYTES[i];
            int k = 1;
            while (k < len && n[k] == b[from + k]) {
                k++;
            }
            if (k == len) {
                return i;
            }
        }
        return -1;
    }

    private JsonToken skipValue() {
        byte c = b[pos];
        switch (c) {
            case '{' -> {
                openObject();
                if (!closeIfEmpty('}')) {
                    int base = names;
                    do {
                        plainKey(base);
                        skipValue();
                    } while (nextMember('}'));
                    names = base;
                }
                return JsonToken.START_OBJECT;
            }
            case '[' -> {
                openArray();
                if (!closeIfEmpty(']')) {
                    do {
                        skipValue();
                    } while (nextMember(']'));
                }
                return JsonToken.START_ARRAY;
            }
            case '"' -> {
                string();
                return JsonToken.VALUE_STRING;
            }
            case 't' -> {
                literal("true");
                return JsonToken.VALUE_TRUE;
            }
            case 'f' -> {
                literal("false");
                return JsonToken.VALUE_FALSE;
            }
            case 'n' -> {
                literal("null");
                return JsonToken.VALUE_NULL;
            }
            default -> {
                return number();
            }
        }
    }

    private void literal(String word) {
        int len = word.length();
        if (pos + len > end) {
            throw DECLINE;
        }
        for (int i = 0; i < len; i++) {
            if (b[pos + i] != word.charAt(i)) {
                throw DECLINE;
            }
        }
        pos += len;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} */
    private JsonToken number() {
        int start = pos;
        boolean isFloat = false;
        if (pos < end && b[pos] == '-') {
            pos++;
        }
        if (pos < end && b[pos] == '0') {
            pos++;
        } else {
            digits();
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            digits();
            isFloat = true;
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            digits();
            isFloat = true;
        }
        if (pos - start > MAX_NUMBER) {
            throw DECLINE;
        }
        return isFloat ? JsonToken.VALUE_NUMBER_FLOAT : JsonToken.VALUE_NUMBER_INT;
    }

    private void digits() {
        int start = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        if (pos == start) {
            throw DECLINE;
        }
    }

    private void ws() {
        while (pos < end) {
            byte c = b[pos];
            // a line break ends the line: it is never whitespace inside one
            if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private byte peek() {
        return b[pos];
    }

    /**
     * Consumes a string starting at its opening quote; sets {@code strStart}/{@code strEnd} (raw contents) and
     * {@code strEscaped}. Eight bytes at a time until a quote, backslash, control or non-ASCII byte shows up.
     *
     * <p>Escapes and UTF-8 checks are written out here rather than in helpers: at more than 325 bytecodes the
     * method is too large for C2 to inline, so the hottest code of the scanner is compiled once and called,
     * instead of being compiled again inside each of its five callers (which made the JIT warm-up slower).
     */
    private void string() {
        byte[] b = this.b;
        int end = this.end;
        int p = pos + 1;
        strStart = p;
        strEscaped = false;
        // words are read up to the end of the array, not of the line: a string stops at its closing quote or at
        // the line's newline (a control byte) anyway, and a chunk's array always holds bytes past its last line.
        // A loop bound at the line's end would exit early at the end of each chunk, which C2 first compiles as a
        // trap, then undoes the whole compiled scanner when the trap is hit (it was, in every cold pass).
        int lastWord = b.length - 8;
        while (true) {
            while (p <= lastWord) {
                long x = (long) LONGS.get(b, p);
                // high bit of a byte set: quote, backslash, control (< 0x20) or non-ASCII; bytes above the first
                // flagged one may be flagged by a borrow, but the lowest is exact
                long special = (((x ^ 0x2222222222222222L) - ONES) | ((x ^ 0x5C5C5C5C5C5C5C5CL) - ONES)
                        | (x - 0x2020202020202020L) | x) & HIGHS;
                if (special != 0) {
                    p += Long.numberOfTrailingZeros(special) >>> 3;
                    break;
                }
                p += 8;
            }
            if (p >= end) {
                throw DECLINE;
            }
            int c = b[p] & 0xFF;
            if (c == '"') {
                strEnd = p;
                pos = p + 1;
                return;
            } else if (c == '\\') {
                strEscaped = true;
                if (++p >= end) {
                    throw DECLINE;
                }
                switch (b[p]) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> p++;
                    case 'u' -> {
                        if (p + 4 >= end) {
                            throw DECLINE;
                        }
                        int v = 0;
                        for (int i = 1; i <= 4; i++) {
                            int d = Character.digit(b[p + i], 16);
                            if (d < 0) {
                                throw DECLINE;
                            }
                            v = v * 16 + d;
                        }
                        if (v >= 0xD800 && v <= 0xDFFF) {
                            throw DECLINE;
                        }
                        p += 5;
                    }
                    default -> throw DECLINE;
                }
            } else if (c < 0x20) {
                throw DECLINE;
            } else if (c < 0x80) {
                p++;
            } else {
                // one well-formed UTF-8 sequence: no overlong forms, no surrogates, at most U+10FFFF
                int more;
                int lo = 0x80;
                int hi = 0xBF;
                if (c >= 0xC2 && c <= 0xDF) {
                    more = 1;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    more = 2;
                    if (c == 0xE0) {
                        lo = 0xA0;
                    } else if (c == 0xED) {
                        hi = 0x9F;
                    }
                } else if (c >= 0xF0 && c <= 0xF4) {
                    more = 3;
                    if (c == 0xF0) {
                        lo = 0x90;
                    } else if (c == 0xF4) {
                        hi = 0x8F;
                    }
                } else {
                    throw DECLINE;
                }
                if (p + more >= end) {
                    throw DECLINE;
                }
                int c1 = b[p + 1] & 0xFF;
                if (c1 < lo || c1 > hi) {
                    throw DECLINE;
                }
                for (int i = 2; i <= more; i++) {
                    if ((b[p + i] & 0xC0) != 0x80) {
                        throw DECLINE;
                    }
                }
                p += more + 1;
            }
        }
    }
}
