package io.bulwark.sentiment.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A strict view of a parsed YAML mapping: every read names where it is, unknown keys are errors.
 */
final class Node {

    private final Map<String, Object> map;
    private final String where;

    private Node(Map<String, Object> map, String where) {
        this.map = map;
        this.where = where;
    }

    static Node of(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(what(where) + " must be a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return new Node(out, where);
    }

    Node only(String... keys) {
        Set<String> known = Set.of(keys);
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(what(where) + " has an unknown key '" + k + "' (known: "
                        + new TreeSet<>(known) + ")");
            }
        }
        return this;
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    Node node(String key) {
        return Node.of(require(key), path(key));
    }

    Node nodeOrEmpty(String key) {
        return has(key) ? node(key) : new Node(Map.of(), path(key));
    }

    List<Node> list(String key) {
        Object o = require(key);
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(path(key) + " must be a list");
        }
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            out.add(Node.of(l.get(i), path(key) + "[" + i + "]"));
        }
        return out;
    }

    Map<String, Node> children() {
        Map<String, Node> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, Node.of(v, path(k))));
        return out;
    }

    String string(String key) {
        return String.valueOf(require(key));
    }

    String string(String key, String otherwise) {
        return has(key) ? string(key) : otherwise;
    }

    double number(String key) {
        Object o = require(key);
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException(path(key) + " must be a number, not '" + o + "'");
        }
        return n.doubleValue();
    }

    double number(String key, double otherwise) {
        return has(key) ? number(key) : otherwise;
    }

    double share(String key, double otherwise) {
        double v = number(key, otherwise);
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(path(key) + " must be within 0..1: " + v);
        }
        return v;
    }

    long positiveLong(String key, long otherwise) {
        double v = number(key, otherwise);
        if (v < 1 || v != Math.rint(v)) {
            throw new IllegalArgumentException(path(key) + " must be a positive whole number: " + v);
        }
        return (long) v;
    }

    boolean bool(String key, boolean otherwise) {
        if (!has(key)) {
            return otherwise;
        }
        Object o = map.get(key);
        if (!(o instanceof Boolean b)) {
            throw new IllegalArgumentException(path(key) + " must be true or false, not '" + o + "'");
        }
        return b;
    }

    String where() {
        return where;
    }

    private Object require(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException(what(where) + " lacks '" + key + "'");
        }
        return v;
    }

    private String path(String key) {
        return where.isEmpty() ? key : where + "." + key;
    }

    /** The root ("") is the file itself in messages. */
    private static String what(String where) {
        return where.isEmpty() ? "the scenario" : where;
    }
}
