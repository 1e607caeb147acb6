package dev.finetune4j.server;

import dev.finetune4j.server.Rows.CheckpointRow;
import dev.finetune4j.server.Rows.ModelRow;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Model names the server answers to. Local base models go by their configuration names ({@code nano},
 * {@code micro}, ...). OpenAI model names are aliases of a local configuration, so scripts written for the
 * real service run unchanged:
 * <ul>
 *   <li>{@code babbage-002}, {@code davinci-002}, {@code gpt-3.5-turbo*}, {@code gpt-4.1-nano*} train {@code nano};</li>
 *   <li>{@code gpt-4o-mini*}, {@code gpt-4.1-mini*}, {@code o4-mini*} train {@code micro};</li>
 *   <li>{@code gpt-4o*}, {@code gpt-4.1*} (and any other {@code gpt-}/{@code o} family name listed below) train
 *       {@code mini} when the engine has it, else the largest configuration it has.</li>
 * </ul>
 * Fine-tuned models ({@code ft:…}) and checkpoints ({@code ft:…:ckpt-step-N}) belong to a project.
 */
final class ModelCatalog {
    static final String OWNER = "finetune4j";

    /** A snapshot date after an alias: {@code 2024-07-18}, or the older month and day, {@code 0125}. */
    private static final Pattern SNAPSHOT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}|(0[1-9]|1[0-2])[0-3]\\d");

    /** Alias prefix → preferred local configuration; the longest matching prefix wins. */
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        ALIASES.put("babbage-002", "nano");
        ALIASES.put("davinci-002", "nano");
        ALIASES.put("gpt-3.5-turbo", "nano");
        ALIASES.put("gpt-4.1-nano", "nano");
        ALIASES.put("gpt-4o-mini", "micro");
        ALIASES.put("gpt-4.1-mini", "micro");
        ALIASES.put("o4-mini", "micro");
        ALIASES.put("gpt-4o", "mini");
        ALIASES.put("gpt-4.1", "mini");
    }

    /** What a model name stands for: a configuration and its weights (null for base weights). */
    record Resolved(String name, String config, Path weights, boolean base) {}

    private final List<String> configurations;
    private final Database db;
    private final JobStore jobs;

    ModelCatalog(List<String> configurations, Database db, JobStore jobs) {
        this.configurations = List.copyOf(configurations);
        this.db = db;
        this.jobs = jobs;
    }

    List<String> configurations() {
        return configurations;
    }

    /**
     * The local configuration a base model name (local or alias) trains, or null. An alias is an OpenAI name, alone
     * or with a snapshot suffix ({@code gpt-4o-mini-2024-07-18}, {@code gpt-3.5-turbo-0125}); anything else after it
     * is more likely a typo ({@code gpt-4o-mni}) than a model, and is not taken.
     */
    String baseConfig(String name) {
        if (configurations.contains(name)) return name;
        String best = null;
        for (String prefix : ALIASES.keySet()) {
            boolean matches = name.equals(prefix)
                    || name.startsWith(prefix + "-") && SNAPSHOT.matcher(name.substring(prefix.length() + 1)).matches();
            if (matches && (best == null || prefix.length() > best.length())) best = prefix;
        }
        if (best == null) return null;
        String preferred = ALIASES.get(best);
        return configurations.contains(preferred) ? preferred : configurations.get(configurations.size() - 1);
    }

    /** A model the caller may use, or null: base, own fine-tuned, own or granted checkpoint. */
    Resolved resolve(String name, Caller caller) {
        String config = baseConfig(name);
        if (config != null) return new Resolved(name, config, null, true);
        ModelRow m = model(name);
        if (m != null && m.projectId().equals(caller.projectId())) {
            return new Resolved(name, m.config(), Path.of(m.weights()), false);
        }
        CheckpointRow c = jobs.checkpointByName(name);
        if (c != null && (c.projectId().equals(caller.projectId()) || granted(name, caller.projectId()))) {
            return new Resolved(name, c.config(), Path.of(c.weights()), false);
        }
        return null;
    }

    ModelRow model(String name) {
        return db.queryOne("SELECT * FROM models WHERE id = ?", ModelRow::of, name);
    }

    List<ModelRow> models(String projectId) {
        return db.query("SELECT * FROM models WHERE project_id = ? ORDER BY created_at, id", ModelRow::of, projectId);
    }

    List<CheckpointRow> checkpoints(String projectId) {
        return db.query("SELECT * FROM checkpoints WHERE project_id = ? OR model_name IN"
                        + " (SELECT checkpoint FROM permissions WHERE project_id = ?) ORDER BY created_at, seq",
                CheckpointRow::of, projectId, projectId);
    }

    boolean granted(String checkpoint, String projectId) {
        return db.queryLong("SELECT 1 FROM permissions WHERE checkpoint = ? AND project_id = ?",
                checkpoint, projectId) != null;
    }
}
