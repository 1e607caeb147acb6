package dev.finetune4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads JSON request bodies as trees, so that every fault gets the OpenAI-style 400 that names the
 * parameter: {@code Invalid type for 'seed': expected an integer, but got a string instead.}
 */
final class Body {
    private Body() {}

    /** The largest JSON body accepted; JSON requests of this API are small. */
    static final long MAX_JSON_BYTES = 16L << 20;

    /** The body as a JSON object; any other body is a 400. */
    static ObjectNode object(Context ctx) {
        JsonNode node;
        if (ctx.req().getContentLengthLong() > MAX_JSON_BYTES) throw tooLarge();
        try (InputStream in = new LimitedInputStream(ctx.bodyInputStream(), MAX_JSON_BYTES)) {
            node = Json.MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("We could not parse the JSON body of your request. The API expects a"
                    + " JSON payload, but what was sent was not valid JSON: " + e.getOriginalMessage(), null,
                    "invalid_json");
        } catch (LimitedInputStream.LimitException e) {
            throw tooLarge();
        } catch (IOException e) {
            ApiException slow = SlowBodyGuard.asApiError(e);
            if (slow != null) throw slow;
            throw ApiException.badRequest("Could not read the request body: " + e.getMessage(), null, null);
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badRequest("We could not parse the JSON body of your request. The API expects a"
                    + " JSON payload, but the body was empty.", null, "invalid_json");
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("Invalid type for request body: expected an object, but got "
                    + typeName(node) + " instead.", null, "invalid_type");
        }
        return (ObjectNode) node;
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "The request body is larger than " + MAX_JSON_BYTES + " bytes.",
                ApiException.INVALID_REQUEST, null, "request_too_large");
    }

    /** Refuses fields other than {@code allowed}, as the service does for unknown arguments. */
    static void onlyKnown(JsonNode obj, String prefix, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("Unrecognized request argument supplied: " + prefix + name,
                        prefix + name, "unknown_parameter");
            }
        }
    }

    /** The field, or null when absent or JSON null. */
    static JsonNode field(JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        return n == null || n.isNull() ? null : n;
    }

    static JsonNode required(JsonNode obj, String name, String param) {
        JsonNode n = field(obj, name);
        if (n == null) throw ApiException.missing(param);
        return n;
    }

    static String string(JsonNode n, String param) {
        if (n == null) return null;
        if (!n.isTextual()) throw invalidType(param, "a string", n);
        return n.asText();
    }

    static String requiredString(JsonNode obj, String name, String param) {
        return string(required(obj, name, param), param);
    }

    static String string(JsonNode n, String param, int minLength, int maxLength) {
        String s = string(n, param);
        if (s == null) return null;
        if (s.length() < minLength) {
            throw ApiException.badRequest("Invalid '" + param + "': string too short. Expected a string with"
                    + " minimum length " + minLength + ", but got a string with length " + s.length()
                    + " instead.", param, "string_below_min_length");
        }
        if (s.length() > maxLength) {
            throw ApiException.badRequest("Invalid '" + param + "': string too long. Expected a string with"
                    + " maximum length " + maxLength + ", but got a string with length " + s.length()
                    + " instead.", param, "string_above_max_length");
        }
        return s;
    }

    static Long integer(JsonNode n, String param, long min, long max) {
        if (n == null) return null;
        if (!(n.isIntegralNumber() || (n.isNumber() && n.asDouble() == Math.rint(n.asDouble())))) {
            throw invalidType(param, "an integer", n);
        }
        // the number as sent (1e40 stays 1.0E40), never as clamped to a long
        boolean belowMin = n.canConvertToLong() ? n.asLong() < min : n.asDouble() < 0;
        boolean aboveMax = n.canConvertToLong() ? n.asLong() > max : n.asDouble() > 0;
        if (belowMin) {
            throw ApiException.badRequest("Invalid '" + param + "': integer below minimum value. Expected a value"
                    + " >= " + min + ", but got " + n.asText() + " instead.", param, "integer_below_min_value");
        }
        if (aboveMax) {
            throw ApiException.badRequest("Invalid '" + param + "': integer above maximum value. Expected a value"
                    + " <= " + max + ", but got " + n.asText() + " instead.", param, "integer_above_max_value");
        }
        return n.asLong();
    }

    /** A number in {@code [min, max]}, or in {@code (min, max]} when {@code minExclusive}. */
    static Double number(JsonNode n, String param, double min, boolean minExclusive, double max) {
        if (n == null) return null;
        if (!n.isNumber()) throw invalidType(param, "a number", n);
        double v = n.asDouble();
        if (minExclusive ? v <= min : v < min) {
            throw ApiException.badRequest("Invalid '" + param + "': number below minimum value. Expected a value"
                    + (minExclusive ? " > " : " >= ") + fmt(min) + ", but got " + n.asText() + " instead.",
                    param, "decimal_below_min_value");
        }
        if (v > max) {
            throw ApiException.badRequest("Invalid '" + param + "': number above maximum value. Expected a value"
                    + " <= " + fmt(max) + ", but got " + n.asText() + " instead.", param, "decimal_above_max_value");
        }
        return v;
    }

    static Boolean bool(JsonNode n, String param) {
        if (n == null) return null;
        if (!n.isBoolean()) throw invalidType(param, "a boolean", n);
        return n.asBoolean();
    }

    static JsonNode object(JsonNode n, String param) {
        if (n != null && !n.isObject()) throw invalidType(param, "an object", n);
        return n;
    }

    static JsonNode array(JsonNode n, String param) {
        if (n != null && !n.isArray()) throw invalidType(param, "an array", n);
        return n;
    }

    static String enumValue(JsonNode n, String param, Set<String> values) {
        String s = string(n, param);
        if (s != null && !values.contains(s)) {
            throw ApiException.badRequest("Invalid value for '" + param + "': expected one of "
                    + String.join(", ", values.stream().sorted().map(v -> "'" + v + "'").toList())
                    + ", but got '" + s + "' instead.", param, "invalid_value");
        }
        return s;
    }

    static ApiException invalidType(String param, String expected, JsonNode got) {
        return ApiException.badRequest("Invalid type for '" + param + "': expected " + expected + ", but got "
                + typeName(got) + " instead.", param, "invalid_type");
    }

    static String typeName(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        if (n.isTextual()) return "a string";
        if (n.isIntegralNumber()) return "an integer";
        if (n.isNumber()) return "a decimal";
        if (n.isBoolean()) return "a boolean";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return "a value";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
