package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

class TablesTest {

    @Test
    void controlCharactersAreShownNotSentToTheTerminal() {
        assertThat(Tables.visible("a\nb\tc\rd")).isEqualTo("a\\nb\\tc\\rd");
        assertThat(Tables.visible("\u001b[31mred\u0008\u007f")).isEqualTo("\\u001b[31mred\\u0008\\u007f");
        assertThat(Tables.visible("café 東京 🙂")).isEqualTo("café 東京 🙂");
    }

    @Test
    void metricsHaveOneRowPerStepSortedWithNumericColumnsPerKey() {
        Table t = Tables.metrics(Fixtures.history(20, 10));

        assertThat(t.rowCount()).isEqualTo(20);
        assertThat(t.columnNames()).containsExactly("step", "train_loss", "train_mean_token_accuracy", "valid_loss",
                "valid_mean_token_accuracy", "full_valid_loss", "full_valid_mean_token_accuracy");
        assertThat(t.column("step").type()).isEqualTo(ColumnType.INTEGER);
        assertThat(t.column("train_loss").type()).isEqualTo(ColumnType.DOUBLE);
        assertThat(t.intColumn("step").asList()).isSorted().startsWith(1, 2, 3).endsWith(20);
        assertThat(t.doubleColumn("train_loss").get(3)).isEqualTo(5.0 / 4);
        // valid only every 5th step, full valid at epoch ends: the other cells are missing, not zero
        assertThat(t.doubleColumn("valid_loss").countMissing()).isEqualTo(16);
        assertThat(t.doubleColumn("full_valid_loss").countMissing()).isEqualTo(18);
        assertThat(t.doubleColumn("full_valid_loss").get(9)).isEqualTo(6.0 / 10 + 0.2);
    }

    @Test
    void modelsTakeCreatedAtWhenAServiceNamesItSo() {
        dev.finetune4j.api.Model azure = dev.finetune4j.api.Json.read(
                "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created_at\":1700000000}", dev.finetune4j.api.Model.class);
        Table t = Tables.models(List.of(azure));
        assertThat(t.instantColumn("created").get(0)).isEqualTo(java.time.Instant.ofEpochSecond(1700000000));
    }

    @Test
    void numbersWrittenAsStringsAreNumbers() {
        FineTuningJobEvent e = new FineTuningJobEvent("ev-1", FineTuningJobEvent.OBJECT, 1, "info", "Step 2", "metrics",
                java.util.Map.of("step", "2", "train_loss", "0.5", "note", "n/a"), null);
        Table t = Tables.metrics(List.of(e));
        assertThat(t.intColumn("step").asList()).containsExactly(2);
        assertThat(t.doubleColumn("train_loss").get(0)).isEqualTo(0.5);
        assertThat(t.columnNames()).doesNotContain("note");
    }

    @Test
    void metricsWithoutValidationHaveOnlyTrainColumns() {
        List<FineTuningJobEvent> events = List.of(
                Fixtures.metrics("b", 2, 2, 2, 0.5, null, null),
                Fixtures.metrics("a", 1, 1, 2, 0.9, null, null),
                Fixtures.message("m", 0, "started"));
        Table t = Tables.metrics(events);
        assertThat(t.columnNames()).containsExactly("step", "train_loss", "train_mean_token_accuracy");
        assertThat(t.intColumn("step").asList()).containsExactly(1, 2);
    }

    @Test
    void aRepeatedStepKeepsTheLatestReport() {
        // a job resumed from a checkpoint reports steps 3..4 again; the second report wins
        List<FineTuningJobEvent> oldestFirst = new ArrayList<>();
        for (int s = 1; s <= 4; s++) oldestFirst.add(Fixtures.metrics("a" + s, 10 + s, s, 4, 1.0 + s, null, null));
        oldestFirst.add(Fixtures.metrics("b3", 30, 3, 4, 0.3, null, null));
        oldestFirst.add(Fixtures.metrics("b4", 31, 4, 4, 0.4, null, null));
        Table t = Tables.metrics(oldestFirst);
        assertThat(t.rowCount()).isEqualTo(4);
        assertThat(t.doubleColumn("train_loss").asList()).containsExactly(2.0, 3.0, 0.3, 0.4);
    }

    @Test
    void eventsAreListedOldestFirstWithStepsForMetricEvents() {
        Table t = Tables.events(Fixtures.history(6, 3));
        assertThat(t.rowCount()).isEqualTo(8);
        assertThat(t.columnNames()).containsExactly("created_at", "level", "type", "step", "message", "id");
        assertThat(t.stringColumn("id").get(0)).isEqualTo("ev-0");
        assertThat(t.stringColumn("id").get(7)).isEqualTo("ev-7");
        // events of the same second keep their emission order
        assertThat(t.stringColumn("id").asList()).containsExactly("ev-0", "ev-1", "ev-2", "ev-3", "ev-4", "ev-5",
                "ev-6", "ev-7");
        assertThat(t.intColumn("step").isMissing(0)).isTrue();
        assertThat(t.intColumn("step").get(3)).isEqualTo(3);
    }

    @Test
    void checkpointsAreSortedByStepWithTheirMetrics() {
        Table t = Tables.checkpoints(List.of(Fixtures.checkpoint("ftjob-1", 20, 0.2, 0.4),
                Fixtures.checkpoint("ftjob-1", 10, 0.5, null)));
        assertThat(t.columnNames()).containsExactly("step", "model", "created_at", "id", "train_loss",
                "train_mean_token_accuracy", "full_valid_loss");
        assertThat(t.intColumn("step").asList()).containsExactly(10, 20);
        assertThat(t.stringColumn("model").get(1)).endsWith(":ckpt-step-20");
        assertThat(t.doubleColumn("full_valid_loss").isMissing(0)).isTrue();
    }

    @Test
    void jobsFlattenHyperparametersAndMetadata() {
        FineTuningJob a = Json.read("""
                {"id":"ftjob-a","object":"fine_tuning.job","created_at":100,"finished_at":160,"model":"nano",
                 "status":"succeeded","fine_tuned_model":"ft:nano:org:exp:ftjob-a","trained_tokens":1234,
                 "training_file":"file-1","validation_file":null,"result_files":[],"seed":7,
                 "method":{"type":"supervised","supervised":{"hyperparameters":
                   {"n_epochs":2,"batch_size":4,"learning_rate_multiplier":0.5}}},
                 "metadata":{"experiment":"lr"}}""", FineTuningJob.class);
        FineTuningJob b = Json.read("""
                {"id":"ftjob-b","object":"fine_tuning.job","created_at":200,"model":"nano","status":"running",
                 "training_file":"file-1","result_files":[],"seed":8,
                 "hyperparameters":{"n_epochs":"auto","batch_size":1,"learning_rate_multiplier":2.0}}""",
                FineTuningJob.class);
        Table t = Tables.jobs(List.of(a, b));
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.columnNames()).contains("id", "model", "method", "status", "created_at", "finished_at",
                "duration_s", "trained_tokens", "n_epochs", "batch_size", "learning_rate_multiplier", "suffix",
                "metadata");
        assertThat(t.doubleColumn("duration_s").get(0)).isEqualTo(60.0);
        assertThat(t.doubleColumn("duration_s").isMissing(1)).isTrue();
        assertThat(t.doubleColumn("learning_rate_multiplier").asList()).containsExactly(0.5, 2.0);
        // "auto" (not chosen yet) is missing, so the column is numeric whichever jobs are listed
        assertThat(t.doubleColumn("n_epochs").get(0)).isEqualTo(2.0);
        assertThat(t.doubleColumn("n_epochs").isMissing(1)).isTrue();
        assertThat(t.doubleColumn("learning_rate_multiplier").getString(0)).isEqualTo("0.5");
        assertThat(t.stringColumn("suffix").get(0)).isEqualTo("exp");
        assertThat(t.stringColumn("metadata").get(0)).isEqualTo("experiment=lr");
        assertThat(t.longColumn("trained_tokens").isMissing(1)).isTrue();

        Table side = Tables.vertical(t);
        assertThat(side.columnNames()).containsExactly("field", "ftjob-a", "ftjob-b");
        assertThat(side.rowCount()).isEqualTo(t.columnCount());
        int row = side.stringColumn("field").indexOf("learning_rate_multiplier");
        assertThat(side.stringColumn("ftjob-a").get(row)).isEqualTo("0.5");
        assertThat(side.stringColumn("ftjob-b").get(side.stringColumn("field").indexOf("n_epochs"))).isEmpty();
        assertThat(Tables.vertical(t.first(1)).columnNames()).containsExactly("field", "value");
        // every field prints, beyond Tablesaw's 20 rows
        Table wide = Table.create("summary");
        for (int i = 0; i < 28; i++) wide.addColumns(tech.tablesaw.api.IntColumn.create("field_" + i, new int[] {i}));
        String printed = Tables.vertical(wide).toString();
        assertThat(printed).doesNotContain("...").contains("field_0").contains("field_14").contains("field_27");
    }
}
