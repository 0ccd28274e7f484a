package io.bulwark.models.penguins;

import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Hyperparameter;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.tribuo.Model;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every end of every hyperparameter's range, for every algorithm, trains on the bundled penguins: a value the range
 * admits must be one the library accepts (random_forest's feature_fraction 1 once reached Tribuo as a 500).
 */
class HyperparameterRangeTest {

    @TempDir
    static Path dir;

    static final PenguinModelType PENGUINS = PenguinModelType.bundled();
    static final ModelTrainer<Penguin> TRAINER = new ModelTrainer<>(PENGUINS,
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    /** Each end of each range alone (the others at their defaults), then every range at its low and at its high end. */
    static Stream<Arguments> ends() {
        Stream<Arguments> alone = PENGUINS.algorithms().stream().flatMap(a -> a.hyperparameters().stream().flatMap(h -> Stream.of(
                Arguments.of(a.name(), Map.of(h.name(), value(h, h.min()))),
                Arguments.of(a.name(), Map.of(h.name(), value(h, h.max()))))));
        Stream<Arguments> together = PENGUINS.algorithms().stream().flatMap(a -> Stream.of(
                Arguments.of(a.name(), a.hyperparameters().stream().collect(Collectors.toMap(Hyperparameter::name, h -> value(h, h.min())))),
                Arguments.of(a.name(), a.hyperparameters().stream().collect(Collectors.toMap(Hyperparameter::name, h -> value(h, h.max()))))));
        return Stream.concat(alone, together);
    }

    static Stream<Arguments> beyond() {
        return PENGUINS.algorithms().stream().flatMap(a -> a.hyperparameters().stream().flatMap(h -> Stream.of(
                Arguments.of(a.name(), h.name(), h.integral() ? h.min() - 1 : Math.nextDown(h.min())),
                Arguments.of(a.name(), h.name(), h.integral() ? h.max() + 1 : Math.nextUp(h.max())))));
    }

    private static Number value(Hyperparameter h, double end) {
        return h.integral() ? (Number) (int) end : (Number) end;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ends")
    void should_train_and_save_at_each_end_of_every_documented_range(String algorithm, Map<String, Object> values)
            throws Exception {
        Algorithm a = Algorithm.parse(PENGUINS.algorithms(), algorithm);

        var trained = TRAINER.train(new TrainingSpec(a, values, 7, 42, 0.2));

        assertThat(trained.metadata().metrics().examples()).isEqualTo(69);
        assertThat(trained.metadata().metrics().accuracy()).isBetween(0.0, 1.0);
        // The registry keeps Tribuo's protobuf form: the model must survive it, as a saved version would.
        Path file = dir.resolve(algorithm + "-" + values.hashCode() + ".tribuo");
        trained.model().serializeToFile(file);
        assertThat(Model.deserializeFromFile(file).getOutputIDInfo().size()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} {1}={2}")
    @MethodSource("beyond")
    void should_refuse_just_beyond_each_end_naming_the_hyperparameter(String algorithm, String name, double value) {
        Algorithm a = Algorithm.parse(PENGUINS.algorithms(), algorithm);

        assertThatThrownBy(() -> new TrainingSpec(a, Map.of(name, value), 7, 42, 0.2))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("hyperparameters." + name);
                });
    }
}
