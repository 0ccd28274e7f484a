package io.bulwark.models.feedback;

import io.bulwark.models.Answer;
import io.bulwark.models.ModelInput;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedbackTest {

    record Text(String canonical) implements ModelInput {
        @Override
        public String json() {
            return "{\"t\":\"" + canonical + "\"}";
        }
    }

    static final Answer ADELIE = new Answer("Adelie", null, 0.9, Map.of("Adelie", 0.9, "Gentoo", 0.1));
    static final Answer UNSURE_GENTOO = new Answer(Answer.UNCERTAIN, "Gentoo", 0.5, Map.of("Adelie", 0.5,
            "Gentoo", 0.5));

    final Feedback<Text> feedback = new Feedback<>(new FeedbackSettings(3, 4, 2, 2, 0.05),
            v -> Set.of("Adelie", "Chinstrap", "Gentoo"), v -> OptionalDouble.of(1.0));

    @Test
    void should_join_a_label_to_the_prediction_served_under_its_request_id() {
        feedback.served("r1", "v1", new Text("a"), ADELIE);

        Feedback.Joined j = feedback.give("r1", "adelie");

        assertThat(j.version()).isEqualTo("v1");
        assertThat(j.label()).isEqualTo("Adelie"); // any case, answered in the class's own spelling
        assertThat(j.correct()).isTrue();
        assertThat(j.liveAccuracy().feedback()).isEqualTo(1);
        assertThat(j.liveAccuracy().verdict()).isEqualTo(LiveAccuracy.INSUFFICIENT_FEEDBACK);
        assertThat(feedback.labelled()).singleElement().satisfies(l -> assertThat(l.label()).isEqualTo("Adelie"));
    }

    @Test
    void should_refuse_an_unknown_request_id_a_label_outside_the_classes_and_a_second_label() {
        feedback.served("r1", "v1", new Text("a"), ADELIE);

        assertThatThrownBy(() -> feedback.give("nope", "Adelie")).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo("unknown_request_id");
            assertThat(e.field()).isEqualTo("request_id");
        });
        assertThatThrownBy(() -> feedback.give("r1", "Emperor")).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.field()).isEqualTo("label");
            assertThat(e.getMessage()).contains("Adelie, Chinstrap, Gentoo");
        });
        feedback.give("r1", "Adelie");
        assertThatThrownBy(() -> feedback.give("r1", "Gentoo")).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.code()).isEqualTo("feedback_exists");
        });
        assertThat(feedback.accuracy("v1").feedback()).isEqualTo(1);
    }

    @Test
    void should_count_the_best_guess_of_an_uncertain_answer_and_say_below_held_out_past_the_margin() {
        feedback.served("r1", "v1", new Text("a"), ADELIE);
        feedback.served("r2", "v1", new Text("b"), UNSURE_GENTOO);
        feedback.give("r1", "Chinstrap");
        feedback.give("r2", "Gentoo");

        LiveAccuracy a = feedback.accuracy("v1");
        assertThat(a.liveAccuracy()).isEqualTo(0.5);
        assertThat(a.drop()).isEqualTo(0.5);
        assertThat(a.verdict()).isEqualTo(LiveAccuracy.BELOW_HELD_OUT);
    }

    @Test
    void should_forget_the_oldest_predictions_and_labels_beyond_their_bounds() {
        for (int i = 1; i <= 4; i++) {
            feedback.served("r" + i, "v1", new Text("x" + i), ADELIE);
        }
        assertThatThrownBy(() -> feedback.give("r1", "Adelie")).isInstanceOf(RequestRejected.class);
        for (int i = 2; i <= 4; i++) {
            feedback.give("r" + i, "Adelie");
        }
        assertThat(feedback.labelled()).hasSize(2);
        assertThat(feedback.labelledTotal()).isEqualTo(3);
        for (int i = 5; i <= 9; i++) {
            feedback.served("r" + i, "v1", new Text("x" + i), ADELIE);
            feedback.give("r" + i, "Gentoo");
        }
        assertThat(feedback.accuracy("v1").feedback()).isEqualTo(4); // the window
        assertThat(feedback.accuracy("v1").liveAccuracy()).isEqualTo(0.0);
    }
}
