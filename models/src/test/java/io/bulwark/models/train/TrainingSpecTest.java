package io.bulwark.models.train;

import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.dtree.CARTClassificationTrainer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingSpecTest {

    static final Algorithm FIVE = new Algorithm("five", List.of(Hyperparameter.integer("a", 1, 0, 9),
            Hyperparameter.integer("b", 2, 0, 9), Hyperparameter.real("c", 0.5, 0, 1),
            Hyperparameter.integer("d", 4, 0, 9), Hyperparameter.real("e", 0.25, 0, 1)),
            (h, seed) -> new CARTClassificationTrainer());

    @Test
    void should_keep_the_hyperparameters_in_the_algorithms_order_whatever_the_request_order() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("e", 0.75);
        given.put("a", 3);

        TrainingSpec spec = new TrainingSpec(FIVE, given, 1, 42, 0.2);

        assertThat(spec.hyperparameters().keySet()).containsExactly("a", "b", "c", "d", "e");
        assertThat(spec.hyperparameters().values()).containsExactly(3, 2, 0.5, 4, 0.75);
    }

    @Test
    void should_refuse_a_value_out_of_its_range_naming_the_hyperparameter() {
        assertThatThrownBy(() -> new TrainingSpec(FIVE, Map.of("c", 2), 1, 42, 0.2))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.field()).isEqualTo("hyperparameters.c");
                    assertThat(e.getMessage()).isEqualTo("'c' must be between 0.0 and 1.0, not 2");
                });
    }
}
