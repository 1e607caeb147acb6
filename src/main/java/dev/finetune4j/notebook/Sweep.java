package dev.finetune4j.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A grid of hyperparameters: one run per combination, all tagged with the same {@code sweep} metadata so that
 * {@code ft.runs(Map.of("sweep", id))} finds them again. {@code ft.sweep(job, grid)} starts them and returns their
 * {@link Comparison}. Example:
 * {@code ft.sweep(ft.job("nano").train("t.jsonl"), Map.of("learning_rate_multiplier", List.of(0.5, 2.0))).await().plot()}.
 */
public final class Sweep {
    /** Metadata holds at most 16 pairs; the sweep tag and the grid values fit while the grid has at most 15 keys. */
    private static final int MAX_METADATA = 16;

    private Sweep() {}

    /**
     * Every combination of the grid's values, the first key varying slowest, in the grid's iteration order
     * (use a {@code LinkedHashMap} to choose it). Example: {@code Sweep.combinations(Map.of("n_epochs", List.of(1, 2)))}.
     */
    public static List<Map<String, Object>> combinations(Map<String, ? extends List<?>> grid) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, ? extends List<?>> axis : grid.entrySet()) {
            if (axis.getValue().isEmpty()) throw new IllegalArgumentException("no values for '" + axis.getKey() + "'");
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : axis.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /**
     * Starts one run per combination. Every field name and value is checked before the first job starts; when the
     * service still refuses a run, the runs started before it are cancelled and a {@link SweepFailedException}
     * says so (the refusal itself is thrown as it is when no run had started).
     */
    static List<Run> start(JobBuilder base, Map<String, ? extends List<?>> grid) {
        String tag = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> combos = combinations(grid);
        List<JobBuilder> jobs = new ArrayList<>();
        for (Map<String, Object> combo : combos) {
            JobBuilder b = base.copy().metadata("sweep", tag);
            combo.forEach(b::set);
            if (grid.size() < MAX_METADATA) combo.forEach((k, v) -> b.metadata(k, String.valueOf(v)));
            jobs.add(b);
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            try {
                runs.add(jobs.get(i).create());
            } catch (RuntimeException e) {
                if (runs.isEmpty()) throw e;
                List<String> cancelled = new ArrayList<>();
                List<String> notCancelled = new ArrayList<>();
                for (Run r : runs) {
                    try {
                        r.cancel();
                        cancelled.add(r.id());
                    } catch (RuntimeException c) {
                        notCancelled.add(r.id() + " (" + c.getMessage() + ")");
                    }
                }
                throw new SweepFailedException(combos.get(i), e, cancelled, notCancelled);
            }
        }
        return runs;
    }
}
