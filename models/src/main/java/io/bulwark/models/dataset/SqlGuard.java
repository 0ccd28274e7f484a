package io.bulwark.models.dataset;

import io.bulwark.resilience.failure.RequestRejected;

import java.util.Locale;
import java.util.Set;

/**
 * The first line of a query's read-only guard: one statement, starting with {@code SELECT} or {@code WITH}, and no
 * word of a statement that writes, locks or reconfigures outside string literals, quoted identifiers and comments.
 * The second line is the connection itself, opened read-only: this check gives the caller a clear 400 before the
 * database refuses, it is not what makes the query harmless.
 */
final class SqlGuard {

    /** Words that write, lock, change the schema or the session; {@code INTO} catches {@code SELECT ... INTO}. */
    private static final Set<String> REFUSED = Set.of("insert", "update", "delete", "merge", "upsert", "drop", "create",
            "alter", "truncate", "grant", "revoke", "copy", "attach", "detach", "pragma", "vacuum", "reindex", "call",
            "exec", "execute", "into", "lock");

    private SqlGuard() {
    }

    /** Returns the query without a trailing semicolon, or throws the 400 {@code query_not_allowed} naming {@code query}. */
    static String check(String query) {
        String q = query.strip();
        StringBuilder words = new StringBuilder();
        String first = null;
        int end = q.length();
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int close = q.indexOf(c, i + 1);
                while (close >= 0 && close + 1 < q.length() && q.charAt(close + 1) == c) {
                    close = q.indexOf(c, close + 2); // '' inside a literal
                }
                if (close < 0) {
                    throw refused("the query has an unclosed " + (c == '\'' ? "string literal" : "quoted identifier"));
                }
                i = close;
            } else if (c == '-' && i + 1 < q.length() && q.charAt(i + 1) == '-') {
                int nl = q.indexOf('\n', i);
                i = nl < 0 ? q.length() : nl;
            } else if (c == '/' && i + 1 < q.length() && q.charAt(i + 1) == '*') {
                int close = q.indexOf("*/", i + 2);
                if (close < 0) {
                    throw refused("the query has an unclosed comment");
                }
                i = close + 1;
            } else if (c == '$' && i + 1 < q.length() && q.charAt(i + 1) == '$') {
                throw refused("dollar-quoted text is not accepted in a dataset query");
            } else if (c == ';') {
                if (!q.substring(i + 1).strip().isEmpty()) {
                    throw refused("the query must be a single statement: nothing may follow a ';'");
                }
                end = i;
                break;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < q.length() && (Character.isLetterOrDigit(q.charAt(j)) || q.charAt(j) == '_')) {
                    j++;
                }
                String word = q.substring(i, j).toLowerCase(Locale.ROOT);
                if (first == null) {
                    first = word;
                }
                if (REFUSED.contains(word)) {
                    throw refused("the query holds '" + word.toUpperCase(Locale.ROOT) + "': a dataset query only reads"
                            + " (one SELECT or WITH ... SELECT)");
                }
                words.append(word).append(' ');
                i = j - 1;
            }
        }
        if (first == null) {
            throw new RequestRejected("empty_field", "query", "\"query\" must not be empty");
        }
        if (!first.equals("select") && !first.equals("with")) {
            throw refused("the query must start with SELECT or WITH, not " + first.toUpperCase(Locale.ROOT));
        }
        return q.substring(0, end).strip();
    }

    private static RequestRejected refused(String message) {
        return new RequestRejected("query_not_allowed", "query", message);
    }
}
