package dev.finetune4j.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** URL encoding rules shared by every endpoint: RFC 3986 path segments and bracketed query parameters. */
final class Urls {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Urls() {}

    /**
     * Percent-encodes one path segment. Unreserved characters, sub-delimiters, {@code :} and {@code @} stay
     * literal (RFC 3986 {@code pchar}), so checkpoint names such as {@code ft:gpt-4o-mini:org::id} keep their
     * colons; {@code /}, {@code ?}, {@code #}, {@code %}, spaces and non-ASCII bytes are encoded.
     */
    static String encodeSegment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a path parameter must not be null or empty");
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isPchar(c)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return sb.toString();
    }

    private static boolean isPchar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
    }

    /**
     * Flattens query values the way the official SDKs do: maps become {@code key[sub]=v}, lists {@code key[]=v},
     * booleans {@code true}/{@code false}; null values are left out.
     */
    static List<Map.Entry<String, String>> flatten(Map<String, ?> params) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        params.forEach((k, v) -> flatten(k, v, out));
        return out;
    }

    private static void flatten(String key, Object value, List<Map.Entry<String, String>> out) {
        if (value == null) return;
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(key + "[" + k + "]", v, out));
        } else if (value instanceof Iterable<?> list) {
            for (Object v : list) flatten(key + "[]", v, out);
        } else {
            out.add(Map.entry(key, String.valueOf(value)));
        }
    }
}
