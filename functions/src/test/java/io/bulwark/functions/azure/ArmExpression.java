package io.bulwark.functions.azure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An ARM template expression ({@code "[concat(parameters('a'), 'b')]"}), parsed: function calls with arguments,
 * single-quoted strings ({@code ''} escapes a quote), numbers, and property or index access after a value
 * ({@code reference(...).identity.principalId}, {@code keys[0]}). Enough of the language to refuse a malformed
 * expression and to find every function an expression calls with its literal arguments; it does not evaluate.
 */
sealed interface ArmExpression {

    /** A function call: {@code name(args)}, with the accesses after it. */
    record Call(String name, List<ArmExpression> args) implements ArmExpression {
    }

    /** A string literal. */
    record Text(String value) implements ArmExpression {
    }

    /** A number literal. */
    record Number(String value) implements ArmExpression {
    }

    /** {@code target.property} or {@code target[index]}. */
    record Access(ArmExpression target, ArmExpression member) implements ArmExpression {
    }

    /** True if {@code value} is an expression: in brackets, and not the {@code [[} escape of a literal bracket. */
    static boolean isExpression(String value) {
        return value.startsWith("[") && value.endsWith("]") && !value.startsWith("[[");
    }

    /** Parses a whole template string ({@code "[...]"}); throws IllegalArgumentException where it is malformed. */
    static ArmExpression parse(String value) {
        if (!isExpression(value)) {
            throw new IllegalArgumentException("not an expression: " + value);
        }
        Parser p = new Parser(value.substring(1, value.length() - 1));
        ArmExpression e = p.expression();
        p.skipSpace();
        if (p.at < p.text.length()) {
            throw p.error("unexpected '" + p.text.charAt(p.at) + "'");
        }
        return e;
    }

    /** Visits every call in this expression, outermost first. */
    default void calls(Consumer<Call> visitor) {
        switch (this) {
            case Call c -> {
                visitor.accept(c);
                c.args().forEach(a -> a.calls(visitor));
            }
            case Access a -> {
                a.target().calls(visitor);
                a.member().calls(visitor);
            }
            case Text t -> {
            }
            case Number n -> {
            }
        }
    }

    /** The literal text of argument {@code i} of a call, or null when it is not a literal. */
    static String literal(Call call, int i) {
        return i < call.args().size() && call.args().get(i) instanceof Text t ? t.value() : null;
    }

    final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        ArmExpression expression() {
            skipSpace();
            ArmExpression e = primary();
            while (true) {
                skipSpace();
                if (peek('.')) {
                    at++;
                    e = new Access(e, new Text(identifier()));
                } else if (peek('[')) {
                    at++;
                    ArmExpression index = expression();
                    expect(']');
                    e = new Access(e, index);
                } else {
                    return e;
                }
            }
        }

        private ArmExpression primary() {
            if (peek('\'')) {
                return string();
            }
            if (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '-')) {
                int start = at++;
                while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                    at++;
                }
                return new Number(text.substring(start, at));
            }
            String name = identifier();
            skipSpace();
            expect('(');
            List<ArmExpression> args = new ArrayList<>();
            skipSpace();
            if (!peek(')')) {
                do {
                    args.add(expression());
                    skipSpace();
                } while (consume(','));
            }
            expect(')');
            return new Call(name, List.copyOf(args));
        }

        private Text string() {
            StringBuilder out = new StringBuilder();
            at++;
            while (true) {
                if (at >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '\'') {
                    if (peek('\'')) {
                        out.append('\'');
                        at++;
                    } else {
                        return new Text(out.toString());
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private String identifier() {
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            if (start == at || !Character.isLetter(text.charAt(start))) {
                throw error("a name expected");
            }
            return text.substring(start, at);
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private boolean consume(char c) {
            if (peek(c)) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            skipSpace();
            if (!consume(c)) {
                throw error("'" + c + "' expected");
            }
        }

        void skipSpace() {
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at " + at + " in [" + text + "]");
        }
    }
}
