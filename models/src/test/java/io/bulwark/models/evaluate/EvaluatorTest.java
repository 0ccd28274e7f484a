package io.bulwark.models.evaluate;

import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Metrics;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluatorTest {

    static final PenguinModelType PENGUINS = PenguinModelType.bundled();
    static final ModelTrainer<Penguin> TRAINER = new ModelTrainer<>(PENGUINS,
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void should_compute_the_figures_of_a_known_confusion() {
        // actual A A A B B C, predicted A A B B C C: 4 of 6 right.
        Metrics m = Metrics.of(List.of("A", "A", "A", "B", "B", "C"), List.of("A", "A", "B", "B", "C", "C"));

        assertThat(m.accuracy()).isEqualTo(0.6667);
        assertThat(m.confusion().get("A")).containsEntry("A", 2).containsEntry("B", 1).containsEntry("C", 0);
        assertThat(m.confusion().get("B")).containsEntry("B", 1).containsEntry("C", 1);
        assertThat(m.perClass().get("A").precision()).isEqualTo(1.0);
        assertThat(m.perClass().get("A").recall()).isEqualTo(0.6667);
        assertThat(m.perClass().get("A").f1()).isEqualTo(0.8);
        assertThat(m.perClass().get("B").f1()).isEqualTo(0.5);
        assertThat(m.perClass().get("C").precision()).isEqualTo(0.5);
        assertThat(m.perClass().get("C").recall()).isEqualTo(1.0);
        assertThat(m.macroF1()).isCloseTo((0.8 + 0.5 + 2 / 3.0) / 3, within(1e-4));
    }

    @Test
    void should_compute_the_expected_calibration_error_of_known_confidences() {
        // One row per bin; |accuracy - confidence| = .05, .15, .55, .25, .45, .35 → ECE = 1.8 / 6.
        Calibration c = Calibration.of(List.of(0.95, 0.85, 0.55, 0.75, 0.45, 0.65),
                List.of(true, true, false, true, false, true), 10);

        assertThat(c.ece()).isEqualTo(0.3);
        assertThat(c.bins()).hasSize(6);
        assertThat(c.bins().getFirst()).isEqualTo(new Calibration.Bin(0.4, 0.5, 1, 0.45, 0.0));
        assertThat(c.bins().getLast()).isEqualTo(new Calibration.Bin(0.9, 1.0, 1, 0.95, 1.0));
    }

    @Test
    void should_put_a_confidence_on_a_bin_edge_in_the_lower_bin_and_call_a_perfect_match_calibrated() {
        Calibration c = Calibration.of(List.of(1.0, 1.0, 0.5, 0.5), List.of(true, true, true, false), 10);

        assertThat(c.ece()).isZero();
        assertThat(c.bins()).extracting(Calibration.Bin::upper).containsExactly(0.5, 1.0);
    }

    @Test
    void should_measure_a_trained_version_as_its_training_did_on_the_same_held_out_rows() {
        ModelTrainer.Trained<Penguin> v1 = TRAINER.train(TrainingSpec.defaults(PENGUINS));

        Evaluation e = new Evaluator<>(PENGUINS).evaluate("v1", v1.model(), v1.split().test(), "held out",
                i -> "rows");

        assertThat(e.metrics()).isEqualTo(v1.metadata().metrics());
        assertThat(e.classes()).containsExactly("Adelie", "Chinstrap", "Gentoo");
        assertThat(e.calibration().bins().stream().mapToInt(Calibration.Bin::count).sum()).isEqualTo(69);
        assertThat(e.calibration().ece()).isBetween(0.0, 0.2);
    }

    @Test
    void should_refuse_a_label_the_version_does_not_know_naming_the_row() {
        ModelTrainer.Trained<Penguin> v1 = TRAINER.train(TrainingSpec.defaults(PENGUINS));
        List<Labelled<Penguin>> rows = new ArrayList<>(v1.split().test().subList(0, 3));
        rows.set(2, new Labelled<>(rows.get(2).input(), "Emperor"));

        assertThatThrownBy(() -> new Evaluator<>(PENGUINS).evaluate("v1", v1.model(), rows, "given",
                i -> "rows[" + i + "].species"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("unknown_label");
                    assertThat(e.field()).isEqualTo("rows[2].species");
                    assertThat(e.getMessage()).contains("Emperor").contains("Adelie, Chinstrap, Gentoo");
                });
    }
}
