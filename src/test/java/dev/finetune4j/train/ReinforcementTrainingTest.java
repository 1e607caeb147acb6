package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reinforcement fine-tuning on the small model: rewards rise, and runs are exact whatever the threads. */
class ReinforcementTrainingTest {
    @TempDir
    Path dir;

    static List<List<ChatMessage>> prompts(int n) {
        List<List<ChatMessage>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(List.of(ChatMessage.of("user", "Question " + i + "?")));
        return out;
    }

    /** Rewards short answers: 1 for an empty one, 0 from 32 characters on. */
    static final RewardFunction SHORT = (index, answer) -> Math.max(0, 1 - answer.length() / 32.0);

    private static Trainer trainer(int threads, int epochs, ReinforcementOptions options) {
        return Trainer.createReinforcement(GptModel.init(TrainingRuns.SMALL, 9), prompts(8), SHORT, prompts(2), SHORT,
                new Hyperparameters(epochs, 4, 15.0), options, 13, threads);
    }

    @Test
    void theRewardRises() throws Exception {
        // the policy gradient alone, without the penalty that holds the model near its (here random) start
        TrainingRuns.Recorder r = new TrainingRuns.Recorder();
        ReinforcementOptions free = new ReinforcementOptions(4, 0, Trainer.VALID_EVERY, 0);
        assertThat(trainer(2, 15, free).run(r, new TrainingControl())).isEqualTo(TrainingOutcome.COMPLETED);
        assertThat(r.steps).hasSize(30); // 8 prompts in batches of 4, 15 epochs
        TrainingMetrics first = r.steps.get(0), last = r.steps.get(29);
        assertThat(first.toMap()).containsKeys("train_reward_mean", "valid_reward_mean").doesNotContainKey("train_loss");
        double end = lastEpochsReward(r);
        assertThat(end).as("mean reward of the last two epochs, from %.3f", first.trainRewardMean())
                .isGreaterThan(first.trainRewardMean() + 0.4);
        System.out.printf("reward %.3f -> %.3f, validation %.3f -> %.3f%n", first.trainRewardMean(), end,
                first.validRewardMean(), last.fullValidRewardMean());
        assertThat(last.fullValidRewardMean()).isGreaterThan(first.validRewardMean());

        // with the default penalty it still rises, by less
        TrainingRuns.Recorder held = new TrainingRuns.Recorder();
        trainer(2, 15, ReinforcementOptions.DEFAULT).run(held, new TrainingControl());
        assertThat(held.steps.get(0).trainRewardMean()).isEqualTo(first.trainRewardMean()); // the same first samples
        assertThat(lastEpochsReward(held)).isGreaterThan(first.trainRewardMean() + 0.1).isLessThan(end);
        // the divergence it reports: none before the first update, some after; none reported without the penalty
        assertThat(held.steps.get(0).trainKl()).isZero();
        assertThat(held.steps.get(29).trainKl()).isPositive();
        assertThat(first.trainKl()).isNull();
        assertThat(held.steps.get(1).toMap()).containsKey("train_kl");
    }

    private static double lastEpochsReward(TrainingRuns.Recorder r) {
        return r.steps.subList(26, 30).stream().mapToDouble(TrainingMetrics::trainRewardMean).average().orElseThrow();
    }

    @Test
    void theGradersUnitDoesNotChangeWhatIsLearnedUnderTheKlPenalty() throws Exception {
        // the same grader scoring 0..8 instead of 0..1 (a score_model grader's range, a python grader's points), or
        // 0..1/8 (a fuzzy_match grader, whose answers to a prompt score close together): the advantages are divided
        // by their spread, so the penalty weighs the same against them; 8 is a power of two, so the bits are equal
        ReinforcementOptions options = new ReinforcementOptions(4, ReinforcementOptions.DEFAULT_KL, Trainer.VALID_EVERY, 0);
        Trainer unit = trainer(2, 2, options);
        unit.run(new TrainingRuns.Recorder(), new TrainingControl());
        for (double scale : new double[] {8, 1 / 8.0}) {
            RewardFunction scaled = (index, answer) -> scale * SHORT.reward(index, answer);
            Trainer t = Trainer.createReinforcement(GptModel.init(TrainingRuns.SMALL, 9), prompts(8), scaled, prompts(2),
                    scaled, new Hyperparameters(2, 4, 15.0), options, 13, 2);
            t.run(new TrainingRuns.Recorder(), new TrainingControl());
            assertThat(t.model().sameWeights(unit.model())).as("weights after rewards times %s", scale).isTrue();
        }
    }

    @Test
    void sameBitsForAnyThreadCountAndAfterResuming() throws Exception {
        // options other than the defaults: the checkpoint must keep them
        ReinforcementOptions options = new ReinforcementOptions(6, 0.5, 3, 1);
        Trainer one = trainer(1, 3, options);
        TrainingRuns.Recorder r1 = new TrainingRuns.Recorder();
        one.run(r1, new TrainingControl());

        Trainer first = trainer(2, 3, options);
        TrainingRuns.PauseAt r2 = new TrainingRuns.PauseAt(1);
        first.run(r2, r2.control);
        Path cp = dir.resolve("rft.f4jc");
        first.saveCheckpoint(cp);
        List<ChatExample> train = prompts(8).stream().map(ChatExample::new).toList();
        List<ChatExample> valid = prompts(2).stream().map(ChatExample::new).toList();
        Trainer resumed = Trainer.resume(cp, train, valid, 2);
        assertThatThrownBy(() -> resumed.run(r2, new TrainingControl())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reward");
        resumed.rewards(SHORT, SHORT).run(r2, new TrainingControl());
        assertThat(r2.steps).isEqualTo(r1.steps);
        assertThat(resumed.model().sameWeights(one.model())).isTrue();
        // validation at step 1, every 3 steps and at each epoch's end (steps 2, 4 and 6)
        assertThat(r1.steps.stream().filter(m -> m.validRewardMean() != null).map(TrainingMetrics::step))
                .containsExactly(1, 2, 3, 4, 6);
    }

    @Test
    void theApiHyperparametersSetTheOptions() {
        // auto: 16 answers per prompt (compute_multiplier 4); 1 means the 4 of DEFAULT
        assertThat(ReinforcementOptions.fromApi(null, null, null)).isEqualTo(new ReinforcementOptions(16,
                ReinforcementOptions.DEFAULT.evalInterval(), ReinforcementOptions.DEFAULT.evalSamples()));
        assertThat(ReinforcementOptions.fromApi(1.0, null, null)).isEqualTo(ReinforcementOptions.DEFAULT);
        assertThat(ReinforcementOptions.fromApi(2.0, 5, 7)).isEqualTo(new ReinforcementOptions(8, 5, 7));
        assertThat(ReinforcementOptions.fromApi(0.01, null, null).samplesPerPrompt()).isEqualTo(2);
        assertThat(ReinforcementOptions.fromApi(10.0, null, null).samplesPerPrompt()).isEqualTo(32);
        assertThat(ReinforcementOptions.DEFAULT.klCoefficient()).isEqualTo(ReinforcementOptions.DEFAULT_KL);
        assertThatThrownBy(() -> new ReinforcementOptions(4, 0, 0)).hasMessageContaining("eval interval");
        assertThatThrownBy(() -> new ReinforcementOptions(4, -1, 10, 0)).hasMessageContaining("KL coefficient");
    }

    @Test
    void theKlPenaltyKeepsTheModelNearItsStart() throws Exception {
        // how far the log-probability of the starting model's own greedy answers moves in training, per prompt
        double free = drift(0), held = drift(2);
        System.out.printf("drift of the starting model's answers: %.3f without the penalty, %.3f with it%n", free, held);
        assertThat(held).isLessThan(free / 2);
    }

    private static double drift(double klCoefficient) throws Exception {
        GptModel start = GptModel.init(TrainingRuns.SMALL, 9);
        Trainer t = trainer(2, 15, new ReinforcementOptions(4, klCoefficient, Trainer.VALID_EVERY, 0));
        t.run(new TrainingRuns.Recorder(), new TrainingControl());
        ChatModel chat = new ChatModel(start);
        double sum = 0;
        for (List<ChatMessage> prompt : prompts(8)) {
            String answer = chat.complete(prompt, new SamplingOptions(0, 1, Trainer.MAX_ANSWER_TOKENS, List.of(), 0L), s -> { })
                    .text();
            List<ChatMessage> messages = new ArrayList<>(prompt);
            messages.add(ChatMessage.of("assistant", answer));
            ChatExample example = new ChatExample(messages);
            sum += Math.abs(TrainingRuns.logProb(t.model(), example) - TrainingRuns.logProb(start, example));
        }
        return sum / 8;
    }

    @Test
    void aStopRequestedWhileAnswersAreGradedDropsTheStepAndTheRunContinuesAsIfUninterrupted() throws Exception {
        ReinforcementOptions options = new ReinforcementOptions(4, 0, Trainer.VALID_EVERY, 0);
        TrainingRuns.Recorder whole = new TrainingRuns.Recorder();
        trainer(1, 2, options).run(whole, new TrainingControl());

        // a grader that is slow (a python grader waiting out its timeout): the request comes while it grades
        TrainingControl control = new TrainingControl();
        java.util.concurrent.atomic.AtomicInteger graded = new java.util.concurrent.atomic.AtomicInteger();
        RewardFunction stopsAtThird = (index, answer) -> {
            if (graded.incrementAndGet() == 3) control.pause();
            return SHORT.reward(index, answer);
        };
        Trainer t = Trainer.createReinforcement(GptModel.init(TrainingRuns.SMALL, 9), prompts(8), stopsAtThird,
                prompts(2), stopsAtThird, new Hyperparameters(2, 4, 15.0), options, 13, 1);
        TrainingRuns.Recorder r = new TrainingRuns.Recorder();
        assertThat(t.run(r, control)).isEqualTo(TrainingOutcome.PAUSED);
        assertThat(graded.get()).as("answers graded after the request").isEqualTo(3);
        assertThat(r.steps).as("the step under way is dropped, not trained with its partial grades").isEmpty();

        assertThat(t.run(r, new TrainingControl())).isEqualTo(TrainingOutcome.COMPLETED);
        assertThat(r.steps.stream().map(TrainingMetrics::toMap).toList())
                .isEqualTo(whole.steps.stream().map(TrainingMetrics::toMap).toList());
    }

    @Test
    void aCancelDuringValidationKeepsTheTrainedStepWithoutAValidationReward() throws Exception {
        ReinforcementOptions options = new ReinforcementOptions(2, 0, Trainer.VALID_EVERY, 0);
        TrainingControl control = new TrainingControl();
        java.util.concurrent.atomic.AtomicInteger validGraded = new java.util.concurrent.atomic.AtomicInteger();
        RewardFunction cancelsInValidation = (index, answer) -> {
            validGraded.incrementAndGet();
            control.cancel();
            return 0;
        };
        Trainer t = Trainer.createReinforcement(GptModel.init(TrainingRuns.SMALL, 9), prompts(8), SHORT,
                prompts(4), cancelsInValidation, new Hyperparameters(1, 4, 15.0), options, 13, 1);
        TrainingRuns.Recorder r = new TrainingRuns.Recorder();
        assertThat(t.run(r, control)).isEqualTo(TrainingOutcome.CANCELLED);
        assertThat(validGraded.get()).isEqualTo(1);
        assertThat(r.steps).hasSize(1);
        assertThat(r.steps.get(0).validRewardMean()).isNull();
    }
}
