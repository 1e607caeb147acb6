package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.train.Hyperparameters;
import org.junit.jupiter.api.Test;

/**
 * The cookbook's default-epochs rule lives twice, since {@code train} depends on nothing and {@code data} not on
 * {@code train}: the estimate users see and the epochs the local server trains must stay the same rule.
 */
class DefaultEpochsAgreementTest {
    @Test
    void estimateAndTrainerPickTheSameEpochs() {
        for (int n = 1; n <= 30_000; n += n < 200 ? 1 : 97) {
            assertThat(TrainingEstimate.defaultEpochs(n)).as("examples: %d", n).isEqualTo(Hyperparameters.autoEpochs(n));
        }
    }
}
