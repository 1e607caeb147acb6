package dev.finetune4j.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.finetune4j.api.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the parameter classes: typed wire records become plain JSON maps, required keys are checked. */
final class Params {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private Params() {}

    /** A wire record (or map) as a JSON object map with snake_case keys and nulls dropped by the record. */
    static Map<String, Object> toMap(Object value) {
        if (value == null) return null;
        return Json.MAPPER.convertValue(value, MAP);
    }

    /** Any value as its JSON form (records to maps, lists of records to lists of maps). */
    static Object toJson(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return Json.MAPPER.convertValue(value, Object.class);
    }

    static Map<String, Object> copy(Map<String, ?> values) {
        return values == null ? new LinkedHashMap<>() : new LinkedHashMap<>(values);
    }

    static Map<String, Object> frozen(Map<String, Object> values) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static void require(Map<String, ?> values, String what, String... keys) {
        for (String key : keys) {
            if (values.get(key) == null) {
                throw new IllegalArgumentException(what + ": '" + key + "' is required");
            }
        }
    }
}
