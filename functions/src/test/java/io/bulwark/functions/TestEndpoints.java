package io.bulwark.functions;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.HttpFunction;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;

import java.util.Comparator;
import java.util.List;

/**
 * Every HTTP-exposed function's route, found the way a new one would be added: each concrete {@link HttpFunction}
 * under {@code io.bulwark.functions} declares its routes in {@code public static final} fields of type
 * {@link FunctionEndpoints.Endpoint} ({@code ENDPOINT}; a class serving two routes, such as the versioned and
 * unversioned Open Inference Protocol paths, declares both). For tests that
 * must cover every function (and the template and function.json that expose them) without a second list to forget.
 */
public final class TestEndpoints {

    private TestEndpoints() {
    }

    /** Returns every function's route, sorted by name. */
    public static List<FunctionEndpoints.Endpoint> all() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(HttpFunction.class));
        return scanner.findCandidateComponents("io.bulwark.functions").stream()
                .map(BeanDefinition::getBeanClassName)
                .filter(name -> !name.contains("Test"))
                .flatMap(name -> endpoints(name).stream())
                .sorted(Comparator.comparing(FunctionEndpoints.Endpoint::name))
                .toList();
    }

    /**
     * Returns the routes of the admin functions, those that extend {@code classifier.AdminFunction} (the admin token is
     * checked before they run), sorted by name.
     */
    public static List<FunctionEndpoints.Endpoint> admin() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(HttpFunction.class));
        try {
            Class<?> admin = Class.forName("io.bulwark.functions.classifier.AdminFunction");
            List<FunctionEndpoints.Endpoint> out = new java.util.ArrayList<>();
            for (BeanDefinition d : scanner.findCandidateComponents("io.bulwark.functions")) {
                if (!d.getBeanClassName().contains("Test") && admin.isAssignableFrom(Class.forName(d.getBeanClassName()))) {
                    out.addAll(endpoints(d.getBeanClassName()));
                }
            }
            out.sort(Comparator.comparing(FunctionEndpoints.Endpoint::name));
            return out;
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Returns a concrete path of a route: each {@code {variable}} replaced by a value the tests use
     * ({@code penguins} for a model name, {@code v1} for a version).
     */
    public static String path(FunctionEndpoints.Endpoint e) {
        return "/" + e.name().replace("{name}", "penguins").replace("{version}", "v1");
    }

    private static List<FunctionEndpoints.Endpoint> endpoints(String className) {
        List<FunctionEndpoints.Endpoint> out = new java.util.ArrayList<>();
        try {
            for (java.lang.reflect.Field f : Class.forName(className).getFields()) {
                if (f.getType() == FunctionEndpoints.Endpoint.class
                        && java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    out.add((FunctionEndpoints.Endpoint) f.get(null));
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(className, e);
        }
        if (out.isEmpty()) {
            throw new AssertionError(className + " is an HttpFunction without a public static Endpoint field");
        }
        return out;
    }
}
