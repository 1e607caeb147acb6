package dev.finetune4j.notebook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.finetune4j.api.FineTuneMethod;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.Hyperparameters;
import dev.finetune4j.api.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a job was asked to do, flattened for tables: method, hyperparameters, suffix, duration. */
record RunConfig(FineTuningJob job, String method, Map<String, Object> hyperparameters, String suffix) {

    static RunConfig of(FineTuningJob job) {
        FineTuneMethod m = job.method();
        String method = m != null && m.type() != null ? m.type() : FineTuneMethod.SUPERVISED;
        Hyperparameters hp = m != null && m.hyperparameters() != null ? m.hyperparameters() : job.hyperparameters();
        return new RunConfig(job, method, flatten(hp), suffix(job));
    }

    /** Hyperparameters as snake_case keys to values (a number, or a string such as {@code "auto"}). */
    static Map<String, Object> flatten(Hyperparameters hp) {
        if (hp == null) return new LinkedHashMap<>();
        Map<String, Object> map = Json.MAPPER.convertValue(hp, new TypeReference<LinkedHashMap<String, Object>>() {});
        map.values().removeIf(v -> v == null || v instanceof Map || v instanceof Iterable);
        return map;
    }

    /**
     * The user's suffix: the service reports it as {@code user_provided_suffix}; otherwise it is read from the
     * fine-tuned model name {@code ft:<base>:<org>:<suffix>:<id>}.
     */
    static String suffix(FineTuningJob job) {
        if (job.userProvidedSuffix() != null) return job.userProvidedSuffix();
        String name = job.fineTunedModel();
        if (name != null && name.startsWith("ft:")) {
            String[] parts = name.split(":");
            if (parts.length >= 5) return parts[3];
        }
        return null;
    }

    /**
     * A reinforcement job's grader in a few characters: its type and name, and a short hash of its whole definition,
     * which tells apart graders of one name with other settings. Example: {@code string_check exact #3f2a}.
     */
    static String grader(FineTuneMethod method) {
        if (method == null || method.reinforcement() == null || method.reinforcement().grader() == null) return null;
        Map<String, Object> g = method.reinforcement().grader();
        String canonical; // keys sorted: the same grader written in another key order is the same grader
        try {
            canonical = Json.MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(g);
        } catch (JsonProcessingException e) {
            canonical = String.valueOf(g);
        }
        String hash = String.format("%04x", canonical.hashCode() & 0xFFFF);
        Object name = g.get("name");
        return g.get("type") + (name == null ? "" : " " + name) + " #" + hash;
    }

    /** Seconds from creation to finish, or null while the job has not finished. */
    Double durationSeconds() {
        return job.finishedAt() == null ? null : (double) (job.finishedAt() - job.createdAt());
    }

    /** Everything that defines the run, for the config-difference table of a comparison. */
    Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", job.model());
        out.put("method", method);
        hyperparameters.forEach(out::put);
        String grader = grader(job.method());
        if (grader != null) out.put("grader", grader);
        out.put("seed", job.seed());
        out.put("suffix", suffix);
        out.put("training_file", job.trainingFile());
        out.put("validation_file", job.validationFile());
        if (job.metadata() != null) job.metadata().forEach((k, v) -> out.put("metadata." + k, v));
        return out;
    }
}
