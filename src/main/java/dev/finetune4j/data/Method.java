package dev.finetune4j.data;

import java.util.Locale;

/** The fine-tuning method a training file is meant for; {@code AUTO} detects it from the file. */
public enum Method {
    SUPERVISED("supervised"),
    DPO("dpo"),
    REINFORCEMENT("reinforcement"),
    AUTO("auto");

    private final String wireName;

    Method(String wireName) {
        this.wireName = wireName;
    }

    /** The name the API uses in {@code method.type}, e.g. {@code "dpo"}. */
    public String wireName() {
        return wireName;
    }

    /** Parses a {@code method.type} value; {@code null} means {@code AUTO}. Example: {@code Method.fromWire("dpo")}. */
    public static Method fromWire(String type) {
        if (type == null) {
            return AUTO;
        }
        for (Method m : values()) {
            if (m.wireName.equals(type.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method type '" + type + "'; expected supervised, dpo or reinforcement");
    }
}
