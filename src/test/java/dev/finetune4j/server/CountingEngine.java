package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.ChatCompletionTokenLogprob;
import dev.finetune4j.api.JobError;
import dev.finetune4j.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A deterministic stand-in for the training engine, for lifecycle tests that must not depend on the real
 * engine's speed: each step sleeps {@code stepMillis}, metrics are a pure function of seed and step, the state
 * file holds the step, and the chat model answers {@code echo: <last message>}.
 */
final class CountingEngine implements Engine {
    final long stepMillis;
    /** Called with each weights file before it is written: a test acts at a precise moment of a job's end. */
    volatile java.util.function.Consumer<Path> beforeWeights = file -> { };
    /** Called as a file's validation starts. */
    volatile Runnable onValidate = () -> { };
    /** Called as a job's preparation (reading and tokenizing its files) starts. */
    volatile Runnable onPrepare = () -> { };
    /** Called as a run starts, before its first step. */
    volatile Runnable onRun = () -> { };

    CountingEngine(long stepMillis) {
        this.stepMillis = stepMillis;
    }

    @Override
    public List<String> configurations() {
        return List.of("nano", "micro");
    }

    @Override
    public int contextLength(String config) {
        return 4096;
    }

    @Override
    public boolean supportsMethod(String method) {
        return "supervised".equals(method);
    }

    @Override
    public JobError validate(Path file, String method, String model, String config, String param) throws IOException {
        onValidate.run();
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) continue;
                JsonNode node;
                try {
                    node = Json.MAPPER.readTree(line);
                } catch (IOException e) {
                    return new JobError("invalid_" + param, "Line " + number + ": invalid JSON", param);
                }
                if (!node.path("messages").isArray()) {
                    return new JobError("invalid_" + param, "Line " + number + ": missing messages", param);
                }
                n++;
            }
        }
        return n == 0 ? new JobError("invalid_" + param, "The file is empty", param) : null;
    }

    @Override
    public JobError checkItems(Path file, String param, Function<JsonNode, List<String>> missing) {
        return null; // trains supervised jobs only
    }

    @Override
    public Training prepare(TrainingSpec spec) throws IOException {
        onPrepare.run();
        long examples;
        try (var lines = Files.lines(spec.trainingFile())) {
            examples = lines.filter(l -> !l.isBlank()).count();
        }
        int batch = spec.batchSize() instanceof Number b ? b.intValue() : 2;
        int epochs = spec.nEpochs() instanceof Number e ? e.intValue() : 2;
        double lr = spec.learningRateMultiplier() instanceof Number l ? l.doubleValue() : 1.0;
        int perEpoch = (int) ((examples + batch - 1) / batch);
        Resolved resolved = new Resolved(batch, lr, epochs, perEpoch * epochs, perEpoch, Map.of());
        return new Training() {
            int step;

            @Override
            public Resolved resolved() {
                return resolved;
            }

            @Override
            public boolean run(Path resumeState, Listener listener) throws IOException {
                step = resumeState == null ? 0 : Integer.parseInt(Files.readString(resumeState).trim());
                onRun.run();
                while (step < resolved.totalSteps()) {
                    if (listener.stopRequested()) return false;
                    try {
                        Thread.sleep(stepMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    step++;
                    Map<String, Object> m = metrics(spec.seed(), step, resolved.totalSteps());
                    listener.onStep(step, m);
                    if (step % perEpoch == 0) listener.onEpochEnd(step / perEpoch, step, m);
                }
                return true;
            }

            @Override
            public void saveState(Path file) throws IOException {
                Files.writeString(file, Integer.toString(step));
            }

            @Override
            public void saveWeights(Path file) throws IOException {
                beforeWeights.accept(file);
                Files.writeString(file, "weights of " + spec.config() + " at step " + step);
            }

            @Override
            public long trainedTokens() {
                return step * 100L;
            }
        };
    }

    static Map<String, Object> metrics(long seed, int step, int total) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("total_steps", total);
        m.put("train_loss", 3.0 / step + (seed % 7) / 100.0);
        m.put("train_mean_token_accuracy", 1.0 - 1.0 / (step + 1));
        return m;
    }

    @Override
    public Chatbot load(String config, Path weights) throws IOException {
        String prefix = weights == null ? "" : Files.readString(weights) + ": ";
        return new Chatbot() {
            @Override
            public Completion complete(List<Message> messages, Sampling sampling,
                                       BiConsumer<String, List<ChatCompletionTokenLogprob>> onPiece) {
                String answer = prefix + "echo: " + messages.get(messages.size() - 1).content();
                int max = sampling.maxTokens() == null ? answer.length() : Math.min(sampling.maxTokens(), answer.length());
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < max; i++) {
                    String piece = answer.substring(i, i + 1);
                    out.append(piece);
                    onPiece.accept(piece, List.of());
                }
                return new Completion(out.toString(), promptTokens(messages), max,
                        max < answer.length() ? "length" : "stop");
            }

            @Override
            public int promptTokens(List<Message> messages) {
                return messages.stream().mapToInt(m -> m.content().length() + 3).sum();
            }

            @Override
            public int contextLength() {
                return 4096;
            }

            @Override
            public int vocabularySize() {
                return 259;
            }
        };
    }
}
