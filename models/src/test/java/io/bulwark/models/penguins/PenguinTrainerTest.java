package io.bulwark.models.penguins;

import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Metrics;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PenguinTrainerTest {

    static final PenguinModelType PENGUINS = PenguinModelType.bundled();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final ModelTrainer<Penguin> TRAINER = new ModelTrainer<>(PENGUINS, CLOCK);

    static List<Algorithm> algorithms() {
        return PENGUINS.algorithms();
    }

    @Test
    void should_reach_097_accuracy_on_the_held_out_split_with_the_v1_spec() {
        ModelTrainer.Trained<Penguin> v1 = TRAINER.train(TrainingSpec.defaults(PENGUINS));

        assertThat(v1.metadata().metrics().examples()).isEqualTo(69);
        assertThat(v1.metadata().metrics().accuracy()).isGreaterThanOrEqualTo(0.97);
        assertThat(v1.metadata().metrics().macroF1()).isGreaterThanOrEqualTo(0.97);
        System.out.println("v1 held-out: " + v1.metadata().metrics());
    }

    @Test
    void should_train_v1_with_logistic_regression_and_its_defaults() {
        TrainingSpec v1 = TrainingSpec.defaults(PENGUINS);

        assertThat(v1.algorithm().name()).isEqualTo("logistic_regression");
        assertThat(v1.hyperparameters()).isEqualTo(Map.of("epochs", 30, "learning_rate", 0.5, "minibatch_size", 1));
        assertThat(List.of(v1.seed(), v1.splitSeed())).containsExactly(42L, 42L);
        assertThat(v1.testFraction()).isEqualTo(0.2);
    }

    @Test
    void should_measure_the_figures_the_penguin_classifier_measured_before_model_types() {
        // Held-out figures of the same specs from the jar before the model-type SPI (same data, seeds and split).
        Metrics cart = TRAINER.train(new TrainingSpec(Algorithm.parse(PENGUINS.algorithms(), "cart"),
                Map.of("max_depth", 3), 7, 42, 0.2)).metadata().metrics();
        Metrics deep = TRAINER.train(new TrainingSpec(PenguinAlgorithms.CART, Map.of("max_depth", 12,
                "min_child_weight", 1), 42, 42, 0.2)).metadata().metrics();

        assertThat(List.of(cart.accuracy(), cart.macroF1())).containsExactly(0.9855, 0.9878);
        assertThat(cart.confusion().get("Adelie")).isEqualTo(Map.of("Adelie", 29, "Chinstrap", 0, "Gentoo", 1));
        assertThat(List.of(deep.accuracy(), deep.macroF1())).containsExactly(0.971, 0.97);
    }

    @Test
    void should_record_the_data_as_metadata_json_recorded_it_before_model_types() {
        Object summary = TRAINER.train(TrainingSpec.defaults(PENGUINS)).metadata().data();

        assertThat(JsonMapper.builder().build().writeValueAsString(summary)).isEqualTo("""
                {"raw_rows":344,"dropped_rows":2,"train_rows":273,"test_rows":69,\
                "train_species":{"Adelie":121,"Chinstrap":54,"Gentoo":98},\
                "test_species":{"Adelie":30,"Chinstrap":14,"Gentoo":25},\
                "features":{"bill_length_mm":{"min":32.1,"max":59.6,"mean":43.849},\
                "bill_depth_mm":{"min":13.1,"max":21.5,"mean":17.139},\
                "flipper_length_mm":{"min":172.0,"max":231.0,"mean":200.85},\
                "body_mass_g":{"min":2700.0,"max":6300.0,"mean":4199.359}}}""");
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void should_train_every_algorithm_to_better_than_090_accuracy(Algorithm algorithm) {
        var trained = TRAINER.train(new TrainingSpec(algorithm, Map.of(), 42, 42, 0.2));

        System.out.println(algorithm.name() + " held-out accuracy " + trained.metadata().metrics().accuracy()
                + " macro-F1 " + trained.metadata().metrics().macroF1() + " in "
                + trained.metadata().provenance().trainingMs() + " ms");
        assertThat(trained.metadata().metrics().accuracy()).isGreaterThan(0.90);
        assertThat(trained.metadata().algorithm()).isEqualTo(algorithm.name());
    }

    @Test
    void should_give_the_same_metrics_for_the_same_seed() {
        var a = TRAINER.train(new TrainingSpec(PenguinAlgorithms.RANDOM_FOREST, Map.of("trees", 10), 7, 42, 0.2));
        var b = TRAINER.train(new TrainingSpec(PenguinAlgorithms.RANDOM_FOREST, Map.of("trees", 10), 7, 42, 0.2));

        assertThat(a.metadata().metrics()).isEqualTo(b.metadata().metrics());
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void should_predict_the_same_after_a_protobuf_round_trip(Algorithm algorithm, @TempDir Path dir) throws Exception {
        var trained = TRAINER.train(new TrainingSpec(algorithm, Map.of(), 42, 42, 0.2));
        Path file = dir.resolve("model.tribuo");
        trained.model().serializeToFile(file);

        @SuppressWarnings("unchecked")
        Model<Label> loaded = (Model<Label>) Model.deserializeFromFile(file);

        assertThat(TRAINER.evaluate(loaded, PENGUINS.data().split(0.2, 42).test()))
                .isEqualTo(trained.metadata().metrics());
    }
}
