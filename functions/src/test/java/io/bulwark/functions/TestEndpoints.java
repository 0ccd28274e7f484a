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
 * under {@code io.bulwark.functions} declares its route in a {@code public static final ENDPOINT}. For tests that
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
                .map(TestEndpoints::endpoint)
                .sorted(Comparator.comparing(FunctionEndpoints.Endpoint::name))
                .toList();
    }

    private static FunctionEndpoints.Endpoint endpoint(String className) {
        try {
            return (FunctionEndpoints.Endpoint) Class.forName(className).getField("ENDPOINT").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(className + " is an HttpFunction without a public static ENDPOINT", e);
        }
    }
}
