package dev.finetune4j.grade;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs several graders and combines their scores with the {@code calculate_output} formula (see {@link Formula}),
 * whose variables are the keys of {@code graders}. The map is the canonical form of {@code graders}; the parser
 * also accepts a single grader or an array, keyed by each grader's {@code name}.
 */
public record MultiGrader(String name, Map<String, Grader> graders, String calculateOutput) implements Grader {
    public static final String TYPE = "multi";

    public MultiGrader {
        graders = Collections.unmodifiableMap(new LinkedHashMap<>(graders));
    }

    @Override
    public String type() {
        return TYPE;
    }
}
