package io.bulwark.benchmarks;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.input.InputFormat;
import io.bulwark.models.input.RowReader;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.cache.ExactCache;
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
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What does one penguin prediction cost in-process, with v1 (logistic regression, the registry's default)?
 * {@code model}: Tribuo's predict alone; {@code serviceMiss}: through the classifier service with the exact
 * cache missing every time; {@code serviceHit}: the same input again (a cache hit); {@code parseValidatePredict}:
 * what {@code /predict} does with a JSON body short of HTTP (format detection, parse, validation, prediction
 * with a cache miss). Inputs cycle through the 69 held-out penguins.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PenguinBenchmark {

    private Model<Label> model;
    private PenguinModelType penguinType;
    private ClassifierService<Penguin> missing;
    private ClassifierService<Penguin> hitting;
    private ClassifierService.Selected selectedMiss;
    private ClassifierService.Selected selectedHit;
    private Penguin[] penguins;
    private byte[][] bodies;
    private int next;

    @Setup
    public void setUp() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        penguinType = PenguinModelType.bundled();
        ModelRegistry registry = new ModelRegistry(Files.createTempDirectory("penguin-bench"), json);
        ModelTrainer<Penguin> trainer = new ModelTrainer<>(penguinType, Clock.systemUTC());
        // A one-entry cache over 69 cycling inputs: every lookup misses, every answer is put.
        missing = new ClassifierService<>(registry, trainer, ClassifierSettings.defaults(),
                ExactCache.<Answer>create(1, Duration.ofHours(1), Ticker.system()));
        missing.ensureInitialVersion();
        hitting = new ClassifierService<>(registry, trainer, ClassifierSettings.defaults(),
                ExactCache.<Answer>create(1000, Duration.ofHours(1), Ticker.system()));
        selectedMiss = missing.select(null);
        selectedHit = hitting.select(null);
        model = selectedMiss.model();
        List<Labelled<Penguin>> test = penguinType.data().split(0.2, 42).test();
        penguins = test.stream().map(Labelled::input).toArray(Penguin[]::new);
        bodies = new byte[penguins.length][];
        for (int i = 0; i < penguins.length; i++) {
            Penguin p = penguins[i];
            bodies[i] = String.format(Locale.ROOT, "{\"island\": \"%s\", \"bill_length_mm\": %s, \"bill_depth_mm\": %s,"
                            + " \"flipper_length_mm\": %s, \"body_mass_g\": %s, \"sex\": \"%s\"}", p.island().wire(),
                    p.billLengthMm(), p.billDepthMm(), p.flipperLengthMm(), p.bodyMassG(), p.sex().wire())
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private int index() {
        int i = next;
        next = i + 1 == penguins.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public Prediction<Label> model() {
        return model.predict(penguinType.example(penguins[index()], LabelFactory.UNKNOWN_LABEL));
    }

    @Benchmark
    public ClassifierService.Cached serviceMiss() {
        return missing.predict(selectedMiss, penguins[index()]);
    }

    @Benchmark
    public ClassifierService.Cached serviceHit() {
        return hitting.predict(selectedHit, penguins[0]);
    }

    @Benchmark
    public ClassifierService.Cached parseValidatePredict() {
        byte[] body = bodies[index()];
        InputFormat format = InputFormat.detect("application/json", body);
        Penguin p = penguinType.input(RowReader.single(format, body).values());
        return missing.predict(selectedMiss, p);
    }
}
