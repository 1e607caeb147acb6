package dev.finetune4j.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.api.GraderValidateResponse;
import dev.finetune4j.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads grader JSON into typed {@link Grader}s under the fine-tuning rules, and writes them back. Every problem is
 * a {@link GraderValidationException} naming the field ({@code param}) and the reason.
 *
 * <p>Rules beyond the field types: {@code label_model} only inside {@code multi}; no {@code multi} inside
 * {@code multi}; templates use only the {@code item} and {@code sample} namespaces; python source under 256 kB;
 * the {@code cosine} metric is refused (it needs an embeddings model and is offered only for evals);
 * {@code calculate_output} must parse and use only sub-grader names. {@code multi.graders} may be a map from name
 * to grader (canonical), a single grader, or an array of graders (keyed by their {@code name}).
 *
 * <p>Example: {@code Grader g = Graders.parse(Json.tree("{\"type\":\"string_check\", ...}"));}
 */
public final class Graders {
    /** The param prefix of the graders API bodies; a job's grader lives at {@code method.reinforcement.grader}. */
    public static final String GRADER_PARAM = "grader";

    private static final List<String> TYPES =
            List.of("string_check", "text_similarity", "python", "score_model", "multi");
    private static final List<String> ROLES = List.of("user", "assistant", "system", "developer");
    private static final List<String> PART_TYPES = List.of("input_text", "output_text", "input_image", "input_audio");
    private static final List<String> REASONING_EFFORTS =
            List.of("none", "minimal", "low", "medium", "high", "xhigh", "max");
    private static final List<String> AUDIO_FORMATS = List.of("mp3", "wav");

    private Graders() {}

    /** Parses a grader of the graders API ({@code param} paths start with {@code grader}). */
    public static Grader parse(JsonNode grader) {
        return parse(grader, GRADER_PARAM);
    }

    /** Parses a grader found at {@code param}, e.g. {@code parse(node, "method.reinforcement.grader")}. */
    public static Grader parse(JsonNode grader, String param) {
        return parseGrader(grader, param, false);
    }

    /** Parses a grader held as a map, e.g. {@code FineTuneMethod.Reinforcement.grader()}. */
    public static Grader parse(Map<String, ?> grader, String param) {
        JsonNode tree = grader == null ? null : Json.MAPPER.valueToTree(grader);
        return parse(tree, param);
    }

    /** The {@code validate} endpoint: parses the grader (throwing when invalid) and echoes it back as sent. */
    @SuppressWarnings("unchecked")
    public static GraderValidateResponse validate(JsonNode grader) {
        parse(grader);
        return new GraderValidateResponse(Json.MAPPER.convertValue(grader, Map.class), null);
    }

    // ---------------------------------------------------------------- parsing

    private static Grader parseGrader(JsonNode node, String path, boolean insideMulti) {
        Obj o = Obj.of(node, path);
        String type = o.requiredString("type");
        return switch (type) {
            case StringCheckGrader.TYPE -> stringCheck(o);
            case TextSimilarityGrader.TYPE -> textSimilarity(o);
            case PythonGrader.TYPE -> python(o);
            case ScoreModelGrader.TYPE -> scoreModel(o);
            case LabelModelGrader.TYPE -> labelModel(o, insideMulti);
            case MultiGrader.TYPE -> multi(o, insideMulti);
            default -> throw new GraderValidationException(o.param("type"), "Invalid value for '" + o.param("type")
                    + "': '" + type + "'. Supported values are: " + quoteList(TYPES) + ".");
        };
    }

    private static Grader stringCheck(Obj o) {
        o.allow("type", "name", "input", "reference", "operation");
        return new StringCheckGrader(o.requiredString("name"), o.template("input"), o.template("reference"),
                StringCheckGrader.Operation.valueOf(o.requiredEnum("operation",
                        List.of("eq", "ne", "like", "ilike")).toUpperCase(Locale.ROOT)));
    }

    private static Grader textSimilarity(Obj o) {
        o.allow("type", "name", "input", "reference", "evaluation_metric");
        String name = o.requiredString("name");
        Template input = o.template("input");
        Template reference = o.template("reference");
        List<String> metrics = Arrays.stream(TextSimilarityGrader.Metric.values())
                .map(TextSimilarityGrader.Metric::wireName).collect(Collectors.toList());
        if ("cosine".equals(o.node.path("evaluation_metric").asText(null))) {
            throw new GraderValidationException(o.param("evaluation_metric"), "The 'cosine' evaluation "
                    + "metric needs an embeddings model and is available only for evals; use one of "
                    + quoteList(metrics) + " for fine-tuning graders.");
        }
        String metric = o.requiredEnum("evaluation_metric", metrics);
        return new TextSimilarityGrader(name, input, reference,
                TextSimilarityGrader.Metric.valueOf(metric.toUpperCase(Locale.ROOT)));
    }

    private static Grader python(Obj o) {
        o.allow("type", "name", "source", "image_tag");
        String name = o.requiredString("name");
        String source = o.requiredString("source");
        int bytes = source.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= PythonGrader.MAX_SOURCE_BYTES) {
            throw new GraderValidationException(o.param("source"), "The python grader source is " + bytes
                    + " bytes; it must be smaller than 256 kB (" + PythonGrader.MAX_SOURCE_BYTES + " bytes).");
        }
        return new PythonGrader(name, source, o.optionalString("image_tag"));
    }

    private static Grader scoreModel(Obj o) {
        o.allow("type", "name", "model", "input", "range", "sampling_params");
        String name = o.requiredString("name");
        String model = o.requiredString("model");
        List<EvalMessage> input = parseMessages(o.node.get("input"), o.param("input"));
        double[] range = parseRange(o);
        return new ScoreModelGrader(name, model, input, range[0], range[1], parseSamplingParams(o));
    }

    private static Grader labelModel(Obj o, boolean insideMulti) {
        if (!insideMulti) {
            throw new GraderValidationException(o.param("type"), "A 'label_model' grader is allowed only "
                    + "inside a 'multi' grader for fine-tuning; use it as one of the multi grader's graders, "
                    + "or use a 'score_model' grader.");
        }
        o.allow("type", "name", "model", "input", "labels", "passing_labels");
        String name = o.requiredString("name");
        String model = o.requiredString("model");
        List<EvalMessage> input = parseMessages(o.node.get("input"), o.param("input"));
        List<String> labels = o.stringList("labels");
        List<String> passing = o.stringList("passing_labels");
        for (int i = 0; i < passing.size(); i++) {
            if (!labels.contains(passing.get(i))) {
                throw new GraderValidationException(o.param("passing_labels") + "[" + i + "]", "Passing label '"
                        + passing.get(i) + "' is not one of the labels " + quoteList(labels) + ".");
            }
        }
        return new LabelModelGrader(name, model, input, labels, passing);
    }

    private static Grader multi(Obj o, boolean insideMulti) {
        if (insideMulti) {
            throw new GraderValidationException(o.param("type"),
                    "Nested 'multi' graders are not allowed: a multi grader's graders cannot be multi graders.");
        }
        o.allow("type", "name", "graders", "calculate_output");
        String name = o.requiredString("name");
        Map<String, Grader> graders = parseSubGraders(o.node.get("graders"), o.param("graders"));
        String formulaText = o.requiredString("calculate_output");
        Formula formula;
        try {
            formula = Formula.parse(formulaText);
        } catch (FormulaException e) {
            throw new GraderValidationException(o.param("calculate_output"),
                    "Invalid formula in '" + o.param("calculate_output") + "': " + e.getMessage() + ".");
        }
        for (String variable : formula.variables()) {
            if (!graders.containsKey(variable)) {
                throw new GraderValidationException(o.param("calculate_output"), "The formula uses '"
                        + variable + "', which names no grader; the graders are " + quoteList(graders.keySet())
                        + ".");
            }
        }
        return new MultiGrader(name, graders, formulaText);
    }

    private static Map<String, Grader> parseSubGraders(JsonNode node, String path) {
        if (node == null) throw missing(path);
        Map<String, Grader> graders = new LinkedHashMap<>();
        if (node.isObject() && node.path("type").isTextual()) {
            Grader single = parseGrader(node, path, true);
            graders.put(single.name(), single);
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                graders.put(e.getKey(), parseGrader(e.getValue(), path + "." + e.getKey(), true));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Grader g = parseGrader(node.get(i), path + "[" + i + "]", true);
                if (graders.put(g.name(), g) != null) {
                    throw new GraderValidationException(path + "[" + i + "].name", "Two graders are named '" + g.name()
                            + "'; in the array form each grader's name is its variable in 'calculate_output', so "
                            + "names must be unique.");
                }
            }
        } else {
            throw wrongType(path, "an object (a grader, or a map from name to grader) or an array of graders", node);
        }
        if (graders.isEmpty()) throw new GraderValidationException(path, "A multi grader needs at least one grader.");
        return graders;
    }

    private static double[] parseRange(Obj o) {
        JsonNode node = o.node.get("range");
        if (node == null || node.isNull()) return new double[] {0, 1};
        String path = o.param("range");
        if (!node.isArray()) throw wrongType(path, "an array of two numbers", node);
        if (node.size() != 2) {
            throw new GraderValidationException(path, "'" + path + "' must hold exactly two numbers [min, max], got "
                    + node.size() + ".");
        }
        for (int i = 0; i < 2; i++) if (!node.get(i).isNumber()) throw wrongType(path + "[" + i + "]", "a number", node.get(i));
        double min = node.get(0).doubleValue();
        double max = node.get(1).doubleValue();
        if (!(min < max)) {
            throw new GraderValidationException(path, "'" + path + "' must be [min, max] with min < max, got ["
                    + node.get(0) + ", " + node.get(1) + "].");
        }
        return new double[] {min, max};
    }

    private static SamplingParams parseSamplingParams(Obj grader) {
        JsonNode node = grader.node.get("sampling_params");
        if (node == null || node.isNull()) return SamplingParams.DEFAULT;
        String path = grader.param("sampling_params");
        if (node.has("max_completion_tokens")) {
            throw new GraderValidationException(path + ".max_completion_tokens", "Unknown parameter: '" + path
                    + ".max_completion_tokens'. The grader parameter is spelt 'max_completions_tokens'.");
        }
        Obj o = Obj.of(node, path);
        o.allow("seed", "top_p", "temperature", "max_completions_tokens", "reasoning_effort");
        Long seed = o.optionalInteger("seed") == null ? null : o.node.get("seed").longValue();
        Integer maxTokens = o.optionalInteger("max_completions_tokens") == null ? null
                : o.node.get("max_completions_tokens").intValue();
        if (maxTokens != null && maxTokens < 1) {
            throw new GraderValidationException(o.param("max_completions_tokens"), "Invalid '"
                    + o.param("max_completions_tokens") + "': integer below minimum value 1.");
        }
        String effort = o.node.hasNonNull("reasoning_effort") ? o.requiredEnum("reasoning_effort", REASONING_EFFORTS) : null;
        return new SamplingParams(seed, o.optionalNumber("top_p"), o.optionalNumber("temperature"), maxTokens, effort);
    }

    private static List<EvalMessage> parseMessages(JsonNode node, String path) {
        if (node == null) throw missing(path);
        if (!node.isArray()) throw wrongType(path, "an array of messages", node);
        if (node.isEmpty()) throw new GraderValidationException(path, "'" + path + "' needs at least one message.");
        List<EvalMessage> messages = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Obj m = Obj.of(node.get(i), path + "[" + i + "]");
            m.allow("role", "content", "type");
            if (m.node.has("type")) m.requiredEnum("type", List.of("message"));
            String role = m.requiredEnum("role", ROLES);
            JsonNode content = m.node.get("content");
            String contentPath = m.param("content");
            if (content == null) throw missing(contentPath);
            if (content.isTextual()) {
                messages.add(new EvalMessage(role, List.of(EvalMessage.Part.text("input_text",
                        template(content.textValue(), contentPath))), true));
            } else if (content.isObject()) {
                messages.add(new EvalMessage(role, List.of(parsePart(content, contentPath)), false));
            } else if (content.isArray()) {
                if (content.isEmpty()) throw new GraderValidationException(contentPath, "'" + contentPath + "' is empty.");
                List<EvalMessage.Part> parts = new ArrayList<>();
                for (int j = 0; j < content.size(); j++) parts.add(parsePart(content.get(j), contentPath + "[" + j + "]"));
                messages.add(new EvalMessage(role, parts, false));
            } else {
                throw wrongType(contentPath, "a string, a content part or an array of content parts", content);
            }
        }
        return messages;
    }

    private static EvalMessage.Part parsePart(JsonNode node, String path) {
        // Content parts tolerate extra keys (examples send e.g. "file_id": null next to an image URL).
        Obj o = Obj.of(node, path);
        String type = o.requiredEnum("type", PART_TYPES);
        switch (type) {
            case "input_text":
            case "output_text":
                return EvalMessage.Part.text(type, o.template("text"));
            case "input_image":
                return new EvalMessage.Part(type, null, o.template("image_url"), o.optionalString("detail"), null);
            default: {
                Obj audio = Obj.of(o.node.get("input_audio"), o.param("input_audio"));
                String data = audio.requiredString("data");
                String format = audio.requiredEnum("format", AUDIO_FORMATS);
                return new EvalMessage.Part(type, null, null, null, Map.of("data", data, "format", format));
            }
        }
    }

    private static Template template(String text, String path) {
        try {
            return Template.parse(text);
        } catch (TemplateSyntaxException e) {
            throw new GraderValidationException(path, "Invalid template in '" + path + "': " + e.getMessage() + ".");
        }
    }

    private static GraderValidationException missing(String path) {
        return new GraderValidationException(path, "Missing required parameter: '" + path + "'.");
    }

    private static GraderValidationException wrongType(String path, String expected, JsonNode got) {
        return new GraderValidationException(path, "Invalid type for '" + path + "': expected " + expected
                + ", but got " + describe(got) + " instead.");
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) return "a string";
        if (node.isIntegralNumber()) return "an integer";
        if (node.isNumber()) return "a decimal number";
        if (node.isBoolean()) return "a boolean";
        if (node.isArray()) return "an array";
        if (node.isObject()) return "an object";
        return "null";
    }

    private static String quoteList(java.util.Collection<String> values) {
        List<String> quoted = values.stream().map(v -> "'" + v + "'").collect(Collectors.toList());
        if (quoted.size() <= 1) return String.join("", quoted);
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " and " + quoted.get(quoted.size() - 1);
    }

    /** A JSON object being read, with the param path of its fields. */
    private static final class Obj {
        final JsonNode node;
        final String path;

        private Obj(JsonNode node, String path) {
            this.node = node;
            this.path = path;
        }

        static Obj of(JsonNode node, String path) {
            if (node == null || node.isMissingNode()) throw missing(path);
            if (!node.isObject()) throw wrongType(path, "an object", node);
            return new Obj(node, path);
        }

        String param(String field) {
            return path + "." + field;
        }

        void allow(String... fields) {
            Set<String> allowed = Set.of(fields);
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw new GraderValidationException(param(name), "Unknown parameter: '" + param(name) + "'.");
                }
            }
        }

        String requiredString(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) throw missing(param(field));
            if (!v.isTextual()) throw wrongType(param(field), "a string", v);
            return v.textValue();
        }

        String optionalString(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) return null;
            if (!v.isTextual()) throw wrongType(param(field), "a string", v);
            return v.textValue();
        }

        String requiredEnum(String field, List<String> values) {
            String v = requiredString(field);
            if (!values.contains(v)) {
                throw new GraderValidationException(param(field), "Invalid value for '" + param(field) + "': '" + v
                        + "'. Supported values are: " + quoteList(values) + ".");
            }
            return v;
        }

        Template template(String field) {
            return Graders.template(requiredString(field), param(field));
        }

        Long optionalInteger(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) return null;
            if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(param(field), "an integer", v);
            return v.longValue();
        }

        Double optionalNumber(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) return null;
            if (!v.isNumber()) throw wrongType(param(field), "a number", v);
            return v.doubleValue();
        }

        List<String> stringList(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) throw missing(param(field));
            if (!v.isArray()) throw wrongType(param(field), "an array of strings", v);
            if (v.isEmpty()) throw new GraderValidationException(param(field), "'" + param(field) + "' is empty.");
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) throw wrongType(param(field) + "[" + i + "]", "a string", v.get(i));
                out.add(v.get(i).textValue());
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- writing

    /** The canonical JSON of a grader ({@code multi.graders} as a map from name to grader). */
    public static ObjectNode toJson(Grader grader) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", grader.type());
        o.put("name", grader.name());
        if (grader instanceof StringCheckGrader g) {
            o.put("input", g.input().source());
            o.put("reference", g.reference().source());
            o.put("operation", g.operation().wireName());
        } else if (grader instanceof TextSimilarityGrader g) {
            o.put("input", g.input().source());
            o.put("reference", g.reference().source());
            o.put("evaluation_metric", g.evaluationMetric().wireName());
        } else if (grader instanceof PythonGrader g) {
            o.put("source", g.source());
            if (g.imageTag() != null) o.put("image_tag", g.imageTag());
        } else if (grader instanceof ScoreModelGrader g) {
            o.put("model", g.model());
            o.set("input", messagesJson(g.input()));
            o.putArray("range").add(g.rangeMin()).add(g.rangeMax());
            ObjectNode params = Json.MAPPER.valueToTree(g.samplingParams());
            params.remove(params.properties().stream().filter(e -> e.getValue().isNull())
                    .map(Map.Entry::getKey).collect(Collectors.toList()));
            if (!params.isEmpty()) o.set("sampling_params", params);
        } else if (grader instanceof LabelModelGrader g) {
            o.put("model", g.model());
            o.set("input", messagesJson(g.input()));
            g.labels().forEach(o.putArray("labels")::add);
            g.passingLabels().forEach(o.putArray("passing_labels")::add);
        } else if (grader instanceof MultiGrader g) {
            ObjectNode graders = o.putObject("graders");
            g.graders().forEach((key, sub) -> graders.set(key, toJson(sub)));
            o.put("calculate_output", g.calculateOutput());
        }
        return o;
    }

    private static ArrayNode messagesJson(List<EvalMessage> messages) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (EvalMessage m : messages) {
            ObjectNode msg = out.addObject();
            msg.put("role", m.role());
            if (m.contentIsText()) {
                msg.put("content", m.content().get(0).text().source());
                continue;
            }
            ArrayNode parts = msg.putArray("content");
            for (EvalMessage.Part p : m.content()) {
                ObjectNode part = parts.addObject();
                part.put("type", p.type());
                if (p.text() != null) part.put("text", p.text().source());
                if (p.imageUrl() != null) part.put("image_url", p.imageUrl().source());
                if (p.detail() != null) part.put("detail", p.detail());
                if (p.inputAudio() != null) part.set("input_audio", Json.MAPPER.valueToTree(p.inputAudio()));
            }
        }
        return out;
    }
}
