package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.ChatCompletionTokenLogprob;
import dev.finetune4j.api.JobError;
import dev.finetune4j.api.Json;
import dev.finetune4j.data.DatasetValidator;
import dev.finetune4j.data.Example;
import dev.finetune4j.data.ExampleReader;
import dev.finetune4j.data.Method;
import dev.finetune4j.data.ModelLimits;
import dev.finetune4j.data.ValidationReport;
import dev.finetune4j.train.ByteTokenizer;
import dev.finetune4j.train.ChatExample;
import dev.finetune4j.train.ChatMessage;
import dev.finetune4j.train.ChatModel;
import dev.finetune4j.train.GptConfig;
import dev.finetune4j.train.GptModel;
import dev.finetune4j.train.Hyperparameters;
import dev.finetune4j.train.PreferencePair;
import dev.finetune4j.train.ReinforcementOptions;
import dev.finetune4j.train.RewardFunction;
import dev.finetune4j.train.SamplingOptions;
import dev.finetune4j.train.Trainer;
import dev.finetune4j.train.TokenLogprob;
import dev.finetune4j.train.TokenizedDataset;
import dev.finetune4j.train.TrainingControl;
import dev.finetune4j.train.TrainingListener;
import dev.finetune4j.train.TrainingMetrics;
import dev.finetune4j.train.TrainingOutcome;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The server's one bridge to the {@code train} engine and the {@code data} validator: validates files with
 * the dataset validator (counting tokens with the engine's byte tokenizer against the configuration's
 * context, in the legacy prompt/completion format for {@code babbage-002} and {@code davinci-002}), turns JSONL
 * examples into chat examples (preference pairs for DPO, prompts and their examples for the grader of reinforcement
 * jobs), trains with {@link Trainer} and chats with {@link ChatModel}.
 */
final class LocalEngine implements Engine {
    private final int threads;
    private final long noteIntervalNanos;

    LocalEngine(int threads) {
        this(threads, Duration.ofSeconds(10));
    }

    /** {@code noteInterval}: how often a job tokenizing a large file says how far it has come. */
    LocalEngine(int threads, Duration noteInterval) {
        this.threads = Math.max(1, threads);
        this.noteIntervalNanos = noteInterval.toNanos();
    }

    @Override
    public List<String> configurations() {
        return GptConfig.PRESETS.stream().map(GptConfig::name).toList();
    }

    @Override
    public int contextLength(String config) {
        return GptConfig.named(config).contextLength();
    }

    @Override
    public boolean supportsMethod(String method) {
        return "supervised".equals(method) || "dpo".equals(method) || "reinforcement".equals(method);
    }

    @Override
    public JobError validate(Path file, String method, String model, String config, String param) {
        GptConfig c = GptConfig.named(config);
        ValidationReport report = DatasetValidator.forMethod(Method.fromWire(method))
                .localModel(c.contextLength())
                // the OpenAI names of the legacy models take their format, as OpenAI does; chat files are refused
                .promptCompletion(ModelLimits.usesPromptCompletion(model))
                .minExamples(param.equals("training_file") ? DatasetValidator.OPENAI_MIN_EXAMPLES : 1)
                .validate(file);
        return report.jobError(param).orElse(null);
    }

    @Override
    public JobError checkItems(Path file, String param, Function<JsonNode, List<String>> missing) throws IOException {
        try (ExampleReader reader = ExampleReader.open(file)) {
            Iterator<Example> examples = reader.iterator();
            while (examples.hasNext()) {
                Example e = examples.next();
                List<String> lacking = missing.apply(e.item());
                if (lacking.isEmpty()) continue;
                List<String> fields = new ArrayList<>();
                e.json().fieldNames().forEachRemaining(fields::add);
                return new JobError("invalid_" + param, "Line " + e.line() + ": the grader reads "
                        + String.join(", ", lacking) + ", which the example does not have (its fields: "
                        + String.join(", ", fields) + "). The grader's item is the example's line without messages"
                        + " and tools: add the field to every line or change the grader's templates.", param);
            }
        }
        return null;
    }

    @Override
    public Training prepare(TrainingSpec spec) throws IOException {
        GptModel base = spec.initialWeights() == null ? GptModel.base(spec.config()) : GptModel.load(spec.initialWeights());
        if ("reinforcement".equals(spec.method())) return prepareReinforcement(spec, base);
        boolean pairs = "dpo".equals(spec.method());
        // tokenized into the job's folder and read back batch by batch: the data never sit in memory whole
        TokenizedDataset train = tokenize(spec.trainingFile(), spec.workDir().resolve("train.tokens"), base,
                notes(spec, spec.trainingFile(), "training"), pairs);
        TokenizedDataset valid = null;
        try {
            if (spec.validationFile() != null) {
                valid = tokenize(spec.validationFile(), spec.workDir().resolve("valid.tokens"), base,
                        notes(spec, spec.validationFile(), "validation"), pairs);
            }
            // a DPO example is a pair, stored as two conversations: the hyperparameters count pairs
            Hyperparameters hp = Hyperparameters.resolve(integer(spec.nEpochs()), integer(spec.batchSize()),
                    number(spec.learningRateMultiplier()), pairs ? train.size() / 2 : train.size());
            Double given = number(spec.methodHyperparameters().get("beta"));
            Double beta = !pairs ? null : given != null ? given : Trainer.DEFAULT_BETA;
            return new LocalTraining(spec, train, valid, hp, beta, base);
        } catch (IOException | RuntimeException e) {
            train.close();
            if (valid != null) valid.close();
            throw e;
        }
    }

    private Training prepareReinforcement(TrainingSpec spec, GptModel base) throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Prompts train = prompts(spec.trainingFile(), spec.workDir(), "train", base,
                    notes(spec, spec.trainingFile(), "training"), opened);
            Prompts valid = spec.validationFile() == null ? null : prompts(spec.validationFile(), spec.workDir(),
                    "valid", base, notes(spec, spec.validationFile(), "validation"), opened);
            Hyperparameters hp = Hyperparameters.resolveReinforcement(integer(spec.nEpochs()),
                    integer(spec.batchSize()), number(spec.learningRateMultiplier()), train.tokens.size());
            Map<String, Object> given = spec.methodHyperparameters();
            ReinforcementOptions options = ReinforcementOptions.fromApi(number(given.get("compute_multiplier")),
                    integer(given.get("eval_interval")), integer(given.get("eval_samples")));
            return new LocalTraining(spec, hp, base, train, valid, options, opened);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : opened) closeQuietly(c);
            throw e;
        }
    }

    /** The prompts of a reinforcement file (each example's messages) and each example's grader {@code item}. */
    private record Prompts(TokenizedDataset tokens, ExampleLines examples) {
        RewardFunction rewards(Grading grading) {
            return (index, answer) -> grading.reward(answer, examples.get(index));
        }
    }

    private TokenizingNotes notes(TrainingSpec spec, Path file, String kind) throws IOException {
        return new TokenizingNotes(spec.notes(), kind, Files.size(file), noteIntervalNanos);
    }

    private static Prompts prompts(Path jsonl, Path dir, String name, GptModel model, TokenizingNotes notes,
                                   List<AutoCloseable> opened) throws IOException {
        ExampleLines lines = ExampleLines.create(dir.resolve(name + ".examples"));
        opened.add(lines);
        TokenizedDataset tokens;
        try (ExampleReader reader = ExampleReader.open(jsonl)) {
            Iterator<Example> examples = reader.iterator();
            tokens = TokenizedDataset.write(dir.resolve(name + ".tokens"), new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return examples.hasNext();
                }

                @Override
                public ChatExample next() {
                    Example e = examples.next();
                    notes.example(reader.bytesRead());
                    try {
                        lines.add(Json.write(e.item()));
                    } catch (IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                    // the prompt: the example's messages, none of them trained
                    return new ChatExample(messages(e.json().path("messages")).stream()
                            .map(m -> new ChatMessage(m.role(), m.content(), false)).toList());
                }
            }, model.config(), notes.kind());
        }
        opened.add(tokens);
        notes.finished(tokens.tokenCount());
        lines.finish();
        return new Prompts(tokens, lines);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the run's own files in its work folder: a failure to close one must not hide how the run ended
        }
    }

    /** The file's examples as conversations; a DPO pair as its preferred conversation, then the other. */
    private static TokenizedDataset tokenize(Path jsonl, Path out, GptModel model, TokenizingNotes notes,
                                             boolean pairs) throws IOException {
        String kind = notes.kind();
        try (ExampleReader reader = ExampleReader.open(jsonl)) {
            Iterator<Example> examples = reader.iterator();
            TokenizedDataset tokens = TokenizedDataset.write(out, new Iterator<>() {
                private ChatExample rejected; // the second conversation of the last pair

                @Override
                public boolean hasNext() {
                    return rejected != null || examples.hasNext();
                }

                @Override
                public ChatExample next() {
                    // a stop of the job interrupts its preparation (see Scheduler.Control)
                    if (Thread.currentThread().isInterrupted()) {
                        throw new UncheckedIOException(new InterruptedIOException("tokenizing the " + kind
                                + " file was stopped"));
                    }
                    if (rejected != null) {
                        ChatExample e = rejected;
                        rejected = null;
                        return e;
                    }
                    Example next = examples.next();
                    notes.example(reader.bytesRead());
                    if (!pairs) return chatExample(next);
                    PreferencePair pair = preferencePair(next);
                    rejected = pair.rejected();
                    return pair.chosen();
                }
            }, model.config(), kind);
            notes.finished(tokens.tokenCount());
            return tokens;
        }
    }

    private static Integer integer(Object v) {
        return v instanceof Number n ? n.intValue() : null;
    }

    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    /**
     * A supervised chat example for the trainer: roles and text, tool calls as JSON text, {@code weight: 0} not trained.
     * A prompt/completion line (the validated format of babbage-002 and davinci-002 jobs, which have no messages)
     * becomes the user's message and the trained assistant answer, so the model answers the prompt with the completion.
     */
    static ChatExample chatExample(Example e) {
        JsonNode json = e.json();
        if (!json.has("messages") && json.has("completion")) {
            return ChatExample.of(new ChatMessage("user", json.path("prompt").asText(), false),
                    new ChatMessage("assistant", json.path("completion").asText(), true));
        }
        return new ChatExample(messages(json.path("messages")));
    }

    /** A DPO example for the trainer: the input's messages, and the text of each output's one assistant message. */
    static PreferencePair preferencePair(Example e) {
        JsonNode json = e.json();
        return new PreferencePair(messages(json.path("input").path("messages")),
                messageText(json.path("preferred_output").path(0)),
                messageText(json.path("non_preferred_output").path(0)));
    }

    private static List<ChatMessage> messages(JsonNode array) {
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : array) {
            String role = m.path("role").asText();
            boolean trained = role.equals("assistant") && m.path("weight").asInt(1) != 0;
            messages.add(new ChatMessage(role, messageText(m), trained));
        }
        return messages;
    }

    /** A message's text as the model sees it: its content, then any tool or function call as JSON. */
    private static String messageText(JsonNode m) {
        StringBuilder text = new StringBuilder(text(m.get("content")));
        if (m.hasNonNull("tool_calls")) text.append(Json.write(m.get("tool_calls")));
        if (m.hasNonNull("function_call")) text.append(Json.write(m.get("function_call")));
        return text.toString();
    }

    private static String text(JsonNode content) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.hasNonNull("text")) sb.append(part.get("text").asText());
        }
        return sb.toString();
    }

    private final class LocalTraining implements Training {
        private final TrainingSpec spec;
        private final TokenizedDataset train;
        private final TokenizedDataset valid;
        private final Hyperparameters hp;
        /** DPO's beta; null for supervised and reinforcement training. */
        private final Double beta;
        private final GptModel base;
        /** The prompts of a reinforcement job (null for the other methods), and what to close with the run. */
        private final Prompts trainPrompts, validPrompts;
        private final ReinforcementOptions options;
        private final List<AutoCloseable> opened;
        private Trainer trainer;

        LocalTraining(TrainingSpec spec, TokenizedDataset train, TokenizedDataset valid, Hyperparameters hp,
                      Double beta, GptModel base) {
            this.spec = spec;
            this.train = train;
            this.valid = valid;
            this.hp = hp;
            this.beta = beta;
            this.base = base;
            this.trainPrompts = null;
            this.validPrompts = null;
            this.options = null;
            this.opened = List.of();
        }

        LocalTraining(TrainingSpec spec, Hyperparameters hp, GptModel base, Prompts train, Prompts valid,
                      ReinforcementOptions options, List<AutoCloseable> opened) {
            this.spec = spec;
            this.train = train.tokens();
            this.valid = valid == null ? null : valid.tokens();
            this.hp = hp;
            this.beta = null;
            this.base = base;
            this.trainPrompts = train;
            this.validPrompts = valid;
            this.options = options;
            this.opened = opened;
        }

        @Override
        public Resolved resolved() {
            int perEpoch = hp.stepsPerEpoch(beta == null ? train.size() : train.size() / 2);
            Map<String, Object> own = new LinkedHashMap<>();
            if (beta != null) own.put("beta", beta);
            if (options != null) {
                own.put("compute_multiplier", options.samplesPerPrompt()
                        / (double) ReinforcementOptions.DEFAULT.samplesPerPrompt());
                own.put("eval_interval", options.evalInterval());
                own.put("eval_samples", options.evalSamples() > 0 ? options.evalSamples() : hp.batchSize());
            }
            return new Resolved(hp.batchSize(), hp.learningRateMultiplier(), hp.nEpochs(), perEpoch * hp.nEpochs(),
                    perEpoch, own);
        }

        @Override
        public boolean run(Path resumeState, Listener listener) throws IOException {
            // a checkpoint knows its method (and the reference log-probabilities of DPO), not a job's grader
            if (trainPrompts != null) {
                RewardFunction trainRewards = trainPrompts.rewards(spec.grading());
                RewardFunction validRewards = validPrompts == null ? null : validPrompts.rewards(spec.grading());
                trainer = resumeState != null
                        ? Trainer.resume(resumeState, train, valid, threads).rewards(trainRewards, validRewards)
                        : Trainer.createReinforcement(base, train, trainRewards, valid, validRewards, hp, options,
                                spec.seed(), threads);
            } else {
                trainer = resumeState != null ? Trainer.resume(resumeState, train, valid, threads)
                        : beta != null ? Trainer.createPreference(base, train, valid, hp, beta, spec.seed(), threads)
                        : Trainer.create(base, train, valid, hp, spec.seed(), threads);
            }
            // the trainer polls the request itself, also between the answers of a reinforcement step
            TrainingControl control = new TrainingControl(listener::stopRequested);
            TrainingOutcome outcome = trainer.run(new TrainingListener() {
                private TrainingMetrics last;

                @Override
                public void onStep(TrainingMetrics m) {
                    last = m;
                    try {
                        listener.onStep(m.step(), metrics(m));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public void onEpochEnd(dev.finetune4j.train.EpochCheckpoint cp) throws IOException {
                    listener.onEpochEnd(cp.epoch(), cp.step(), metrics(cp.metrics()));
                }
            }, control);
            return outcome == TrainingOutcome.COMPLETED;
        }

        @Override
        public void saveState(Path file) throws IOException {
            trainer.saveCheckpoint(file);
        }

        @Override
        public void saveWeights(Path file) throws IOException {
            trainer.model().save(file);
        }

        @Override
        public long trainedTokens() {
            return trainer == null ? 0 : trainer.trainedTokens();
        }

        @Override
        public void close() throws IOException {
            train.close();
            if (valid != null) valid.close();
            for (AutoCloseable c : opened) closeQuietly(c);
        }
    }

    private static Map<String, Object> metrics(TrainingMetrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : m.toMap().entrySet()) {
            boolean whole = e.getKey().equals("step") || e.getKey().equals("total_steps");
            out.put(e.getKey(), whole ? (Object) e.getValue().intValue() : e.getValue());
        }
        return out;
    }

    @Override
    public Chatbot load(String config, Path weights) throws IOException {
        ChatModel model = new ChatModel(weights == null ? GptModel.base(config) : GptModel.load(weights));
        int context = model.model().config().contextLength();
        return new Chatbot() {
            @Override
            public Completion complete(List<Message> messages, Sampling s,
                                       BiConsumer<String, List<ChatCompletionTokenLogprob>> onPiece) {
                List<ChatMessage> msgs = convert(messages);
                int room = Math.max(1, context - model.promptTokens(msgs));
                int max = s.maxTokens() == null ? room : Math.min(s.maxTokens(), room);
                boolean greedy = s.topP() <= 0 || s.temperature() == 0;
                var options = new SamplingOptions(greedy ? 0 : s.temperature(), greedy ? 1 : s.topP(), max, s.stop(),
                        s.seed(), s.presencePenalty(), s.frequencyPenalty(), s.logitBias(), s.logprobs());
                var c = model.stream(msgs, options, (text, lp) -> onPiece.accept(text, logprobs(lp)));
                return new Completion(c.text(), c.promptTokens(), c.completionTokens(), c.finishReason(),
                        logprobs(c.logprobs()));
            }

            @Override
            public int promptTokens(List<Message> messages) {
                return model.promptTokens(convert(messages));
            }

            @Override
            public int contextLength() {
                return context;
            }

            @Override
            public int vocabularySize() {
                return ByteTokenizer.VOCAB_SIZE;
            }
        };
    }

    private static List<ChatCompletionTokenLogprob> logprobs(List<TokenLogprob> tokens) {
        List<ChatCompletionTokenLogprob> out = new ArrayList<>(tokens.size());
        for (TokenLogprob t : tokens) {
            List<ChatCompletionTokenLogprob.TopLogprob> top = new ArrayList<>(t.top().size());
            for (TokenLogprob.Alternative a : t.top()) {
                top.add(new ChatCompletionTokenLogprob.TopLogprob(tokenText(a.token()), a.logprob(), tokenBytes(a.token())));
            }
            out.add(new ChatCompletionTokenLogprob(tokenText(t.token()), t.logprob(), tokenBytes(t.token()), top));
        }
        return out;
    }

    /**
     * A byte token as OpenAI writes tokens: the character for ASCII, {@code bytes:\xc3} for a byte that is only part
     * of a character, the special tokens by name.
     */
    private static String tokenText(int token) {
        if (ByteTokenizer.isSpecial(token)) return ByteTokenizer.describe(new int[] {token});
        return token < 0x80 ? String.valueOf((char) token) : String.format("bytes:\\x%02x", token);
    }

    /** The token's byte, or null for a special token, which has no text. */
    private static List<Integer> tokenBytes(int token) {
        return ByteTokenizer.isSpecial(token) ? null : List.of(token);
    }

    private static List<ChatMessage> convert(List<Message> messages) {
        return messages.stream().map(m -> ChatMessage.of(m.role(), m.content())).toList();
    }
}
