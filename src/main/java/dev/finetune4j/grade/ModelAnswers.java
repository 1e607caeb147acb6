package dev.finetune4j.grade;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading grader-model answers. Models are asked for {@code {"result": ..., "steps": [...]}}, but small or
 * unconstrained models wrap it in prose or code fences, or answer with the bare value; all of these are read.
 */
final class ModelAnswers {
    private ModelAnswers() {}

    /** A chat {@code response_format} asking for {@code {"steps": [{description, conclusion}], "result": <result>}}. */
    static Map<String, Object> responseFormat(String name, Map<String, Object> resultSchema) {
        Map<String, Object> step = Map.of("type", "object",
                "properties", Map.of("description", Map.of("type", "string"), "conclusion", Map.of("type", "string")),
                "required", List.of("description", "conclusion"), "additionalProperties", false);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("steps", Map.of("type", "array", "items", step));
        properties.put("result", resultSchema);
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", List.of("steps", "result"));
        schema.put("additionalProperties", false);
        Map<String, Object> jsonSchema = new LinkedHashMap<>();
        jsonSchema.put("name", name);
        jsonSchema.put("strict", true);
        jsonSchema.put("schema", schema);
        Map<String, Object> format = new LinkedHashMap<>();
        format.put("type", "json_schema");
        format.put("json_schema", jsonSchema);
        return format;
    }

    /** The numeric result of an answer, or null when there is none (or it is not finite). */
    static Double score(String text) {
        JsonNode json = extractJson(text);
        Double value = null;
        if (json != null && json.isObject()) {
            JsonNode result = json.get("result");
            if (result != null && result.isNumber()) value = result.doubleValue();
            else if (result != null && result.isTextual()) value = parseNumber(result.textValue());
        } else if (json != null && json.isNumber()) {
            value = json.doubleValue();
        } else if (json == null) {
            value = parseNumber(text);
        }
        return value != null && Double.isFinite(value) ? value : null;
    }

    /** The label of an answer if it is one of {@code labels} (exactly, else ignoring case), or null. */
    static String label(String text, List<String> labels) {
        JsonNode json = extractJson(text);
        String candidate;
        if (json != null && json.isObject() && json.path("result").isTextual()) candidate = json.get("result").textValue();
        else if (json != null && json.isTextual()) candidate = json.textValue();
        else if (json == null) candidate = text;
        else return null;
        candidate = candidate.strip();
        if (candidate.endsWith(".")) candidate = candidate.substring(0, candidate.length() - 1).strip();
        if (candidate.length() >= 2 && (candidate.startsWith("\"") && candidate.endsWith("\"")
                || candidate.startsWith("'") && candidate.endsWith("'"))) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        if (labels.contains(candidate)) return candidate;
        String match = null;
        for (String label : labels) {
            if (label.equalsIgnoreCase(candidate)) {
                if (match != null) return null;
                match = label;
            }
        }
        return match;
    }

    /** The JSON in an answer: the whole text, the inside of a code fence, or the outermost {...}; else null. */
    static JsonNode extractJson(String text) {
        String t = text.strip();
        if (t.startsWith("```")) {
            int firstLine = t.indexOf('\n');
            int fenceEnd = t.lastIndexOf("```");
            if (firstLine > 0 && fenceEnd > firstLine) t = t.substring(firstLine + 1, fenceEnd).strip();
        }
        JsonNode node = Sample.parseJson(t);
        if (node != null) return node;
        int open = t.indexOf('{');
        int close = t.lastIndexOf('}');
        return open >= 0 && close > open ? Sample.parseJson(t.substring(open, close + 1)) : null;
    }

    private static Double parseNumber(String s) {
        String t = s.strip();
        if (t.isEmpty() || !t.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?")) return null;
        return Double.parseDouble(t);
    }
}
