package dev.finetune4j.notebook;

import dev.finetune4j.api.CheckpointMetrics;
import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.FineTuningJobEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events and checkpoints as the API sends them, built for tests. */
final class Fixtures {
    private Fixtures() {}

    static FineTuningJobEvent message(String id, long createdAt, String text) {
        return new FineTuningJobEvent(id, FineTuningJobEvent.OBJECT, createdAt, "info", text,
                FineTuningJobEvent.TYPE_MESSAGE, null, null);
    }

    /** A metrics event for {@code step} with a train loss, and valid/full-valid values when given (else absent). */
    static FineTuningJobEvent metrics(String id, long createdAt, int step, int total, double trainLoss,
                                      Double validLoss, Double fullValidLoss) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        data.put("total_steps", total);
        data.put("train_loss", trainLoss);
        data.put("train_mean_token_accuracy", 1 - trainLoss / 10);
        if (validLoss != null) {
            data.put("valid_loss", validLoss);
            data.put("valid_mean_token_accuracy", 1 - validLoss / 10);
        }
        if (fullValidLoss != null) {
            data.put("full_valid_loss", fullValidLoss);
            data.put("full_valid_mean_token_accuracy", 1 - fullValidLoss / 10);
        }
        String msg = "Step " + step + "/" + total + ": training loss=" + trainLoss;
        return new FineTuningJobEvent(id, FineTuningJobEvent.OBJECT, createdAt, "info", msg,
                FineTuningJobEvent.TYPE_METRICS, data, null);
    }

    /**
     * A job's history newest first, as the events endpoint lists it: a created message, then {@code steps}
     * metric events (loss 5/step), valid loss every 5th step, full valid at {@code epochEvery}, then a done message.
     */
    static List<FineTuningJobEvent> history(int steps, int epochEvery) {
        List<FineTuningJobEvent> oldestFirst = new ArrayList<>();
        oldestFirst.add(message("ev-0", 1000, "Created fine-tuning job"));
        for (int s = 1; s <= steps; s++) {
            Double valid = s % 5 == 0 ? 6.0 / s + 0.1 : null;
            Double full = s % epochEvery == 0 ? 6.0 / s + 0.2 : null;
            oldestFirst.add(metrics("ev-" + s, 1000 + s / 3, s, steps, 5.0 / s, valid, full));
        }
        oldestFirst.add(message("ev-" + (steps + 1), 1000 + steps / 3 + 1, "The job has successfully completed"));
        List<FineTuningJobEvent> newestFirst = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }

    static FineTuningJobCheckpoint checkpoint(String job, int step, double trainLoss, Double fullValidLoss) {
        CheckpointMetrics m = new CheckpointMetrics((double) step, trainLoss, 0.5, null, null, fullValidLoss, null, null);
        return new FineTuningJobCheckpoint("ftckpt-" + step, FineTuningJobCheckpoint.OBJECT, 2000 + step,
                "ft:nano:org:x:" + job + ":ckpt-step-" + step, job, m, step, null);
    }
}
