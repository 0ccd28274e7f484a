package io.bulwark.models.toy;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.tune.Dimension;
import io.bulwark.models.tune.TuneSpec;
import io.bulwark.models.tune.Tuner;
import io.bulwark.models.tune.Tuning;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.cache.ExactCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tuning on a seeded problem whose defaults are poor: the circle of {@link PointModelType}, which a tree of depth 2
 * (its default) cannot draw. Every strategy must find a better depth by cross-validation, the same one from the same
 * seed.
 */
class TunerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final PointModelType POINTS = new PointModelType();
    static final ModelTrainer<Point> TRAINER = new ModelTrainer<>(POINTS, CLOCK);
    static final List<Labelled<Point>> ROWS = POINTS.data().split(0.2, 42).train();

    static TuneSpec spec(TuneSpec.Strategy strategy, long seed) {
        return new TuneSpec(PointModelType.TREE, Map.of("max_depth", new Dimension.Range(1, 12, true, false, 12)),
                strategy, 4, 9, Duration.ofMinutes(5), seed, PointModelType.WORST_RECALL);
    }

    static Tuning run(TuneSpec spec) {
        return new Tuner<>(TRAINER, Ticker.system()).run("run-1", spec, ROWS, (d, p, t) -> { }, () -> false);
    }

    /** The trials without their times, which differ run to run. */
    static List<String> table(Tuning t) {
        List<String> rows = new ArrayList<>();
        t.trials().forEach(x -> rows.add(x.rung() + " " + x.fraction() + " " + x.hyperparameters() + " " + x.mean()
                + " ± " + x.sd()));
        return rows;
    }

    @ParameterizedTest
    @EnumSource(TuneSpec.Strategy.class)
    void should_find_a_configuration_better_than_the_defaults_the_same_from_the_same_seed(TuneSpec.Strategy strategy) {
        Tuning first = run(spec(strategy, 7));
        Tuning again = run(spec(strategy, 7));

        System.out.println(strategy + ": defaults " + first.defaults().mean() + ", best " + first.best() + " ("
                + first.trials().size() + " trials, " + first.stopped() + ")");
        assertThat(first.defaults().hyperparameters()).isEqualTo(Map.of("max_depth", 2));
        assertThat(first.best().mean()).isGreaterThan(first.defaults().mean() + 0.1);
        assertThat((Integer) first.best().hyperparameters().get("max_depth")).isGreaterThan(2);
        assertThat(table(again)).isEqualTo(table(first));
        assertThat(first.trials().getFirst()).isEqualTo(first.defaults());
    }

    @Test
    void should_stop_at_the_trial_budget_and_when_cancelled() {
        Tuning grid = run(spec(TuneSpec.Strategy.GRID, 7)); // 12 grid points, 9 trials allowed
        assertThat(grid.stopped()).isEqualTo("trial_budget");
        assertThat(grid.trials()).hasSize(1 + 9);

        AtomicInteger seen = new AtomicInteger();
        Tuning cancelled = new Tuner<>(TRAINER, Ticker.system()).run("run-2", spec(TuneSpec.Strategy.RANDOM, 7), ROWS,
                (d, p, t) -> seen.incrementAndGet(), () -> seen.get() >= 3);
        assertThat(cancelled.stopped()).isEqualTo("cancelled");
        assertThat(cancelled.trials()).hasSize(3);
    }

    @Test
    void should_save_the_tuned_version_with_its_trial_table_and_the_run_in_its_metadata(@TempDir Path dir) {
        ModelRegistry registry = new ModelRegistry(dir, JsonMapper.builder().build());
        ClassifierService<Point> service = new ClassifierService<>(registry, TRAINER, ClassifierSettings.defaults(),
                ExactCache.<Answer>create(100, Duration.ofMinutes(1), Ticker.system()));
        service.ensureInitialVersion();

        ClassifierService.Tuned tuned = service.tune("job-42", spec(TuneSpec.Strategy.SUCCESSIVE_HALVING, 7),
                Ticker.system(), (d, p, t) -> { }, () -> false);

        assertThat(tuned.trained().newModelVersion()).isEqualTo("v2");
        assertThat(tuned.trained().hyperparameters()).isEqualTo(tuned.tuning().best().hyperparameters());
        @SuppressWarnings("unchecked")
        Map<String, Object> origin = (Map<String, Object>) registry.metadata("v2").orElseThrow().origin();
        assertThat(origin).containsEntry("by", "tuning").containsEntry("run", "job-42")
                .containsEntry("strategy", "successive_halving");
        assertThat((List<?>) origin.get("trials")).hasSize(tuned.tuning().trials().size());
        assertThat(registry.metadata("v1").orElseThrow().origin()).isNull();
    }
}
