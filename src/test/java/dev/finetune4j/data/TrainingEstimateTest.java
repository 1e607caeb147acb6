package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrainingEstimateTest {

    @Test
    void defaultEpochsAsTheCookbook() {
        assertThat(TrainingEstimate.defaultEpochs(1)).isEqualTo(25);
        assertThat(TrainingEstimate.defaultEpochs(10)).isEqualTo(10);
        assertThat(TrainingEstimate.defaultEpochs(33)).isEqualTo(3);
        assertThat(TrainingEstimate.defaultEpochs(30)).isEqualTo(3);
        assertThat(TrainingEstimate.defaultEpochs(20)).isEqualTo(5);
        assertThat(TrainingEstimate.defaultEpochs(1000)).isEqualTo(3);
        assertThat(TrainingEstimate.defaultEpochs(8334)).isEqualTo(2);
        assertThat(TrainingEstimate.defaultEpochs(30_000)).isEqualTo(1);
    }

    @Test
    void billedTokensAreCappedPerExampleAndMultipliedByEpochs() {
        DatasetStats stats = new DatasetStats("test", 100, true, false);
        for (int tokens : new int[] {10, 50, 100, 250}) {
            stats.addExample(2);
            stats.addTokens(tokens, tokens / 2);
        }
        TrainingEstimate e = TrainingEstimate.of(stats);
        assertThat(e.epochs()).isEqualTo(25);
        assertThat(e.billingTokensPerEpoch()).isEqualTo(10 + 50 + 100 + 100);
        assertThat(e.trainedTokens()).isEqualTo(260 * 25);
        assertThat(e.cost(8.0)).isCloseTo(260 * 25 * 8.0 / 1e6, within(1e-12));
        assertThat(TrainingEstimate.of(stats, 2).trainedTokens()).isEqualTo(520);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainingEstimate.of(stats, -3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("epochs must be at least 1, got -3");
        assertThat(stats.examplesOverLimit()).isEqualTo(1);
        assertThat(TrainingEstimate.of(stats, 1).toString()).startsWith("4 examples x 1 epoch: ").endsWith(" (counted with test)");
        assertThat(TrainingEstimate.of(stats, 1).tokenizer()).isEqualTo("test");
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        IntDistribution d = new IntDistribution();
        for (int v : new int[] {1, 2, 3, 4, 10}) {
            d.add(v);
        }
        // numpy.quantile([1,2,3,4,10], [0.5, 0.9, 0.05]) = [3.0, 7.6, 1.2]
        assertThat(d.percentile(0.5)).isEqualTo(3.0);
        assertThat(d.percentile(0.9)).isCloseTo(7.6, within(1e-9));
        assertThat(d.percentile(0.05)).isCloseTo(1.2, within(1e-9));
        assertThat(d.mean()).isEqualTo(4.0);
        assertThat(d.countBetween(2, 5)).isEqualTo(3);
        assertThat(d.sumCappedAt(3)).isEqualTo(1 + 2 + 3 + 3 + 3);
    }

    @Test
    void valuesBeyondTheSlotsKeepTheirValues() {
        IntDistribution d = new IntDistribution();
        for (int i = 0; i < 11; i++) d.add(19);
        d.add(2_500_013);
        // numpy.percentile([19] * 11 + [2500013], 95) = 1125016.3
        assertThat(d.percentile(0.95)).isCloseTo(1_125_016.3, org.assertj.core.data.Offset.offset(0.01));
        assertThat(d.countBetween(2_400_000, 2_600_000)).isEqualTo(1);
        assertThat(d.countBetween(1_000_000, 1_100_000)).isZero();
        assertThat(d.countBetween(0, 20)).isEqualTo(11);
        d.add(1_500_000);
        d.add(1_500_000);
        assertThat(d.countBetween(IntDistribution.CAP, IntDistribution.CAP + 1)).isZero();
        assertThat(d.countBetween(1_400_000, 1_600_000)).isEqualTo(2);
        assertThat(d.countBetween(2_400_000, 2_600_000)).isEqualTo(1);
        // numpy.percentile([19] * 11 + [1500000, 1500000, 2500013], [80, 90]) = [600011.4, 1500000.0]
        assertThat(d.percentile(0.8)).isCloseTo(600_011.4, org.assertj.core.data.Offset.offset(0.01));
        assertThat(d.percentile(0.9)).isEqualTo(1_500_000.0);
        assertThat(d.sumCappedAt(2_000_000)).isEqualTo(11 * 19 + 2 * 1_500_000 + 2_000_000);
        IntDistribution other = new IntDistribution();
        other.add(3_000_000);
        d.merge(other);
        assertThat(d.max()).isEqualTo(3_000_000);
        assertThat(d.countBetween(2_500_000, 3_000_001)).isEqualTo(2);
    }
}
