package dev.finetune4j.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a grader is made of, looked up through multi graders: its python graders (which run code, so a server
 * decides who may use them) and its templates (whose {@code item.*} paths a training file must have).
 *
 * <p>Example: {@code GraderParts.missingItemFields(grader, Json.tree("{\"question\": \"2+2\"}"))} is
 * {@code [item.answer]} for a grader that reads {@code {{ item.answer }}}.
 */
public final class GraderParts {
    private GraderParts() {}

    /**
     * The python graders, each under the parameter that names it: {@code param} itself, or
     * {@code param.graders.<key>} inside a multi grader.
     */
    public static Map<String, PythonGrader> python(Grader grader, String param) {
        Map<String, PythonGrader> out = new LinkedHashMap<>();
        collectPython(grader, param, out);
        return out;
    }

    private static void collectPython(Grader grader, String param, Map<String, PythonGrader> out) {
        if (grader instanceof PythonGrader p) out.put(param, p);
        if (grader instanceof MultiGrader m) {
            m.graders().forEach((key, g) -> collectPython(g, param + ".graders." + key, out));
        }
    }

    /** Every template of the grader and its sub-graders, in order. */
    public static List<Template> templates(Grader grader) {
        List<Template> out = new ArrayList<>();
        if (grader instanceof StringCheckGrader g) {
            out.add(g.input());
            out.add(g.reference());
        } else if (grader instanceof TextSimilarityGrader g) {
            out.add(g.input());
            out.add(g.reference());
        } else if (grader instanceof ScoreModelGrader g) {
            addMessages(g.input(), out);
        } else if (grader instanceof LabelModelGrader g) {
            addMessages(g.input(), out);
        } else if (grader instanceof MultiGrader m) {
            for (Grader g : m.graders().values()) out.addAll(templates(g));
        }
        return out;
    }

    private static void addMessages(List<EvalMessage> messages, List<Template> out) {
        for (EvalMessage m : messages) {
            for (EvalMessage.Part p : m.content()) {
                if (p.text() != null) out.add(p.text());
                if (p.imageUrl() != null) out.add(p.imageUrl());
            }
        }
    }

    /**
     * The {@code item.*} paths the grader's templates read that {@code item} lacks, each once, written as
     * {@code item.answer} or {@code item.choices[0]}. Python graders read the item too, but what they read cannot
     * be known without running them.
     */
    public static List<String> missingItemFields(Grader grader, JsonNode item) {
        ObjectNode scope = JsonNodeFactory.instance.objectNode();
        scope.set("item", item == null ? JsonNodeFactory.instance.objectNode() : item);
        Set<String> missing = new LinkedHashSet<>();
        for (Template t : templates(grader)) {
            for (Template.Variable v : t.variables()) {
                if ("item".equals(v.namespace()) && Template.resolve(scope, v.path()) == null) missing.add(dotted(v));
            }
        }
        return List.copyOf(missing);
    }

    private static String dotted(Template.Variable v) {
        StringBuilder sb = new StringBuilder();
        for (Object step : v.path()) {
            if (step instanceof Integer i) sb.append('[').append(i).append(']');
            else sb.append(sb.length() == 0 ? "" : ".").append(step);
        }
        return sb.toString();
    }
}
