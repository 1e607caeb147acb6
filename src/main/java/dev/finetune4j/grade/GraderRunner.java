package dev.finetune4j.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.ChatMessage;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a grader on one sample and answers in the shape of {@code POST /fine_tuning/alpha/graders/run}. A grader
 * that fails (a missing template variable, a python exception, an unparsable model answer, a bad formula) scores
 * 0 for its part and raises the matching flag in {@code metadata.errors}. An unexpected exception inside a grader
 * also scores 0, with {@code other_error} set and its message in the extra field {@code other_error_details}.
 *
 * <p>{@code metadata.token_usage} is the total number of grader-model tokens (null when no model ran), as the
 * schema types it; the per-model breakdown is in {@code model_grader_token_usage_per_model}. For a multi grader,
 * {@code sub_rewards} and {@code metadata.scores} map each sub-grader's name to its score.
 *
 * <p>Safe for concurrent use: a run keeps its state to itself.
 *
 * <p>Example: {@code new GraderRunner(sampler).run(Graders.parse(json), "Paris", Json.tree("{\"answer\":\"Paris\"}")).reward()}.
 */
public final class GraderRunner {
    private final ModelSampler sampler;
    private final PythonExecutor python;

    /**
     * A runner without a grader model: model graders report {@code model_grader_server_error}. Its python processes
     * end after a minute idle or with the JVM; reuse the runner, or pass an executor to close.
     */
    public GraderRunner() {
        this(null, new PythonExecutor());
    }

    /** A runner whose model graders use the given sampler, and python graders the default {@code python3}. */
    public GraderRunner(ModelSampler sampler) {
        this(sampler, new PythonExecutor());
    }

    /**
     * A runner whose python graders run on {@code python}, e.g. {@code try (var python = new PythonExecutor()) {
     * new GraderRunner(sampler, python).run(...); }}, which ends the python processes with the block.
     */
    public GraderRunner(ModelSampler sampler, PythonExecutor python) {
        this.sampler = sampler;
        this.python = python;
    }

    /** The run endpoint: grades {@code modelSample} (a string, JSON-parsed when it can be) against {@code item}. */
    public GraderRunResponse run(Grader grader, String modelSample, JsonNode item) {
        return run(grader, Sample.of(modelSample), item);
    }

    /** Runs the body of the run endpoint. */
    public GraderRunResponse run(RunRequest request) {
        return run(request.grader(), request.modelSample(), request.item());
    }

    /** Grades a sample against an item (null item: empty). */
    public GraderRunResponse run(Grader grader, Sample sample, JsonNode item) {
        long start = System.nanoTime();
        Run run = new Run(sample, sample.scope(item));
        double reward;
        try {
            reward = run.grade(grader);
        } catch (RuntimeException e) {
            // An unexpected failure must not turn a reward into a server error; it is reported like any grader failure.
            run.flags.other(e.toString());
            reward = 0.0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> usagePerModel = new LinkedHashMap<>();
        long totalTokens = 0;
        for (Map.Entry<String, long[]> e : run.usage.entrySet()) {
            long[] u = e.getValue();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("prompt_tokens", u[0]);
            entry.put("total_tokens", u[0] + u[1]);
            entry.put("completion_tokens", u[1]);
            entry.put("cached_tokens", u[2]);
            usagePerModel.put(e.getKey(), entry);
            totalTokens += u[0] + u[1];
        }
        Long tokenUsage = run.usage.isEmpty() ? null : totalTokens;
        GraderRunResponse.Metadata metadata = new GraderRunResponse.Metadata(grader.name(), grader.type(),
                run.flags.toWire(), seconds, new LinkedHashMap<>(run.subRewards), tokenUsage, run.sampledModel, null);
        return new GraderRunResponse(reward, new LinkedHashMap<>(run.subRewards), usagePerModel, metadata, null);
    }

    /**
     * What kept the grader from scoring a sample, in one line (a python exception's last line, a model's error, the
     * flag that was raised), or null when no error flag is set. For warnings that must stay short.
     */
    public static String failure(GraderRunResponse response) {
        GraderRunResponse.Errors e = response.metadata() == null ? null : response.metadata().errors();
        if (e == null) return null;
        if (e.pythonGraderRuntimeError()) return "python_grader_runtime_error: " + lastLine(e.pythonGraderRuntimeErrorDetails());
        if (e.pythonGraderServerError()) return "python_grader_server_error: " + e.pythonGraderServerErrorType();
        if (e.unresponsiveRewardError()) return "unresponsive_reward_error: the grader did not answer in time";
        if (e.invalidVariableError()) {
            return "invalid_variable_error: a template names a field that the sample or the item does not have";
        }
        if (e.sampleParseError()) return "sample_parse_error: the answer is not the JSON the template reads";
        if (e.modelGraderServerError()) return "model_grader_server_error: " + lastLine(e.modelGraderServerErrorDetails());
        if (e.modelGraderRefusalError()) return "model_grader_refusal_error: the grader model refused to answer";
        if (e.modelGraderParseError()) return "model_grader_parse_error: the grader model's answer holds no score";
        if (e.formulaParseError()) return "formula_parse_error: calculate_output does not parse";
        if (e.truncatedObservationError()) return "truncated_observation_error";
        if (e.otherError()) {
            Object details = e.extra() == null ? null : e.extra().get("other_error_details");
            return "other_error" + (details == null ? "" : ": " + lastLine(details.toString()));
        }
        return null;
    }

    /** The line that says most: a traceback's last line (the exception), before any captured stderr. */
    private static String lastLine(String details) {
        if (details == null) return "(no details)";
        String text = details.split("\n--- stderr ---", 2)[0].strip();
        String last = text.substring(text.lastIndexOf('\n') + 1).strip();
        return last.length() <= 300 ? last : last.substring(0, 300) + "...";
    }

    /** The state of one run. */
    private final class Run {
        final Sample sample;
        final ObjectNode scope;
        final ErrorFlags flags = new ErrorFlags();
        final Map<String, Object> subRewards = new LinkedHashMap<>();
        final Map<String, long[]> usage = new LinkedHashMap<>(); // model -> prompt, completion, cached
        String sampledModel;

        Run(Sample sample, ObjectNode scope) {
            this.sample = sample;
            this.scope = scope;
        }

        double grade(Grader grader) {
            if (grader instanceof StringCheckGrader g) {
                String input = render(g.input());
                String reference = render(g.reference());
                if (input == null || reference == null) return 0.0;
                return g.operation().test(input, reference) ? 1.0 : 0.0;
            }
            if (grader instanceof TextSimilarityGrader g) {
                String input = render(g.input());
                String reference = render(g.reference());
                if (input == null || reference == null) return 0.0;
                return g.evaluationMetric().score(input, reference);
            }
            if (grader instanceof PythonGrader g) return python(g);
            if (grader instanceof ScoreModelGrader g) return scoreModel(g);
            if (grader instanceof LabelModelGrader g) return labelModel(g);
            return multi((MultiGrader) grader);
        }

        /** The rendered text, or null (and a flag) when a variable has no value. */
        String render(Template template) {
            Template.Rendered rendered = template.render(scope);
            for (Template.Variable v : rendered.missing()) {
                boolean wantsJson = v.path().size() > 1 && "sample".equals(v.namespace())
                        && "output_json".equals(v.path().get(1));
                if (wantsJson && sample.outputJson() == null) flags.sampleParseError = true;
                else flags.invalidVariableError = true;
            }
            return rendered.missing().isEmpty() ? rendered.text() : null;
        }

        double python(PythonGrader g) {
            ObjectNode sampleDict = sample.toJson();
            // python graders index the dict directly, so an absent output_json is None rather than a KeyError
            if (!sampleDict.has("output_json")) sampleDict.putNull("output_json");
            PythonExecutor.Result result = python.run(g.source(), sampleDict, scope.get("item"));
            switch (result.status()) {
                case OK:
                    return result.score();
                case TIMEOUT:
                    flags.unresponsiveRewardError = true;
                    flags.pythonRuntime(result.details());
                    return 0.0;
                case UNAVAILABLE:
                    flags.pythonServer("python_unavailable");
                    return 0.0;
                default:
                    flags.pythonRuntime(result.details());
                    return 0.0;
            }
        }

        double scoreModel(ScoreModelGrader g) {
            String instruction = "You are a grader. Read the conversation that follows and grade it as it asks. "
                    + "Answer with a JSON object and nothing else: {\"result\": <a number from "
                    + number(g.rangeMin()) + " to " + number(g.rangeMax()) + ">, \"steps\": [{\"description\": "
                    + "\"<what you checked>\", \"conclusion\": \"<what you found>\"}]}.";
            Map<String, Object> result = Map.of("type", "number");
            String text = ask(g.model(), instruction, g.input(), g.samplingParams(),
                    ModelAnswers.responseFormat("score_model_grader_result", result));
            if (text == null) return 0.0;
            Double score = ModelAnswers.score(text);
            if (score == null) {
                flags.modelGraderParseError = true;
                return 0.0;
            }
            return Math.max(g.rangeMin(), Math.min(g.rangeMax(), score));
        }

        double labelModel(LabelModelGrader g) {
            String instruction = "You are a grader. Read the conversation that follows and label it as it asks. "
                    + "Answer with a JSON object and nothing else: {\"result\": <one of " + jsonList(g.labels())
                    + ">, \"steps\": [{\"description\": \"<what you checked>\", \"conclusion\": \"<what you "
                    + "found>\"}]}.";
            Map<String, Object> result = Map.of("type", "string", "enum", g.labels());
            String text = ask(g.model(), instruction, g.input(), SamplingParams.DEFAULT,
                    ModelAnswers.responseFormat("label_model_grader_result", result));
            if (text == null) return 0.0;
            String label = ModelAnswers.label(text, g.labels());
            if (label == null) {
                flags.modelGraderParseError = true;
                return 0.0;
            }
            return g.passingLabels().contains(label) ? 1.0 : 0.0;
        }

        /** Renders the messages, asks the model; the answer's text, or null after flagging what went wrong. */
        String ask(String model, String instruction, List<EvalMessage> input, SamplingParams params,
                   Map<String, Object> responseFormat) {
            List<ChatMessage> messages = new ArrayList<>();
            messages.add(ChatMessage.system(instruction));
            for (EvalMessage m : input) {
                ChatMessage rendered = renderMessage(m);
                if (rendered == null) return null;
                messages.add(rendered);
            }
            if (sampler == null) {
                flags.modelServer("no grader model is available: the runner was created without a ModelSampler");
                return null;
            }
            ModelSampler.Completion completion;
            try {
                completion = sampler.complete(new ModelSampler.Request(model, messages, params, responseFormat));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                flags.modelServer("interrupted while sampling from '" + model + "'");
                return null;
            } catch (Exception e) {
                flags.modelServer("sampling from '" + model + "' failed: " + e);
                return null;
            }
            if (completion == null) {
                flags.modelServer("the grader model '" + model + "' returned no completion");
                return null;
            }
            String answeredBy = completion.model() == null ? model : completion.model();
            sampledModel = answeredBy;
            long[] u = usage.computeIfAbsent(answeredBy, k -> new long[3]);
            u[0] += completion.promptTokens();
            u[1] += completion.completionTokens();
            u[2] += completion.cachedTokens();
            if (completion.refusal() != null && !completion.refusal().isBlank()) {
                flags.modelGraderRefusalError = true;
                return null;
            }
            if (completion.text() == null || completion.text().isBlank()) {
                flags.modelGraderParseError = true;
                return null;
            }
            return completion.text();
        }

        ChatMessage renderMessage(EvalMessage m) {
            List<Object> parts = new ArrayList<>();
            boolean textOnly = true;
            for (EvalMessage.Part p : m.content()) {
                Map<String, Object> part = new LinkedHashMap<>();
                if (p.text() != null) {
                    String text = render(p.text());
                    if (text == null) return null;
                    part.put("type", "text");
                    part.put("text", text);
                } else if (p.imageUrl() != null) {
                    String url = render(p.imageUrl());
                    if (url == null) return null;
                    Map<String, Object> image = new LinkedHashMap<>();
                    image.put("url", url);
                    if (p.detail() != null) image.put("detail", p.detail());
                    part.put("type", "image_url");
                    part.put("image_url", image);
                    textOnly = false;
                } else {
                    part.put("type", "input_audio");
                    part.put("input_audio", p.inputAudio());
                    textOnly = false;
                }
                parts.add(part);
            }
            Object content = parts;
            if (textOnly && parts.size() == 1) content = ((Map<?, ?>) parts.get(0)).get("text");
            return new ChatMessage(m.role(), content, null, null, null, null, null);
        }

        double multi(MultiGrader g) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (Map.Entry<String, Grader> e : g.graders().entrySet()) {
                double score = grade(e.getValue());
                scores.put(e.getKey(), score);
                subRewards.put(e.getKey(), score);
            }
            Formula formula;
            try {
                formula = Formula.parse(g.calculateOutput());
            } catch (FormulaException e) {
                flags.formulaParseError = true;
                return 0.0;
            }
            double reward;
            try {
                reward = formula.evaluate(scores);
            } catch (FormulaException e) {
                flags.invalidVariableError = true;
                return 0.0;
            }
            if (!Double.isFinite(reward)) {
                flags.other("calculate_output '" + g.calculateOutput() + "' gave " + reward + " for " + scores);
                return 0.0;
            }
            return reward;
        }
    }

    private static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static String jsonList(List<String> labels) {
        List<String> quoted = new ArrayList<>();
        for (String l : labels) quoted.add(Json.write(l));
        return String.join(", ", quoted);
    }
}
