package dev.finetune4j.grade;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code calculate_output} formula of a multi grader: numbers, variables (the sub-grader names), the operators
 * {@code + - * / ^} (power binds tightest and groups to the right; {@code -2^2} is {@code -4}), parentheses,
 * unary minus and the functions {@code min max abs floor ceil exp sqrt log} ({@code log} is the natural
 * logarithm; {@code min} and {@code max} take one or more arguments, the others exactly one).
 *
 * <p>Example: {@code Formula.parse("0.5 * name + 0.5 * max(email, 0)").evaluate(Map.of("name", 1.0, "email", 0.0))}.
 */
public final class Formula {
    private static final Set<String> UNARY_FUNCTIONS = Set.of("abs", "floor", "ceil", "exp", "sqrt", "log");
    private static final Set<String> VARIADIC_FUNCTIONS = Set.of("min", "max");

    private final String source;
    private final Node root;
    private final Set<String> variables;

    private Formula(String source, Node root, Set<String> variables) {
        this.source = source;
        this.root = root;
        this.variables = Collections.unmodifiableSet(variables);
    }

    /** Parses a formula; throws {@link FormulaException} with the position of the first problem. */
    public static Formula parse(String source) {
        if (source == null || source.isBlank()) throw new FormulaException("the formula is empty", 0);
        Parser parser = new Parser(source);
        Node root = parser.expression();
        parser.skipSpaces();
        if (parser.pos < source.length()) {
            throw new FormulaException(parser.describe("unexpected '" + source.charAt(parser.pos) + "'"), parser.pos);
        }
        return new Formula(source, root, parser.variables);
    }

    /** The formula text as written. */
    public String source() {
        return source;
    }

    /** The variable names the formula uses, in order of first appearance. */
    public Set<String> variables() {
        return variables;
    }

    /**
     * Evaluates the formula. The result follows IEEE arithmetic: {@code 1/0} is infinite and {@code sqrt(-1)} is
     * NaN; callers decide what a non-finite reward means. Throws {@link FormulaException} for a variable that
     * has no value.
     */
    public double evaluate(Map<String, Double> values) {
        return root.eval(values);
    }

    @Override
    public String toString() {
        return source;
    }

    private interface Node {
        double eval(Map<String, Double> values);
    }

    private record Constant(double value) implements Node {
        public double eval(Map<String, Double> values) {
            return value;
        }
    }

    private record Variable(String name, int position) implements Node {
        public double eval(Map<String, Double> values) {
            Double v = values.get(name);
            if (v == null) throw new FormulaException("unknown variable '" + name + "' at position " + position, position);
            return v;
        }
    }

    private record Negate(Node operand) implements Node {
        public double eval(Map<String, Double> values) {
            return -operand.eval(values);
        }
    }

    private record Binary(char op, Node left, Node right) implements Node {
        public double eval(Map<String, Double> values) {
            double a = left.eval(values);
            double b = right.eval(values);
            switch (op) {
                case '+': return a + b;
                case '-': return a - b;
                case '*': return a * b;
                case '/': return a / b;
                default: return Math.pow(a, b);
            }
        }
    }

    private record Call(String function, List<Node> args) implements Node {
        public double eval(Map<String, Double> values) {
            double first = args.get(0).eval(values);
            switch (function) {
                case "abs": return Math.abs(first);
                case "floor": return Math.floor(first);
                case "ceil": return Math.ceil(first);
                case "exp": return Math.exp(first);
                case "sqrt": return Math.sqrt(first);
                case "log": return Math.log(first);
                default:
                    double acc = first;
                    for (int i = 1; i < args.size(); i++) {
                        double v = args.get(i).eval(values);
                        acc = function.equals("min") ? Math.min(acc, v) : Math.max(acc, v);
                    }
                    return acc;
            }
        }
    }

    /** Recursive descent over: expr = term (('+'|'-') term)*; term = unary (('*'|'/') unary)*;
     *  unary = ('-'|'+') unary | power; power = primary ('^' unary)?; primary = number | name | name '(' args ')' | '(' expr ')'. */
    private static final class Parser {
        final String src;
        int pos;
        final Set<String> variables = new LinkedHashSet<>();

        Parser(String src) {
            this.src = src;
        }

        Node expression() {
            Node left = term();
            while (true) {
                skipSpaces();
                if (peek('+') || peek('-')) {
                    char op = src.charAt(pos++);
                    left = new Binary(op, left, term());
                } else {
                    return left;
                }
            }
        }

        Node term() {
            Node left = unary();
            while (true) {
                skipSpaces();
                if (peek('*') || peek('/')) {
                    char op = src.charAt(pos++);
                    left = new Binary(op, left, unary());
                } else {
                    return left;
                }
            }
        }

        Node unary() {
            skipSpaces();
            if (peek('-')) {
                pos++;
                return new Negate(unary());
            }
            if (peek('+')) {
                pos++;
                return unary();
            }
            return power();
        }

        Node power() {
            Node base = primary();
            skipSpaces();
            if (peek('^')) {
                pos++;
                return new Binary('^', base, unary());
            }
            return base;
        }

        Node primary() {
            skipSpaces();
            if (pos >= src.length()) throw new FormulaException(describe("unexpected end of formula"), pos);
            char c = src.charAt(pos);
            if (c == '(') {
                int open = pos++;
                Node inner = expression();
                skipSpaces();
                if (!peek(')')) {
                    throw new FormulaException(describe("expected ')' to close '(' at position " + open), pos);
                }
                pos++;
                return inner;
            }
            if (Character.isDigit(c) || c == '.') return number();
            if (Character.isLetter(c) || c == '_') return nameOrCall();
            throw new FormulaException(describe("unexpected '" + c + "'"), pos);
        }

        Node number() {
            int start = pos;
            while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) pos++;
            if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
                int save = pos++;
                if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
                if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
                } else {
                    pos = save;
                }
            }
            String text = src.substring(start, pos);
            try {
                return new Constant(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                throw new FormulaException(describeAt(start, "invalid number '" + text + "'"), start);
            }
        }

        Node nameOrCall() {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
            String name = src.substring(start, pos);
            skipSpaces();
            if (!peek('(')) {
                variables.add(name);
                return new Variable(name, start);
            }
            boolean unary = UNARY_FUNCTIONS.contains(name);
            if (!unary && !VARIADIC_FUNCTIONS.contains(name)) {
                throw new FormulaException(describeAt(start, "unknown function '" + name
                        + "' (functions: min, max, abs, floor, ceil, exp, sqrt, log)"), start);
            }
            pos++;
            List<Node> args = new ArrayList<>();
            skipSpaces();
            if (peek(')')) {
                throw new FormulaException(describeAt(start, name + "() needs at least one argument"), start);
            }
            while (true) {
                args.add(expression());
                skipSpaces();
                if (peek(',')) {
                    pos++;
                } else if (peek(')')) {
                    pos++;
                    break;
                } else {
                    throw new FormulaException(describe("expected ',' or ')' in the arguments of " + name + "()"), pos);
                }
            }
            if (unary && args.size() != 1) {
                throw new FormulaException(describeAt(start, name + "() takes exactly one argument, got "
                        + args.size()), start);
            }
            return new Call(name, List.copyOf(args));
        }

        void skipSpaces() {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
        }

        boolean peek(char c) {
            return pos < src.length() && src.charAt(pos) == c;
        }

        String describe(String reason) {
            return describeAt(pos, reason);
        }

        String describeAt(int at, String reason) {
            return "cannot parse formula at position " + at + ": " + reason;
        }
    }
}
