package dev.finetune4j.grade;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A grader template such as {@code "Answer: {{ sample.output_text }} vs {{item.label}}"}: literal text with
 * {@code {{ namespace.path }}} variables. The namespaces are {@code item} and {@code sample}; a path walks object
 * keys with {@code .key} and array elements with {@code [index]}, e.g.
 * {@code {{sample.output_tools[0].function.name}}}. Spaces inside the braces are optional.
 *
 * <p>Example: {@code Template.parse("{{item.label}}").render(Sample.of("x").scope(item))}.
 */
public final class Template {
    /** The fields of the {@code sample} namespace that this implementation fills. */
    public static final Set<String> SAMPLE_FIELDS = Set.of("output_text", "output_json", "output_tools", "choices");

    private final String source;
    private final List<Object> parts; // String literals and Variable references, in order

    private Template(String source, List<Object> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** A reference to a value: the text between the braces, and its path (keys as String, indexes as Integer). */
    public record Variable(String expression, List<Object> path) {
        public Variable {
            path = List.copyOf(path);
        }

        /** {@code item} or {@code sample}. */
        public String namespace() {
            return (String) path.get(0);
        }
    }

    /** The rendered text and the variables that had no value (rendered as empty text). */
    public record Rendered(String text, List<Variable> missing) {
        public Rendered {
            missing = List.copyOf(missing);
        }
    }

    /** Parses a template, e.g. {@code Template.parse("{{ item.reference_answer }}")}. */
    public static Template parse(String source) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            int open = source.indexOf("{{", i);
            if (open < 0) {
                literal.append(source, i, source.length());
                break;
            }
            literal.append(source, i, open);
            int close = source.indexOf("}}", open + 2);
            if (close < 0) {
                throw new TemplateSyntaxException("unclosed '{{' at offset " + open + " (expected '}}')", open);
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(parseVariable(source.substring(open + 2, close), open));
            i = close + 2;
        }
        if (literal.length() > 0) parts.add(literal.toString());
        return new Template(source, parts);
    }

    private static Variable parseVariable(String body, int offset) {
        String expr = body.strip();
        if (expr.isEmpty()) throw new TemplateSyntaxException("empty variable '{{}}' at offset " + offset, offset);
        List<Object> path = new ArrayList<>();
        int i = 0;
        int start = i;
        while (i < expr.length() && isKeyChar(expr.charAt(i))) i++;
        if (i == start) throw syntax(expr, offset, "expected a namespace (item or sample)");
        String namespace = expr.substring(start, i);
        if (!namespace.equals("item") && !namespace.equals("sample")) {
            throw new TemplateSyntaxException("unknown namespace '" + namespace + "' in '{{" + body
                    + "}}' at offset " + offset + "; the namespaces are 'item' and 'sample'", offset);
        }
        path.add(namespace);
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '.') {
                start = ++i;
                while (i < expr.length() && isKeyChar(expr.charAt(i))) i++;
                if (i == start) throw syntax(expr, offset, "expected a key after '.'");
                path.add(expr.substring(start, i));
            } else if (c == '[') {
                start = ++i;
                while (i < expr.length() && Character.isDigit(expr.charAt(i))) i++;
                if (i == start || i >= expr.length() || expr.charAt(i) != ']') {
                    throw syntax(expr, offset, "expected an index like [0]");
                }
                path.add(Integer.parseInt(expr.substring(start, i)));
                i++;
            } else {
                throw syntax(expr, offset, "unexpected character '" + c + "'");
            }
        }
        if (namespace.equals("sample") && path.size() > 1) {
            Object field = path.get(1);
            if (!(field instanceof String name) || !SAMPLE_FIELDS.contains(name)) {
                throw new TemplateSyntaxException("unknown sample field '" + field + "' in '{{" + body
                        + "}}'; the sample fields are output_text, output_json, output_tools and choices", offset);
            }
        }
        return new Variable(expr, path);
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$';
    }

    private static TemplateSyntaxException syntax(String expr, int offset, String reason) {
        return new TemplateSyntaxException("invalid variable '{{" + expr + "}}' at offset " + offset + ": " + reason,
                offset);
    }

    /** The template text as written. */
    public String source() {
        return source;
    }

    /** The variables the template refers to, in order of appearance. */
    public List<Variable> variables() {
        List<Variable> vars = new ArrayList<>();
        for (Object part : parts) if (part instanceof Variable v) vars.add(v);
        return vars;
    }

    /**
     * Renders against a scope object {@code {"item": ..., "sample": ...}} (see {@link Sample#scope}). Strings are
     * inserted as they are, other values as compact JSON, JSON null as empty text; a path that leads nowhere
     * renders as empty text and is reported in {@link Rendered#missing()}.
     */
    public Rendered render(JsonNode scope) {
        StringBuilder out = new StringBuilder();
        List<Variable> missing = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.append(s);
                continue;
            }
            Variable v = (Variable) part;
            JsonNode value = resolve(scope, v.path());
            if (value == null) {
                missing.add(v);
            } else if (value.isTextual()) {
                out.append(value.textValue());
            } else if (!value.isNull()) {
                out.append(value.toString());
            }
        }
        return new Rendered(out.toString(), missing);
    }

    /** The value at a path, or null when the path leads nowhere. */
    static JsonNode resolve(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object step : path) {
            if (node == null) return null;
            node = step instanceof Integer index ? (node.isArray() ? node.get(index) : null)
                    : (node.isObject() ? node.get((String) step) : null);
        }
        return node == null || node.isMissingNode() ? null : node;
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template t && t.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }
}
