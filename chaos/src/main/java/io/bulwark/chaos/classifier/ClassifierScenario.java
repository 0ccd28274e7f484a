package io.bulwark.chaos.classifier;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named classifier chaos experiment: the faults put into the classifier, and how many clients send at once.
 *
 * @param clients the clients sending at once (1: one after another)
 */
public record ClassifierScenario(String name, String summary, List<ClassifierFault> faults, int clients) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public ClassifierScenario {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a scenario name is lower-case words joined by '-': " + name);
        }
        Objects.requireNonNull(summary, "summary");
        faults = List.copyOf(faults);
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be at least 1: " + clients);
        }
    }

    /** Returns the scenarios of {@code bulwark chaos-classifier}, the healthy baseline first. */
    public static List<ClassifierScenario> all() {
        return List.of(
                new ClassifierScenario("classifier-healthy", "no fault: the promoted version answers everything",
                        List.of(), 2),
                new ClassifierScenario("classifier-slow-inference", "the promoted version takes 1 s a prediction:"
                        + " the attempt timeout gives the row to the previous version",
                        List.of(new ClassifierFault.SlowInference(Duration.ofSeconds(1))), 1),
                new ClassifierScenario("classifier-fails-to-load", "the promoted version's model file is missing",
                        List.of(new ClassifierFault.FailsToLoad()), 2),
                new ClassifierScenario("classifier-corrupt-version", "the promoted version's model file is garbage",
                        List.of(new ClassifierFault.CorruptVersion(4096)), 2),
                new ClassifierScenario("classifier-burst", "32 clients at once over a bulkhead of 4, each"
                        + " prediction held 100 ms", List.of(new ClassifierFault.Burst(32, Duration.ofMillis(100))),
                        32));
    }

    /** Returns the scenario of that name. */
    public static Optional<ClassifierScenario> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Returns the faults of one kind. */
    public <F extends ClassifierFault> Optional<F> fault(Class<F> kind) {
        return faults.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }
}
