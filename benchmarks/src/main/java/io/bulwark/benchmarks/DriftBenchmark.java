package io.bulwark.benchmarks;

import io.bulwark.models.drift.DriftMonitor;
import io.bulwark.models.drift.DriftReport;
import io.bulwark.models.drift.DriftSettings;
import io.bulwark.models.drift.ReferenceProfile;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What does watching drift add to one penguin prediction, and what does one drift report cost? {@code observe}: the
 * features read off the input's example and written into the version's window (what every {@code /predict} now
 * does); {@code report}: the comparison of a full default window (200) with v1's profile, after one more input (so
 * the cached report is stale, as on a {@code GET /drift} under traffic).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DriftBenchmark {

    private PenguinModelType type;
    private DriftMonitor monitor;
    private Penguin[] penguins;
    private int next;

    @Setup
    public void setUp() {
        type = PenguinModelType.bundled();
        ReferenceProfile v1 = new ModelTrainer<>(type, Clock.systemUTC()).train(TrainingSpec.defaults(type)).profile();
        monitor = new DriftMonitor(DriftSettings.defaults(), v -> Optional.of(v1));
        penguins = type.data().rows().stream().map(Labelled::input).toArray(Penguin[]::new);
        for (int i = 0; i < DriftSettings.DEFAULT_WINDOW; i++) {
            observe();
        }
    }

    private Penguin nextPenguin() {
        int i = next;
        next = i + 1 == penguins.length ? 0 : i + 1;
        return penguins[i];
    }

    @Benchmark
    public void observe() {
        monitor.observe("v1", type.driftFeatures(nextPenguin()));
    }

    @Benchmark
    public DriftReport report() {
        observe();
        return monitor.report("v1");
    }
}
