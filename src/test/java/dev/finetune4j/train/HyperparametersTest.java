package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HyperparametersTest {

    @Test
    void autoEpochsFollowsTheCookbookRule() {
        assertThat(Hyperparameters.autoEpochs(1)).isEqualTo(25);
        assertThat(Hyperparameters.autoEpochs(10)).isEqualTo(10);
        assertThat(Hyperparameters.autoEpochs(30)).isEqualTo(3);
        assertThat(Hyperparameters.autoEpochs(34)).isEqualTo(3);
        assertThat(Hyperparameters.autoEpochs(33)).isEqualTo(3);
        assertThat(Hyperparameters.autoEpochs(20)).isEqualTo(5);
        assertThat(Hyperparameters.autoEpochs(1000)).isEqualTo(3);
        assertThat(Hyperparameters.autoEpochs(10_000)).isEqualTo(2);
        assertThat(Hyperparameters.autoEpochs(100_000)).isEqualTo(1);
    }

    @Test
    void autoBatchAndLearningRate() {
        assertThat(Hyperparameters.autoBatchSize(10)).isEqualTo(1);
        assertThat(Hyperparameters.autoBatchSize(104)).isEqualTo(4);
        assertThat(Hyperparameters.autoBatchSize(100_000)).isEqualTo(32);
        assertThat(Hyperparameters.autoLearningRateMultiplier(4)).isEqualTo(1.0);
        assertThat(Hyperparameters.autoLearningRateMultiplier(1)).isEqualTo(0.5);
        assertThat(Hyperparameters.autoLearningRateMultiplier(32)).isEqualTo(2.0);
    }

    @Test
    void explicitValuesWinAndAreChecked() {
        Hyperparameters hp = Hyperparameters.resolve(7, null, 0.3, 104);
        assertThat(hp).isEqualTo(new Hyperparameters(7, 4, 0.3));
        assertThat(hp.stepsPerEpoch(104)).isEqualTo(26);
        assertThat(hp.stepsPerEpoch(105)).isEqualTo(27);
        assertThatThrownBy(() -> Hyperparameters.resolve(0, null, null, 10)).hasMessageContaining("n_epochs");
        assertThatThrownBy(() -> Hyperparameters.resolve(null, 300, null, 10)).hasMessageContaining("batch_size");
        assertThatThrownBy(() -> Hyperparameters.resolve(null, null, 0.0, 10)).hasMessageContaining("learning_rate_multiplier");
    }
}
