package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Trains a model from scratch on the sample chats and checks that greedy decoding reproduces the training answers.
 * CI trains on the first {@code finetune4j.exact.examples} examples (default 40); the full-dataset run is
 * {@code mvn -o test -Dtest=ExactAnswersTest -Dfinetune4j.exact.examples=0} (0 = all).
 */
class ExactAnswersTest {

    @Test
    void greedyDecodingReproducesTrainingAnswers() throws Exception {
        List<ChatExample> all = SampleData.read(SampleData.TRAIN);
        int n = Integer.getInteger("finetune4j.exact.examples", 40);
        List<ChatExample> train = n <= 0 || n >= all.size() ? all : all.subList(0, n);
        String preset = System.getProperty("finetune4j.exact.model", "nano");
        int epochs = Integer.getInteger("finetune4j.exact.epochs", 50);
        int batch = Integer.getInteger("finetune4j.exact.batch", 4);
        double lr = Double.parseDouble(System.getProperty("finetune4j.exact.lr", "6"));
        int threads = Integer.getInteger("finetune4j.exact.threads", 2);
        Hyperparameters hp = Hyperparameters.resolve(epochs, batch, lr, train.size());
        long t0 = System.nanoTime();
        long seed = Long.getLong("finetune4j.exact.seed", 1);
        Trainer trainer = Trainer.create(GptModel.base(preset), train, List.of(), hp, seed, threads);
        double[] last = new double[2];
        trainer.run(new TrainingListener() {
            @Override
            public void onStep(TrainingMetrics m) {
                last[0] = m.trainLoss();
                last[1] = m.trainMeanTokenAccuracy();
            }
        }, new TrainingControl());
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        ChatModel chat = new ChatModel(trainer.model());
        int exact = 0;
        for (ChatExample ex : train) {
            Completion c = chat.complete(SampleData.promptOf(ex), SamplingOptions.greedy(64), null);
            if (c.text().equals(SampleData.answerOf(ex)) && c.finishReason().equals(Completion.STOP)) exact++;
        }
        double share = exact / (double) train.size();
        System.out.printf("exact answers: %s %d examples, %d steps, %.1f s training, final loss %.4f acc %.3f, exact %d/%d (%.1f%%)%n",
                preset, train.size(), trainer.totalSteps(), trainSeconds, last[0], last[1], exact, train.size(), 100 * share);
        assertThat(share).isGreaterThanOrEqualTo(0.9);
    }
}
