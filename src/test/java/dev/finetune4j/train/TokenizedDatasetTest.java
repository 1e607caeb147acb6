package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizedDatasetTest {
    @TempDir
    Path dir;

    private TokenizedDataset write(String name, List<ChatExample> examples) throws Exception {
        return TokenizedDataset.write(dir.resolve(name), examples.iterator(), TrainingRuns.SMALL, "training");
    }

    @Test
    void readsBackEveryExampleAsTheTemplateEncodesIt() throws Exception {
        List<ChatExample> examples = SampleData.read(SampleData.TRAIN);
        try (TokenizedDataset d = write("train.tokens", examples)) {
            assertThat(d.size()).isEqualTo(examples.size());
            List<TokenizedExample> inMemory = new ArrayList<>();
            long tokens = 0;
            for (ChatExample ex : examples) {
                inMemory.add(ChatTemplate.encode(ex));
                tokens += inMemory.get(inMemory.size() - 1).length();
            }
            assertThat(d.tokenCount()).isEqualTo(tokens);
            for (int i = d.size() - 1; i >= 0; i--) { // any order: reads are positional
                assertThat(d.get(i).tokens()).as("example %d", i).containsExactly(inMemory.get(i).tokens());
                assertThat(d.get(i).trained()).as("example %d", i).containsExactly(inMemory.get(i).trained());
            }
            assertThat(d.fingerprint()).isEqualTo(Trainer.fingerprint(inMemory));
            assertThatThrownBy(() -> d.get(examples.size())).isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThat(dir.resolve("train.tokens")).as("close deletes the file").doesNotExist();
    }

    @Test
    void anExampleLongerThanTheContextIsNamedAndNothingIsLeftBehind() {
        List<ChatExample> examples = new ArrayList<>(SampleData.read(SampleData.TRAIN).subList(0, 3));
        examples.add(new ChatExample(List.of(new ChatMessage("user", "x".repeat(200), false),
                new ChatMessage("assistant", "y", true))));
        assertThatThrownBy(() -> write("long.tokens", examples))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training example 4 has")
                .hasMessageContaining("context length 128");
        assertThat(dir.resolve("long.tokens")).doesNotExist();
        assertThat(dir.resolve("long.tokens.index")).doesNotExist();
    }

    @Test
    void trainingFromFilesEqualsTrainingFromMemoryAndResumesAcrossBoth() throws Exception {
        Trainer inMemory = TrainingRuns.trainer(2);
        TrainingRuns.Recorder expected = new TrainingRuns.Recorder();
        inMemory.run(expected, new TrainingControl());

        try (TokenizedDataset train = write("train.tokens", TrainingRuns.train());
             TokenizedDataset valid = TokenizedDataset.write(dir.resolve("valid.tokens"), TrainingRuns.valid().iterator(),
                     TrainingRuns.SMALL, "validation")) {
            Trainer fromFiles = Trainer.create(GptModel.init(TrainingRuns.SMALL, 3), train, valid,
                    TrainingRuns.hp(), 77, 2);
            TrainingRuns.Recorder got = new TrainingRuns.Recorder();
            fromFiles.run(got, new TrainingControl());
            assertThat(got.steps).isEqualTo(expected.steps);
            assertThat(fromFiles.model().sameWeights(inMemory.model())).isTrue();
            assertThat(fromFiles.trainingTokensPerEpoch()).isEqualTo(inMemory.trainingTokensPerEpoch());

            // a checkpoint made from memory resumes from files (same fingerprints), and ends the same
            Trainer first = TrainingRuns.trainer(1);
            TrainingControl control = new TrainingControl();
            TrainingRuns.Recorder head = new TrainingRuns.Recorder() {
                @Override
                public void onStep(TrainingMetrics metrics) {
                    super.onStep(metrics);
                    if (metrics.step() == 4) control.pause();
                }
            };
            assertThat(first.run(head, control)).isEqualTo(TrainingOutcome.PAUSED);
            Path cp = dir.resolve("step4.f4jc");
            first.saveCheckpoint(cp);
            Trainer resumed = Trainer.resume(cp, train, valid, 2);
            TrainingRuns.Recorder tail = new TrainingRuns.Recorder();
            assertThat(resumed.run(tail, new TrainingControl())).isEqualTo(TrainingOutcome.COMPLETED);
            List<TrainingMetrics> all = new ArrayList<>(head.steps);
            all.addAll(tail.steps);
            assertThat(all).isEqualTo(expected.steps);
            assertThat(resumed.model().sameWeights(inMemory.model())).isTrue();

            // other data are refused
            try (TokenizedDataset other = write("other.tokens", TrainingRuns.valid())) {
                assertThatThrownBy(() -> Trainer.resume(cp, other, valid, 1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different training data");
            }
        }
    }

    @Test
    void dataTokenizedForAnotherContextAreRefused() throws Exception {
        GptConfig wide = new GptConfig("wide", ByteTokenizer.VOCAB_SIZE, 256, 1, 1, 8);
        try (TokenizedDataset d = TokenizedDataset.write(dir.resolve("w.tokens"), TrainingRuns.train().iterator(), wide,
                "training")) {
            assertThatThrownBy(() -> Trainer.create(GptModel.init(TrainingRuns.SMALL, 1), d, null, TrainingRuns.hp(), 1, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context of 256");
        }
        assertThat(Files.list(dir)).isEmpty();
    }
}
