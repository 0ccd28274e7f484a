package io.bulwark.models.pipeline;

import io.bulwark.resilience.failure.RequestRejected;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A derived feature's formula: numbers, numeric feature names, {@code + - * /}, unary minus and parentheses — nothing
 * else (no functions, no script engine), so a pipeline sent to {@code /train} can compute but never run code.
 * A missing operand makes the result missing; a result that is not finite (a division by zero) is missing too.
 */
final class Expression {

    /** Longest formula accepted: a derived feature is a ratio or a sum, not a program. */
    static final int MAX_LENGTH = 200;

    private sealed interface Node permits Constant, Feature, Unary, Binary {
        Double eval(Map<String, Object> row);
    }

    private record Constant(double value) implements Node {
        public Double eval(Map<String, Object> row) {
            return value;
        }
    }

    private record Feature(String name) implements Node {
        public Double eval(Map<String, Object> row) {
            return row.get(name) instanceof Double d ? d : null;
        }
    }

    private record Unary(Node operand) implements Node {
        public Double eval(Map<String, Object> row) {
            Double v = operand.eval(row);
            return v == null ? null : -v;
        }
    }

    private record Binary(char op, Node left, Node right) implements Node {
        public Double eval(Map<String, Object> row) {
            Double a = left.eval(row);
            Double b = right.eval(row);
            if (a == null || b == null) {
                return null;
            }
            return switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                default -> a / b;
            };
        }
    }

    private final String text;
    private final Node root;
    private final List<String> features;

    private Expression(String text, Node root, List<String> features) {
        this.text = text;
        this.root = root;
        this.features = List.copyOf(features);
    }

    /**
     * Parses {@code text}; every name must be one of {@code numeric}. A refusal is a 400 naming {@code field}.
     */
    static Expression parse(String text, Set<String> numeric, String field) {
        if (text.isBlank() || text.length() > MAX_LENGTH) {
            throw new RequestRejected("invalid_value", field, "the expression must hold 1 to " + MAX_LENGTH
                    + " characters");
        }
        Parser p = new Parser(text, numeric, field);
        Node root = p.sum();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return new Expression(text, root, p.names);
    }

    /** Returns the value for {@code row}, null when an operand is missing or the result is not finite. */
    Double eval(Map<String, Object> row) {
        Double v = root.eval(row);
        return v == null || !Double.isFinite(v) ? null : v;
    }

    /** Returns the feature names the formula reads. */
    List<String> features() {
        return features;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Recursive descent: sum := product (('+'|'-') product)*, product := unary (('*'|'/') unary)*. */
    private static final class Parser {
        private final String text;
        private final Set<String> numeric;
        private final String field;
        private final List<String> names = new ArrayList<>();
        private int pos;
        private int depth;

        Parser(String text, Set<String> numeric, String field) {
            this.text = text;
            this.numeric = numeric;
            this.field = field;
        }

        Node sum() {
            Node left = product();
            for (skipSpace(); pos < text.length() && (peek() == '+' || peek() == '-'); skipSpace()) {
                char op = text.charAt(pos++);
                left = new Binary(op, left, product());
            }
            return left;
        }

        Node product() {
            Node left = unary();
            for (skipSpace(); pos < text.length() && (peek() == '*' || peek() == '/'); skipSpace()) {
                char op = text.charAt(pos++);
                left = new Binary(op, left, unary());
            }
            return left;
        }

        Node unary() {
            skipSpace();
            if (pos >= text.length()) {
                throw error("the expression ends where an operand was expected");
            }
            char c = peek();
            if (c == '-') {
                pos++;
                return new Unary(unary());
            }
            if (c == '(') {
                if (++depth > 20) {
                    throw error("parentheses nest too deep");
                }
                pos++;
                Node inner = sum();
                skipSpace();
                if (pos >= text.length() || peek() != ')') {
                    throw error("a '(' is not closed");
                }
                pos++;
                depth--;
                return inner;
            }
            if (Character.isDigit(c) || c == '.') {
                int start = pos;
                while (pos < text.length() && (Character.isDigit(peek()) || peek() == '.')) {
                    pos++;
                }
                try {
                    return new Constant(Double.parseDouble(text.substring(start, pos)));
                } catch (NumberFormatException e) {
                    throw error("'" + text.substring(start, pos) + "' is not a number");
                }
            }
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
                    pos++;
                }
                String name = text.substring(start, pos);
                if (!numeric.contains(name)) {
                    throw error("'" + name + "' is not a numeric feature at this step; numeric features: "
                            + String.join(", ", numeric));
                }
                if (!names.contains(name)) {
                    names.add(name);
                }
                return new Feature(name);
            }
            throw error("unexpected '" + c + "'; an expression holds numbers, numeric features, + - * / and"
                    + " parentheses");
        }

        char peek() {
            return text.charAt(pos);
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(peek())) {
                pos++;
            }
        }

        RequestRejected error(String what) {
            return new RequestRejected("invalid_value", field, "expression '" + text + "' at character " + (pos + 1)
                    + ": " + what);
        }
    }
}
