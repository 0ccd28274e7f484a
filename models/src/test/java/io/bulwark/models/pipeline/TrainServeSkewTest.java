package io.bulwark.models.pipeline;

import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.penguins.Island;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.penguins.Sex;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.retrain.RetrainPolicy;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.resilience.cache.ExactCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No train/serve skew: a row gets bit-identical features when a version is trained and when it serves from the
 * registry on disk, because both go through {@link Features} over the version's saved {@link FittedPipeline}.
 */
class TrainServeSkewTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final PenguinModelType PENGUINS = PenguinModelType.bundled();
    static final String FULL = "{\"steps\": ["
            + "{\"impute\": {\"feature\": \"sex\", \"strategy\": \"most_frequent\"}},"
            + "{\"derive\": {\"name\": \"bill_ratio\", \"expression\": \"bill_length_mm / bill_depth_mm\"}},"
            + "{\"scale\": {\"features\": [\"bill_length_mm\", \"bill_depth_mm\", \"flipper_length_mm\", \"body_mass_g\","
            + " \"bill_ratio\"], \"method\": \"standard\"}},"
            + "{\"one_hot\": {\"feature\": \"island\"}}, {\"one_hot\": {\"feature\": \"sex\"}}]}";

    @TempDir
    Path dir;

    static Pipeline pipeline(String json) {
        return Pipeline.parse(JSON.readTree(json), Pipeline.FIELD, PENGUINS.pipelineFields());
    }

    /** A freshly started service over the registry on disk: nothing shared in memory with the trainer. */
    ClassifierService<Penguin> restarted() {
        return new ClassifierService<>(new ModelRegistry(dir, JSON), new ModelTrainer<>(PenguinModelType.bundled(), CLOCK),
                ClassifierSettings.defaults(), ExactCache.create(100, Duration.ofMinutes(1), () -> 0L));
    }

    /** Every bundled row, plus one without sex (which the pipeline imputes). */
    static List<Penguin> rows() {
        List<Penguin> rows = new ArrayList<>(PENGUINS.data().rows().stream().map(Labelled::input).toList());
        rows.add(new Penguin(Island.DREAM, 46.1, 17.3, 195, 3650, Sex.UNKNOWN));
        return rows;
    }

    /** The example as names and raw bits of values, in Tribuo's order: equal lists mean bit-identical features. */
    static List<String> bits(Example<Label> example) {
        List<String> out = new ArrayList<>();
        for (Feature f : example) {
            out.add(f.getName() + "=" + Long.toHexString(Double.doubleToRawLongBits(f.getValue())));
        }
        return out;
    }

    @Test
    void should_give_a_row_bit_identical_features_at_training_and_at_serving_from_a_version_reloaded_from_disk() {
        ModelTrainer.Trained<Penguin> trained = new ModelTrainer<>(PENGUINS, CLOCK)
                .train(TrainingSpec.defaults(PENGUINS), PENGUINS.data(), pipeline(FULL));
        String version = new ModelRegistry(dir, JSON).save(trained);
        Features<Penguin> atTraining = Features.of(PENGUINS, trained.pipeline());

        ClassifierService<Penguin> service = restarted();
        service.ensureInitialVersion();
        Features<Penguin> atServing = service.features(version);
        ClassifierService.Selected selected = service.select(version);

        assertThat(Files.exists(dir.resolve(version).resolve(ModelRegistry.PIPELINE_FILE))).isTrue();
        for (Penguin p : rows()) {
            Example<Label> train = atTraining.example(p, LabelFactory.UNKNOWN_LABEL);
            assertThat(bits(atServing.example(p, LabelFactory.UNKNOWN_LABEL))).as(p.json()).isEqualTo(bits(train));
            Map<String, Double> served = service.predict(selected, p).answer().probabilities();
            String expected = trained.model().predict(train).getOutput().getLabel();
            assertThat(served.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey())
                    .as(p.json()).isEqualTo(expected);
        }
        // The steps did what they say: the derived ratio exists and is standardised, the missing sex is imputed.
        Example<Label> noSex = atServing.example(rows().getLast(), LabelFactory.UNKNOWN_LABEL);
        assertThat(bits(noSex)).anyMatch(s -> s.startsWith("bill_ratio=")).anyMatch(s -> s.startsWith("sex="));
        double meanRatio = trained.split().train().stream().mapToDouble(r -> value(atTraining.example(r.input(),
                LabelFactory.UNKNOWN_LABEL), "bill_ratio")).average().orElseThrow();
        assertThat(Math.abs(meanRatio)).isLessThan(1e-9);
        assertThat(trained.metadata().metrics().accuracy()).isGreaterThan(0.95);
    }

    static double value(Example<Label> e, String name) {
        for (Feature f : e) {
            if (f.getName().equals(name)) {
                return f.getValue();
            }
        }
        throw new AssertionError(name + " missing");
    }

    @Test
    void should_give_the_default_pipeline_the_features_and_accuracy_penguins_had_before_pipelines() {
        ModelTrainer<Penguin> trainer = new ModelTrainer<>(PENGUINS, CLOCK);
        ModelTrainer.Trained<Penguin> withDefault = trainer.train(TrainingSpec.defaults(PENGUINS));
        ModelTrainer.Trained<Penguin> without = trainer.train(TrainingSpec.defaults(PENGUINS), PENGUINS.data(), null);

        assertThat(withDefault.pipeline()).isNotNull();
        assertThat(without.pipeline()).isNull();
        Features<Penguin> pipelined = Features.of(PENGUINS, withDefault.pipeline());
        for (Penguin p : rows()) {
            assertThat(bits(pipelined.example(p, LabelFactory.UNKNOWN_LABEL))).as(p.json())
                    .isEqualTo(bits(PENGUINS.example(p, LabelFactory.UNKNOWN_LABEL)));
        }
        assertThat(withDefault.metadata().metrics()).isEqualTo(without.metadata().metrics());
    }

    @Test
    void should_still_serve_a_version_saved_without_pipeline_json_with_the_types_own_features() throws Exception {
        ModelTrainer<Penguin> trainer = new ModelTrainer<>(PENGUINS, CLOCK);
        ModelRegistry registry = new ModelRegistry(dir, JSON);
        String old = registry.save(trainer.train(TrainingSpec.defaults(PENGUINS), PENGUINS.data(), null));
        String fresh = registry.save(trainer.train(TrainingSpec.defaults(PENGUINS)));
        registry.promote(old);

        ClassifierService<Penguin> service = restarted();
        Penguin gentoo = new Penguin(Island.BISCOE, 48.6, 16.0, 230, 5800, Sex.MALE);

        try (Stream<Path> files = Files.list(dir.resolve(old))) {
            assertThat(files.map(f -> f.getFileName().toString())).doesNotContain(ModelRegistry.PIPELINE_FILE);
        }
        assertThat(service.ensureInitialVersion()).isEqualTo(old);
        assertThat(bits(service.features(old).example(gentoo, LabelFactory.UNKNOWN_LABEL)))
                .isEqualTo(bits(PENGUINS.example(gentoo, LabelFactory.UNKNOWN_LABEL)));
        assertThat(service.predict(service.select(null), gentoo).answer().prediction()).isEqualTo("Gentoo");

        // A damaged pipeline.json makes the version unloadable: the promoted one answers instead, saying why.
        Files.writeString(dir.resolve(fresh).resolve(ModelRegistry.PIPELINE_FILE), "{\"steps\": [{\"scale\": 1}]}");
        ClassifierService.Selected fallback = restarted().select(fresh);
        assertThat(fallback.version()).isEqualTo(old);
        assertThat(fallback.fallback()).contains(fresh + " could not be loaded: its pipeline file is damaged");
    }

    @Test
    void should_retrain_a_challenger_through_the_champions_pipeline_fitted_again_on_its_rows() throws Exception {
        ClassifierService<Penguin> service = restarted();
        service.ensureInitialVersion();
        String champion = service.train(TrainingSpec.defaults(PENGUINS), PENGUINS.data(), pipeline(FULL))
                .newModelVersion();
        service.promote(champion);
        List<Labelled<Penguin>> rows = PENGUINS.data().rows();
        Random random = new Random(3);
        for (int i = 0; i < 60; i++) {
            Labelled<Penguin> row = rows.get(random.nextInt(rows.size()));
            Penguin p = row.input();
            Penguin heavy = new Penguin(p.island(), p.billLengthMm(), p.billDepthMm(), p.flipperLengthMm(),
                    p.bodyMassG() + 800, p.sex());
            ClassifierService.Selected selected = service.select(null);
            service.feedback().served("r" + i, selected.version(), heavy, service.predict(selected, heavy).answer());
            service.feedback().give("r" + i, row.label());
        }

        ClassifierService.Retrained r = service.retrainIfDue(new RetrainPolicy(true, true, true, 0, null, 20,
                Duration.ZERO), CLOCK.instant());

        assertThat(r.trained()).as(r.toString()).isNotNull();
        String challenger = r.trained().newModelVersion();
        var json = JsonMapper.builder().build();
        var before = json.readTree(dir.resolve(champion).resolve(ModelRegistry.PIPELINE_FILE).toFile());
        var after = json.readTree(dir.resolve(challenger).resolve(ModelRegistry.PIPELINE_FILE).toFile());
        assertThat(after.path("steps").size()).isEqualTo(5);
        assertThat(after.at("/steps/1/derive/name").asString()).isEqualTo("bill_ratio");
        // Fitted again on the training rows plus 60 heavier ones: the mean body mass it scales by has moved up.
        assertThat(after.at("/steps/2/scale/fitted/body_mass_g/offset").asDouble())
                .isGreaterThan(before.at("/steps/2/scale/fitted/body_mass_g/offset").asDouble() + 50);
    }
}
