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
    void reinforcementAutoEpochsAreManyButCapTheCost() {
        assertThat(Hyperparameters.autoReinforcementEpochs(1)).isEqualTo(40);
        assertThat(Hyperparameters.autoReinforcementEpochs(104)).isEqualTo(40);
        assertThat(Hyperparameters.autoReinforcementEpochs(125)).isEqualTo(40);
        assertThat(Hyperparameters.autoReinforcementEpochs(126)).isEqualTo(39);
        assertThat(Hyperparameters.autoReinforcementEpochs(1000)).isEqualTo(5);
        assertThat(Hyperparameters.autoReinforcementEpochs(100_000)).isEqualTo(1);
        // batch size and learning rate as for supervised jobs; explicit values win
        assertThat(Hyperparameters.resolveReinforcement(null, null, null, 104)).isEqualTo(new Hyperparameters(40, 4, 1.0));
        assertThat(Hyperparameters.resolveReinforcement(3, 8, 0.5, 104)).isEqualTo(new Hyperparameters(3, 8, 0.5));
        assertThat(Hyperparameters.resolveReinforcement(null, 8, null, 1000))
                .isEqualTo(new Hyperparameters(5, 8, Math.sqrt(2)));
        assertThatThrownBy(() -> Hyperparameters.resolveReinforcement(null, null, null, 0)).hasMessageContaining("empty");
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
