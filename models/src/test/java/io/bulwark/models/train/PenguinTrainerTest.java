package io.bulwark.models.train;

import io.bulwark.models.data.PenguinData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PenguinTrainerTest {

    static final PenguinData DATA = PenguinData.bundled();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void should_reach_097_accuracy_on_the_held_out_split_with_the_v1_spec() {
        PenguinTrainer.Trained v1 = new PenguinTrainer(DATA, CLOCK).train(TrainingSpec.defaults());

        assertThat(v1.metadata().metrics().examples()).isEqualTo(69);
        assertThat(v1.metadata().metrics().accuracy()).isGreaterThanOrEqualTo(0.97);
        assertThat(v1.metadata().metrics().macroF1()).isGreaterThanOrEqualTo(0.97);
        System.out.println("v1 held-out: " + v1.metadata().metrics());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void should_train_every_algorithm_to_better_than_090_accuracy(Algorithm algorithm) {
        var trained = new PenguinTrainer(DATA, CLOCK).train(new TrainingSpec(algorithm, Map.of(), 42, 42, 0.2));

        System.out.println(algorithm + " held-out accuracy " + trained.metadata().metrics().accuracy() + " macro-F1 "
                + trained.metadata().metrics().macroF1() + " in " + trained.metadata().provenance().trainingMs() + " ms");
        assertThat(trained.metadata().metrics().accuracy()).isGreaterThan(0.90);
        assertThat(trained.metadata().algorithm()).isEqualTo(algorithm.wire());
    }

    @Test
    void should_give_the_same_metrics_for_the_same_seed() {
        var a = new PenguinTrainer(DATA, CLOCK).train(new TrainingSpec(Algorithm.RANDOM_FOREST, Map.of("trees", 10), 7, 42, 0.2));
        var b = new PenguinTrainer(DATA, CLOCK).train(new TrainingSpec(Algorithm.RANDOM_FOREST, Map.of("trees", 10), 7, 42, 0.2));

        assertThat(a.metadata().metrics()).isEqualTo(b.metadata().metrics());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void should_predict_the_same_after_a_protobuf_round_trip(Algorithm algorithm, @TempDir Path dir) throws Exception {
        var trained = new PenguinTrainer(DATA, CLOCK).train(new TrainingSpec(algorithm, Map.of(), 42, 42, 0.2));
        Path file = dir.resolve("model.tribuo");
        trained.model().serializeToFile(file);

        @SuppressWarnings("unchecked")
        Model<Label> loaded = (Model<Label>) Model.deserializeFromFile(file);

        assertThat(PenguinTrainer.evaluate(loaded, DATA.split(0.2, 42).test()))
                .isEqualTo(trained.metadata().metrics());
    }
}
