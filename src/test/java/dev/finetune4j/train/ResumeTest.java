package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
    @TempDir
    Path dir;

    @Test
    void stoppingAndResumingEqualsAnUninterruptedRun() throws Exception {
        Trainer full = TrainingRuns.trainer(2);
        TrainingRuns.Recorder uninterrupted = new TrainingRuns.Recorder();
        full.run(uninterrupted, new TrainingControl());

        for (int pauseAfter : new int[] {1, 3, 5}) { // mid-epoch and at an epoch boundary
            Trainer first = TrainingRuns.trainer(1);
            TrainingRuns.PauseAt p = new TrainingRuns.PauseAt(pauseAfter);
            assertThat(first.run(p, p.control)).isEqualTo(TrainingOutcome.PAUSED);
            assertThat(first.step()).isEqualTo(pauseAfter);
            Path cp = dir.resolve("pause-" + pauseAfter + ".f4jc");
            first.saveCheckpoint(cp);

            Trainer resumed = Trainer.resume(cp, TrainingRuns.train(), TrainingRuns.valid(), 2);
            TrainingRuns.Recorder rest = new TrainingRuns.Recorder();
            assertThat(resumed.run(rest, new TrainingControl())).isEqualTo(TrainingOutcome.COMPLETED);
            List<TrainingMetrics> all = new ArrayList<>(p.steps);
            all.addAll(rest.steps);
            assertThat(all).as("pause after " + pauseAfter).isEqualTo(uninterrupted.steps);
            assertThat(resumed.model().sameWeights(full.model())).as("pause after " + pauseAfter).isTrue();
        }
    }

    @Test
    void epochEndCheckpointsResumeToo() throws Exception {
        Trainer full = TrainingRuns.trainer(1);
        full.run(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochCheckpoint cp) throws java.io.IOException {
                cp.saveCheckpoint(dir.resolve("epoch-" + cp.epoch() + ".f4jc"));
                cp.saveModel(dir.resolve("epoch-" + cp.epoch() + ".f4jw"));
            }
        }, new TrainingControl());
        Trainer resumed = Trainer.resume(dir.resolve("epoch-2.f4jc"), TrainingRuns.train(), TrainingRuns.valid(), 1);
        assertThat(resumed.step()).isEqualTo(6);
        resumed.run(new TrainingListener() {}, new TrainingControl());
        assertThat(resumed.model().sameWeights(full.model())).isTrue();
        assertThat(GptModel.load(dir.resolve("epoch-3.f4jw")).sameWeights(full.model())).isTrue();
    }

    @Test
    void cancelStopsWithinOneStep() throws Exception {
        Trainer t = TrainingRuns.trainer(1);
        TrainingControl control = new TrainingControl();
        TrainingRuns.Recorder r = new TrainingRuns.Recorder() {
            @Override
            public void onStep(TrainingMetrics metrics) {
                super.onStep(metrics);
                if (metrics.step() == 2) control.cancel();
            }
        };
        assertThat(t.run(r, control)).isEqualTo(TrainingOutcome.CANCELLED);
        assertThat(r.steps).hasSize(2);
    }

    @Test
    void resumingWithOtherDataIsRefused() throws Exception {
        Trainer t = TrainingRuns.trainer(1);
        Path cp = dir.resolve("start.f4jc");
        t.saveCheckpoint(cp);
        List<ChatExample> other = new ArrayList<>(TrainingRuns.train());
        other.set(3, ChatExample.of(ChatMessage.of("user", "changed"), ChatMessage.of("assistant", "yes")));
        assertThatThrownBy(() -> Trainer.resume(cp, other, TrainingRuns.valid(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different training data");
    }
}
