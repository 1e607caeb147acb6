package dev.finetune4j.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** Normalises the {@code extra} map of wire records: fields a newer API sends that a record does not name. */
final class Extra {
    private Extra() {}

    static Map<String, Object> of(Map<String, Object> extra) {
        return extra == null ? new LinkedHashMap<>() : extra;
    }
}
