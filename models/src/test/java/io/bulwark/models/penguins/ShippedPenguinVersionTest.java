package io.bulwark.models.penguins;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.models.train.VersionMetadata;
import io.bulwark.resilience.cache.ExactCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The penguin {@code v1} shipped in the jar ({@link PenguinModelType#SHIPPED_VERSION}, written by {@code ShipModels})
 * is what training the default spec gives on this build's data, and an empty registry gets it instead of training.
 */
class ShippedPenguinVersionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A training here would record this instant; the shipped version records when it was trained. */
    private static final Instant NOW = Instant.parse("2001-02-03T04:05:06Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final PenguinModelType PENGUINS = PenguinModelType.bundled();

    @TempDir
    Path shippedDir;
    @TempDir
    Path trainedDir;

    private static ClassifierService<Penguin> service(Path dir, ClassifierSettings settings) {
        return new ClassifierService<>(new ModelRegistry(dir, JSON), new ModelTrainer<>(PENGUINS, CLOCK), settings,
                ExactCache.create(10, Duration.ofMinutes(1), () -> 0L));
    }

    private static byte[] shippedFile(String name) throws IOException {
        try (InputStream in = ShippedPenguinVersionTest.class.getClassLoader()
                .getResourceAsStream(PenguinModelType.SHIPPED_VERSION + name)) {
            assertThat(in).as("shipped " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void should_install_the_shipped_v1_into_an_empty_registry_instead_of_training_it() throws IOException {
        ClassifierService<Penguin> service = service(shippedDir, ClassifierSettings.defaults());

        assertThat(service.ensureInitialVersion()).isEqualTo("v1");

        VersionMetadata v1 = new ModelRegistry(shippedDir, JSON).metadata("v1").orElseThrow();
        assertThat(v1.provenance().createdAt()).as("not trained now").isNotEqualTo(NOW);
        assertThat(Files.readAllBytes(shippedDir.resolve("v1").resolve(ModelRegistry.MODEL_FILE)))
                .isEqualTo(shippedFile(ModelRegistry.MODEL_FILE));
        assertThat(Files.readAllBytes(shippedDir.resolve("v1").resolve(ModelRegistry.PIPELINE_FILE)))
                .isEqualTo(shippedFile(ModelRegistry.PIPELINE_FILE));
        assertThat(service.select(null).version()).isEqualTo("v1");
    }

    @Test
    void should_ship_the_v1_that_training_the_default_spec_gives_on_this_builds_data() {
        ClassifierService<Penguin> shipped = service(shippedDir, ClassifierSettings.defaults());
        shipped.ensureInitialVersion();
        TrainingSpec d = TrainingSpec.defaults(PENGUINS);
        ModelTrainer.Trained<Penguin> trained = new ModelTrainer<>(PENGUINS, CLOCK).train(new TrainingSpec(
                d.algorithm(), d.hyperparameters(), d.seed(), ClassifierSettings.defaults().splitSeed(),
                ClassifierSettings.defaults().testFraction()));
        new ModelRegistry(trainedDir, JSON).saveInitial(trained);
        ClassifierService<Penguin> retrained = service(trainedDir, ClassifierSettings.defaults());
        assertThat(retrained.ensureInitialVersion()).isEqualTo("v1");

        VersionMetadata s = new ModelRegistry(shippedDir, JSON).metadata("v1").orElseThrow();
        VersionMetadata t = new ModelRegistry(trainedDir, JSON).metadata("v1").orElseThrow();
        assertThat(t.provenance().createdAt()).isEqualTo(NOW);
        assertThat(s.algorithm()).isEqualTo(t.algorithm());
        assertThat(s.hyperparameters()).isEqualTo(t.hyperparameters());
        assertThat(s.metrics()).isEqualTo(t.metrics());
        assertThat(s.provenance().dataSha256()).isEqualTo(PENGUINS.data().sha256()).isEqualTo(t.provenance().dataSha256());
        assertThat(s.provenance().seed()).isEqualTo(t.provenance().seed());
        assertThat(s.provenance().splitSeed()).isEqualTo(t.provenance().splitSeed());
        assertThat(s.provenance().testFraction()).isEqualTo(t.provenance().testFraction());

        // the same answers, with the same probabilities, for every bundled penguin
        ClassifierService.Selected a = shipped.select(null);
        ClassifierService.Selected b = retrained.select(null);
        int rows = 0;
        for (Labelled<Penguin> row : PENGUINS.data().rows()) {
            Answer x = shipped.predict(a, row.input()).answer();
            Answer y = retrained.predict(b, row.input()).answer();
            assertThat(x.prediction()).as(row.input().canonical()).isEqualTo(y.prediction());
            assertThat(x.bestGuess()).isEqualTo(y.bestGuess());
            assertThat(x.probabilities().keySet()).isEqualTo(y.probabilities().keySet());
            for (Map.Entry<String, Double> e : x.probabilities().entrySet()) {
                assertThat(e.getValue()).isCloseTo(y.probabilities().get(e.getKey()), within(1e-9));
            }
            rows++;
        }
        assertThat(rows).isGreaterThan(300);
    }

    @Test
    void should_train_v1_when_the_configured_split_is_not_the_one_the_shipped_version_was_trained_on() {
        ClassifierSettings d = ClassifierSettings.defaults();
        ClassifierSettings otherSplit = new ClassifierSettings(d.confidenceThreshold(), d.defaultVersion(),
                d.autoPromote(), d.promoteMetric(), d.splitSeed() + 1, d.testFraction(), d.seed());

        assertThat(service(trainedDir, otherSplit).ensureInitialVersion()).isEqualTo("v1");

        VersionMetadata v1 = new ModelRegistry(trainedDir, JSON).metadata("v1").orElseThrow();
        assertThat(v1.provenance().createdAt()).as("trained now").isEqualTo(NOW);
        assertThat(v1.provenance().splitSeed()).isEqualTo(d.splitSeed() + 1);
    }
}
