package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One route's path, parsed: literal segments and whole-segment {@code {variables}} (see
 * {@link FunctionEndpoints.Endpoint}).
 */
record PathTemplate(String text, List<String> segments) {

    private static final Pattern VARIABLE = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_]*}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@-]+");

    /**
     * @throws IllegalArgumentException for an empty segment, a brace that is not a whole variable, or a variable
     *                                  named twice
     */
    static PathTemplate parse(String text) {
        List<String> segments = List.of(text.split("/", -1));
        Set<String> names = new HashSet<>();
        for (String s : segments) {
            boolean variable = VARIABLE.matcher(s).matches();
            if (!variable && !LITERAL.matcher(s).matches()) {
                throw new IllegalArgumentException("route '" + text + "': segment '" + s + "' is neither a literal"
                        + " nor a {variable}");
            }
            if (variable && !names.add(s)) {
                throw new IllegalArgumentException("route '" + text + "' names " + s + " twice");
            }
        }
        return new PathTemplate(text, segments);
    }

    static boolean isVariable(String segment) {
        return segment.startsWith("{");
    }

    /** Returns the variables' values when {@code path} (split and decoded) matches, else null. */
    Map<String, String> match(List<String> path) {
        if (path.size() != segments.size()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            String p = path.get(i);
            if (isVariable(s)) {
                if (p.isEmpty()) {
                    return null;
                }
                values.put(s.substring(1, s.length() - 1), p);
            } else if (!s.equals(p)) {
                return null;
            }
        }
        return values;
    }

    /**
     * Returns the text with every variable written {@code {}}: two templates with the same shape match the same
     * paths.
     */
    String shape() {
        return String.join("/", segments.stream().map(s -> isVariable(s) ? "{}" : s).toList());
    }

    /** Orders templates so that a literal beats a variable at the first segment where two differ. */
    static int bySpecificity(PathTemplate a, PathTemplate b) {
        int n = Math.min(a.segments.size(), b.segments.size());
        for (int i = 0; i < n; i++) {
            int c = Boolean.compare(isVariable(a.segments.get(i)), isVariable(b.segments.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.segments.size(), b.segments.size());
    }

    /**
     * Returns the segments of a request path: leading and trailing slashes dropped ({@code /predict/} is
     * {@code predict}), each segment percent-decoded on its own (so {@code %2F} stays inside its segment).
     *
     * @throws RequestRejected (400) for a malformed percent-escape
     */
    static List<String> split(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        List<String> out = new ArrayList<>();
        for (String raw : path.substring(from, to).split("/", -1)) {
            out.add(decode(raw));
        }
        return out;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            // URLDecoder is for forms, where '+' is a space; in a path it is a plus.
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RequestRejected("bad_request", "path", "the path segment '" + segment
                    + "' has a malformed percent-escape");
        }
    }
}
