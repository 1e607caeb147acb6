package dev.finetune4j.server;

import io.javalin.http.Context;
import java.util.Set;

/** Query parameters and the caller of a request. */
final class RequestParams {
    static final String CALLER = "finetune4j.caller";

    private RequestParams() {}

    static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    static int limit(Context ctx, int defaultValue, int max) {
        String v = ctx.queryParam("limit");
        if (v == null || v.isEmpty()) return defaultValue;
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid type for 'limit': expected an integer, but got '" + v
                    + "' instead.", "limit", "invalid_type");
        }
        if (n < 1) {
            throw ApiException.badRequest("Invalid 'limit': integer below minimum value. Expected a value >= 1, but"
                    + " got " + n + " instead.", "limit", "integer_below_min_value");
        }
        if (n > max) {
            throw ApiException.badRequest("Invalid 'limit': integer above maximum value. Expected a value <= " + max
                    + ", but got " + n + " instead.", "limit", "integer_above_max_value");
        }
        return (int) n;
    }

    static String oneOf(Context ctx, String name, String defaultValue, Set<String> values) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return defaultValue;
        if (!values.contains(v)) {
            throw ApiException.badRequest("Invalid value for '" + name + "': expected one of "
                    + String.join(", ", values.stream().sorted().toList()) + ", but got '" + v + "' instead.",
                    name, "invalid_value");
        }
        return v;
    }

    static String after(Context ctx) {
        String v = ctx.queryParam("after");
        return v == null || v.isEmpty() ? null : v;
    }
}
