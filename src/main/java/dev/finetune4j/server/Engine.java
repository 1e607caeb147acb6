package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.ChatCompletionTokenLogprob;
import dev.finetune4j.api.JobError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the server needs from the training engine and the dataset validator. {@link LocalEngine} is the one
 * implementation, and the only class of the server that calls the {@code train} and {@code data} packages.
 */
interface Engine {

    /** Local model configurations, smallest first (e.g. {@code nano}, {@code micro}). */
    List<String> configurations();

    /** Tokens a configuration sees at most, prompt and answer together: the longest training example it takes. */
    int contextLength(String config);

    /** Whether jobs of this method ({@code supervised}, {@code dpo}, {@code reinforcement}) can train. */
    boolean supportsMethod(String method);

    /**
     * Validates a dataset for a job; returns the first blocking problem as a job error ({@code param} is
     * {@code training_file} or {@code validation_file}), or null when the file can train. {@code model} is the job's
     * model as the caller named it ({@code davinci-002}, {@code ft:...}), which decides the format of supervised files;
     * {@code config} is the local configuration it trains.
     */
    JobError validate(Path file, String method, String model, String config, String param) throws IOException;

    /**
     * For a reinforcement job's file that passed {@link #validate}: the first example whose grader {@code item} (its
     * line without {@code messages} and {@code tools}) lacks fields the grader reads, as a job error naming the line,
     * the missing paths and the fields the line has; null when every example has them. {@code missing} gives the
     * paths an item lacks ({@code item.answer}), empty when none.
     */
    JobError checkItems(Path file, String param, Function<JsonNode, List<String>> missing) throws IOException;

    /** Loads the data and resolves {@code auto} hyperparameters; nothing trains until {@link Training#run}. */
    Training prepare(TrainingSpec spec) throws IOException;

    /** A model ready to chat: the base weights of {@code config} when {@code weights} is null. */
    Chatbot load(String config, Path weights) throws IOException;

    /**
     * What to train. {@code method} is {@code supervised}, {@code dpo} or {@code reinforcement}; hyperparameter values
     * are {@code "auto"} or numbers, as the API gives them, and {@code methodHyperparameters} holds the method's own
     * ({@code beta}; {@code compute_multiplier}, {@code eval_interval}, {@code eval_samples}); {@code grading} scores
     * the answers of reinforcement jobs (null otherwise); {@code workDir} is the job's folder, for what the run keeps
     * on disk while it lasts; {@code notes} takes what a long preparation is doing (tokenizing a large file), for the
     * job's events.
     */
    record TrainingSpec(String config, String method, Path trainingFile, Path validationFile, Object batchSize,
                        Object learningRateMultiplier, Object nEpochs, Map<String, Object> methodHyperparameters,
                        Grading grading, long seed, Path initialWeights, Path workDir, Consumer<String> notes) {}

    /**
     * The job's grader: scores a sampled answer against its example's {@code item} (the JSON of the example's line
     * without {@code messages} and {@code tools}). Called from several threads at once.
     */
    interface Grading {
        double reward(String answer, String item);
    }

    /** Hyperparameters after {@code auto} was resolved, with the method's own ({@code beta}, ...) by API name. */
    record Resolved(int batchSize, double learningRateMultiplier, int nEpochs, int totalSteps,
                    int stepsPerEpoch, Map<String, Object> methodHyperparameters) {}

    /** A prepared training run. Its callbacks arrive on the thread that calls {@link #run}. */
    interface Training extends AutoCloseable {
        Resolved resolved();

        /**
         * Trains from the start, or from {@code resumeState} (written by {@link #saveState}). Returns true
         * when all steps ran, false when {@link Listener#stopRequested()} stopped it between two steps.
         */
        boolean run(Path resumeState, Listener listener) throws IOException;

        /** Writes the full resume state (weights, optimizer, RNG, data position); call from a callback. */
        void saveState(Path file) throws IOException;

        /** Writes the current weights, loadable by {@link Engine#load}; call from a callback or after run. */
        void saveWeights(Path file) throws IOException;

        /** Tokens trained on so far, counting every epoch. */
        long trainedTokens();

        /** Frees what {@link Engine#prepare} made for the run (e.g. its tokenized data in the work folder). */
        @Override
        default void close() throws IOException {}
    }

    /** Receives the progress of a run. */
    interface Listener {
        /** After each step: {@code step}, {@code total_steps}, {@code train_loss}, ... (reference §4.5 keys). */
        void onStep(int step, Map<String, Object> metrics) throws IOException;

        /** After the last step of each epoch, with that step's metrics plus any full-validation ones. */
        void onEpochEnd(int epoch, int step, Map<String, Object> metrics) throws IOException;

        /**
         * Polled between steps and, in reinforcement jobs, between answers (from several threads): true stops the
         * run at the current step boundary, or drops a reinforcement step under way.
         */
        boolean stopRequested();
    }

    /** A loaded model that answers chats. */
    interface Chatbot {
        /**
         * Generates one answer; {@code onPiece} receives the text as it is produced, with the log-probabilities of its
         * tokens when {@link Sampling#logprobs()} asks for them (else an empty list).
         */
        Completion complete(List<Message> messages, Sampling sampling,
                            BiConsumer<String, List<ChatCompletionTokenLogprob>> onPiece);

        /** The number of prompt tokens the messages take. */
        int promptTokens(List<Message> messages);

        /** Tokens the model sees at most: prompt and answer together. */
        int contextLength();

        /** Token ids run from 0 to this, exclusive (what {@code logit_bias} may name). */
        int vocabularySize();
    }

    record Message(String role, String content) {}

    /**
     * Sampling options; {@code maxTokens} null means up to the context length, {@code logprobs} null asks for no
     * log-probabilities and a number for that many alternatives per token.
     */
    record Sampling(double temperature, double topP, Integer maxTokens, List<String> stop, long seed,
                    double presencePenalty, double frequencyPenalty, Map<Integer, Double> logitBias, Integer logprobs) {
        Sampling(double temperature, double topP, Integer maxTokens, List<String> stop, long seed) {
            this(temperature, topP, maxTokens, stop, seed, 0, 0, Map.of(), null);
        }

        Sampling withSeed(long seed) {
            return new Sampling(temperature, topP, maxTokens, stop, seed, presencePenalty, frequencyPenalty, logitBias,
                    logprobs);
        }
    }

    /** {@code finishReason} is {@code stop} or {@code length}; {@code logprobs} is empty unless asked for. */
    record Completion(String text, int promptTokens, int completionTokens, String finishReason,
                      List<ChatCompletionTokenLogprob> logprobs) {
        Completion(String text, int promptTokens, int completionTokens, String finishReason) {
            this(text, promptTokens, completionTokens, finishReason, List.of());
        }
    }
}
