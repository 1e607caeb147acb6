// A hyperparameter sweep: one run per learning rate, compared side by side -- what differs in their configs,
// their final and best metrics, their loss curves on one chart, and the best checkpoint of them all.
//
//   scripts/ftshell scripts/sweep.jsh        (from the project folder)
//
// Charts: target/plots/sweep-train-loss.png, target/plots/sweep-valid-loss.png, target/plots/sweep-batch-size.png.

import java.util.*;

// A script must fail loudly: a check that does not hold throws (scripts/ftshell then exits non-zero) and is
// counted for the exit status at the end.
int failedChecks = 0;
void check(boolean ok, String what) {
    if (ok) {
        System.out.println("  ok: " + what);
        return;
    }
    failedChecks++;
    throw new IllegalStateException("check failed: " + what);
}

System.out.println(ft.where());

// ---------------------------------------------------------------------------------------------------------------
// 1. The job every run shares: same data, epochs, batch size and seed. Only the grid's values change. Four epochs
//    teach this model little (it starts from scratch, and needs about fifty to learn the answers by heart): the point
//    is the comparison, which shows within a few epochs which learning rates are too low.
var base = ft.job("nano").
        train("data/sample_train.jsonl").
        validate("data/sample_valid.jsonl").
        epochs(4).batchSize(4).seed(1).
        metadata("example", "sweep");

// ---------------------------------------------------------------------------------------------------------------
// 2. Start one run per value (the grid may have several keys: every combination is a run). The files are uploaded
//    once; the runs are tagged with the same `sweep` metadata, so ft.runs(Map.of("sweep", tag)) finds them later.
var sweep = ft.sweep(base, Map.of("learning_rate_multiplier", List.of(0.5, 2.0, 6.0)));
System.out.println(sweep.config().print());

// 3. Wait for all of them (the local server trains one job at a time; the others queue). Each run ends with a warning
//    that its train loss is still high and that it needs more epochs: expected with four epochs.
sweep.await();

// ---------------------------------------------------------------------------------------------------------------
// 4. The comparison table: a row per run, the config fields that differ, final and best value of every metric.
var table = sweep.table();
System.out.println(table.print());

// The train loss of every run on one chart (smoothed, since a batch of 4 is noisy, as its title says), then the
// validation loss.
Charts.save(sweep.plotter("train_loss").smooth(0.8).title("train_loss, smoothed (EMA 0.8; raw values faded)").chart(),
        "target/plots/sweep-train-loss.png");
Charts.save(sweep.plot("full_valid_loss"), "target/plots/sweep-valid-loss.png");
System.out.println("charts: target/plots/sweep-train-loss.png, target/plots/sweep-valid-loss.png");

// ---------------------------------------------------------------------------------------------------------------
// 5. The best run by final train loss, and the best checkpoint of all runs by loss on the whole validation file.
//    A checkpoint is a model of its own: chat with it like with the final model. After four epochs it has not learnt
//    the answer yet (its train loss is still high).
var best = sweep.best("train_loss");
System.out.println("lowest final train loss: " + best.id() + ", learning_rate_multiplier "
        + best.job().hyperparameters().learningRateMultiplier());
System.out.println(sweep.checkpoints().print());
var bestCheckpoint = sweep.bestCheckpoint("full_valid_loss");
System.out.println("best checkpoint by full_valid_loss: " + bestCheckpoint.fineTunedModelCheckpoint()
        + " (step " + bestCheckpoint.stepNumber() + ")");
System.out.println("What is the capital of Japan?  expected: Tokyo.  it answers: "
        + sweep.runOf(bestCheckpoint).chat("What is the capital of Japan?", bestCheckpoint));

// ---------------------------------------------------------------------------------------------------------------
// 6. Runs survive the session: find this sweep again by its metadata.
String tag = sweep.runs().get(0).job().metadata().get("sweep");
System.out.println(ft.runs(Map.of("sweep", tag)).print());

// ---------------------------------------------------------------------------------------------------------------
// 7. Batch sizes: a run with batches of 2 takes four times the steps of one with batches of 8, so their curves
//    only line up against epochs. The learning rate is left to the service ("auto"), which scales it with the batch
//    size, so the labels show both. cmp.steps() is every step of every run in one long table.
var batches = ft.sweep(base, Map.of("batch_size", List.of(2, 8))).await();
Charts.save(batches.plotter("train_loss").x("epoch").smooth(0.6).chart(), "target/plots/sweep-batch-size.png");
var perStep = batches.steps();
System.out.println(perStep.summarize("train_loss", tech.tablesaw.aggregate.AggregateFunctions.min,
        tech.tablesaw.aggregate.AggregateFunctions.count).by("label").print());
System.out.println("chart: target/plots/sweep-batch-size.png");

check(sweep.runs().stream().allMatch(r -> r.status().equals("succeeded")), "every run of the sweep succeeded");
int smallBatchSteps = perStep.where(perStep.stringColumn("label").startsWith("batch_size=2")).rowCount();
int largeBatchSteps = perStep.where(perStep.stringColumn("label").startsWith("batch_size=8")).rowCount();
check(largeBatchSteps == 52 && smallBatchSteps == 4 * largeBatchSteps,
        "batches of 2 take four times the steps of batches of 8 (" + smallBatchSteps + " and " + largeBatchSteps + ")");
check(perStep.doubleColumn("epoch").max() == 4.0, "both runs end at epoch 4");
check(table.rowCount() == 3 && table.columnNames().contains("learning_rate_multiplier"),
        "the table has a row per run and the learning rate that differs");
double lowLr = table.doubleColumn("final_train_loss").get(0);
double highLr = table.doubleColumn("final_train_loss").get(2);
check(highLr < lowLr, "a higher learning rate lowers the train loss faster in 4 epochs ("
        + String.format("%.3f < %.3f", highLr, lowLr) + ")");
check(ft.runs(Map.of("sweep", tag)).rowCount() == 3, "ft.runs finds the sweep's three runs by metadata");
System.out.println(failedChecks == 0 ? "sweep: all checks passed" : "sweep: " + failedChecks + " check(s) FAILED");
/exit failedChecks == 0 ? 0 : 1
