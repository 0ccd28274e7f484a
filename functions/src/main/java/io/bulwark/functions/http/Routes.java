package io.bulwark.functions.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatcher's routing table: each path template with the functions that take it, one per method, tried most
 * specific first (see {@link FunctionEndpoints.Endpoint}).
 */
final class Routes {

    /** One template and its functions by method. */
    record Route(PathTemplate template, Map<String, HttpFunction> byMethod) {

        /** Returns e.g. {@code GET or POST}, sorted. */
        String methods() {
            return String.join(" or ", new java.util.TreeSet<>(byMethod.keySet()));
        }

        /** Any of its functions: they share a path, and so the form of its refusals. */
        HttpFunction any() {
            return byMethod.values().iterator().next();
        }
    }

    /** A route matched by a path, and its variables' values. */
    record Match(Route route, Map<String, String> parameters) {
    }

    private final List<Route> routes;

    /**
     * @throws IllegalArgumentException if two functions take the same method on the same route, or two routes of
     *                                  the same shape name their variables differently
     */
    Routes(List<? extends HttpFunction> functions) {
        Map<String, Route> byShape = new LinkedHashMap<>();
        for (HttpFunction f : functions) {
            PathTemplate t = PathTemplate.parse(f.endpoint().name());
            Route route = byShape.computeIfAbsent(t.shape(), k -> new Route(t, new LinkedHashMap<>()));
            if (!route.template().text().equals(t.text())) {
                throw new IllegalArgumentException("routes /" + route.template().text() + " and /" + t.text()
                        + " match the same paths: name their variables alike");
            }
            HttpFunction before = route.byMethod().putIfAbsent(f.endpoint().method(), f);
            if (before != null) {
                throw new IllegalArgumentException("two functions at " + f.endpoint().method() + " /" + t.text() + ": "
                        + before.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        List<Route> sorted = new ArrayList<>(byShape.values());
        sorted.sort(Comparator.comparing(Route::template, PathTemplate::bySpecificity));
        this.routes = List.copyOf(sorted);
    }

    /** Returns the route matching the path's segments (see {@link PathTemplate#split}), or null. */
    Match find(List<String> segments) {
        for (Route r : routes) {
            Map<String, String> values = r.template().match(segments);
            if (values != null) {
                return new Match(r, values);
            }
        }
        return null;
    }
}
