package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeterminismTest {

    @Test
    void metricsAndWeightsAreBitIdenticalForAnyThreadCount() throws Exception {
        Trainer one = TrainingRuns.trainer(1);
        TrainingRuns.Recorder r1 = new TrainingRuns.Recorder();
        assertThat(one.run(r1, new TrainingControl())).isEqualTo(TrainingOutcome.COMPLETED);
        for (int threads : new int[] {2, 3}) {
            Trainer many = TrainingRuns.trainer(threads);
            TrainingRuns.Recorder rn = new TrainingRuns.Recorder();
            many.run(rn, new TrainingControl());
            assertThat(rn.steps).as("threads=" + threads).isEqualTo(r1.steps);
            assertThat(many.model().sameWeights(one.model())).as("threads=" + threads).isTrue();
        }
    }

    @Test
    void reportsTheOpenAiMetricKeysAndLearns() throws Exception {
        Trainer t = TrainingRuns.trainer(2);
        TrainingRuns.Recorder r = new TrainingRuns.Recorder();
        t.run(r, new TrainingControl());
        assertThat(t.totalSteps()).isEqualTo(9);
        assertThat(r.steps).hasSize(9);
        assertThat(r.epochEnds).containsExactly(3, 6, 9);
        TrainingMetrics first = r.steps.get(0), last = r.steps.get(8);
        assertThat(first.toMap()).containsKeys("step", "total_steps", "train_loss", "train_mean_token_accuracy",
                "valid_loss", "valid_mean_token_accuracy").doesNotContainKey("full_valid_loss");
        assertThat(r.steps.get(1).toMap()).doesNotContainKey("valid_loss");
        assertThat(r.steps.get(2).toMap()).containsKeys("valid_loss", "full_valid_loss", "full_valid_mean_token_accuracy");
        assertThat(last.toMap().get("step")).isEqualTo(9.0);
        assertThat(last.toMap().get("total_steps")).isEqualTo(9.0);
        assertThat(last.trainLoss()).isLessThan(first.trainLoss());
        assertThat(last.trainedTokens()).isEqualTo(3L * TrainingRuns.train().stream()
                .mapToInt(ChatTemplate::tokenCount).sum()).isEqualTo(3L * t.trainingTokensPerEpoch());
    }
}
