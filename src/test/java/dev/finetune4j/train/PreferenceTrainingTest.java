package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DPO on the small model: the loss DPO starts from, what it learns, and the same bits whatever the threads. */
class PreferenceTrainingTest {
    @TempDir
    Path dir;

    private static final String[][] FACTS = {
        {"Colour of the sky?", "Blue.", "Green."}, {"Capital of France?", "Paris.", "Rome."},
        {"2 + 2?", "4.", "5."}, {"Opposite of hot?", "Cold.", "Warm."}, {"Colour of grass?", "Green.", "Red."},
        {"Capital of Italy?", "Rome.", "Paris."}, {"3 + 3?", "6.", "7."}, {"Opposite of up?", "Down.", "Left."},
    };

    static List<PreferencePair> pairs() {
        List<PreferencePair> out = new ArrayList<>();
        for (String[] f : FACTS) {
            out.add(new PreferencePair(List.of(ChatMessage.of("system", "Answer briefly."), ChatMessage.of("user", f[0])),
                    f[1], f[2]));
        }
        return out;
    }

    private static Trainer trainer(int threads, int epochs) {
        List<PreferencePair> all = pairs();
        return Trainer.createPreference(GptModel.init(TrainingRuns.SMALL, 5), all.subList(0, 6), all.subList(6, 8),
                new Hyperparameters(epochs, 2, 2.0), 0.5, 11, threads);
    }

    @Test
    void theFirstStepStartsAtLogTwo() throws Exception {
        // before any update the model is its own reference: every margin is 0 and the loss is -log sigmoid(0)
        TrainingRuns.PauseAt r = new TrainingRuns.PauseAt(1);
        trainer(2, 1).run(r, r.control);
        assertThat(r.steps.get(0).trainLoss()).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void learnsToPreferThePreferredAnswers() throws Exception {
        Trainer t = trainer(2, 15);
        TrainingRuns.Recorder r = new TrainingRuns.Recorder();
        assertThat(t.run(r, new TrainingControl())).isEqualTo(TrainingOutcome.COMPLETED);
        TrainingMetrics last = r.steps.get(r.steps.size() - 1);
        assertThat(r.steps).hasSize(45); // 6 pairs in batches of 2, 15 epochs
        assertThat(last.trainLoss()).as("DPO loss after training").isLessThan(0.35);
        // the preferred answers became likelier than the others, against the starting model
        GptModel start = GptModel.init(TrainingRuns.SMALL, 5);
        for (PreferencePair p : pairs().subList(0, 6)) {
            double margin = TrainingRuns.logProb(t.model(), p.chosen()) - TrainingRuns.logProb(t.model(), p.rejected());
            double startMargin = TrainingRuns.logProb(start, p.chosen()) - TrainingRuns.logProb(start, p.rejected());
            assertThat(margin).as(p.prompt().get(1).content()).isGreaterThan(startMargin + 1);
        }
    }

    @Test
    void sameBitsForAnyThreadCountAndAfterResuming() throws Exception {
        Trainer one = trainer(1, 2);
        TrainingRuns.Recorder r1 = new TrainingRuns.Recorder();
        one.run(r1, new TrainingControl());

        Trainer first = trainer(2, 2);
        TrainingRuns.PauseAt r2 = new TrainingRuns.PauseAt(2);
        assertThat(first.run(r2, r2.control)).isEqualTo(TrainingOutcome.PAUSED);
        Path cp = dir.resolve("dpo.f4jc");
        first.saveCheckpoint(cp);
        List<PreferencePair> all = pairs();
        Trainer resumed = Trainer.resume(cp, PreferencePair.interleaved(all.subList(0, 6)),
                PreferencePair.interleaved(all.subList(6, 8)), 2);
        resumed.run(r2, new TrainingControl());
        assertThat(r2.steps).isEqualTo(r1.steps);
        assertThat(resumed.model().sameWeights(one.model())).isTrue();
    }

    @Test
    void badSettingsAreRefused() {
        GptModel m = GptModel.init(TrainingRuns.SMALL, 5);
        Hyperparameters hp = new Hyperparameters(1, 2, 1.0);
        assertThatThrownBy(() -> Trainer.createPreference(m, pairs(), List.of(), hp, 0, 1, 1))
                .hasMessageContaining("beta");
        assertThatThrownBy(() -> Trainer.createPreference(m, pairs(), List.of(), hp, 2.5, 1, 1))
                .hasMessageContaining("beta");
        assertThatThrownBy(() -> Trainer.createPreference(m, List.of(), List.of(), hp, 0.1, 1, 1))
                .hasMessageContaining("empty");
    }
}
