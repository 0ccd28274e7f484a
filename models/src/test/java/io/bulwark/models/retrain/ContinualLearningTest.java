package io.bulwark.models.retrain;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.cache.ExactCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ContinualLearningTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final PenguinModelType PENGUINS = PenguinModelType.bundled();
    static final RetrainPolicy ON_DRIFT = new RetrainPolicy(true, true, true, 0, null, 20, Duration.ZERO);

    static ClassifierService<Penguin> service(Path dir) {
        ClassifierService<Penguin> s = new ClassifierService<>(new ModelRegistry(dir, JsonMapper.builder().build()),
                new ModelTrainer<>(PENGUINS, CLOCK), ClassifierSettings.defaults(),
                ExactCache.<Answer>create(1000, Duration.ofMinutes(1), Ticker.system()));
        s.ensureInitialVersion();
        return s;
    }

    /** Serves {@code n} penguins 800 g heavier and sends back a label for each: the true one, or Adelie. */
    static void serveAndLabel(ClassifierService<Penguin> s, int n, boolean truthful, long seed) {
        List<Labelled<Penguin>> rows = PENGUINS.data().rows();
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            Labelled<Penguin> row = rows.get(random.nextInt(rows.size()));
            Penguin p = row.input();
            Penguin heavy = new Penguin(p.island(), p.billLengthMm(), p.billDepthMm(), p.flipperLengthMm(),
                    p.bodyMassG() + 800, p.sex());
            ClassifierService.Selected selected = s.select(null);
            Answer a = s.predict(selected, heavy).answer();
            String id = seed + "-" + i;
            s.feedback().served(id, selected.version(), heavy, a);
            s.feedback().give(id, truthful ? row.label() : "Adelie");
        }
    }

    @Test
    void should_stay_off_by_default_and_wait_for_enough_new_labels() {
        assertThat(RetrainPolicy.off().enabled()).isFalse();
    }

    @Test
    void should_retrain_on_drift_with_feedback_and_promote_a_challenger_that_is_not_worse(@TempDir Path dir) {
        ClassifierService<Penguin> s = service(dir);
        assertThat(s.retrainIfDue(ON_DRIFT, CLOCK.instant()).skipped()).contains("fewer than 20");

        serveAndLabel(s, 60, true, 1);
        assertThat(s.drift("v1").drifting()).isTrue();
        ClassifierService.Retrained r = s.retrainIfDue(ON_DRIFT, CLOCK.instant());

        System.out.println("truthful feedback: " + r);
        assertThat(r.trigger()).startsWith("drift of v1 (").contains("body_mass_g");
        assertThat(r.trained().newModelVersion()).isEqualTo("v2");
        assertThat(r.trained().promoted()).isTrue();
        assertThat(s.promoted()).isEqualTo("v2");
        @SuppressWarnings("unchecked")
        Map<String, Object> origin = (Map<String, Object>) new ModelRegistry(dir, JsonMapper.builder().build())
                .metadata("v2").orElseThrow().origin();
        assertThat(origin).containsEntry("by", "retraining").containsEntry("champion", "v1")
                .containsEntry("feedback_rows", 60);
        assertThat(s.retrainIfDue(ON_DRIFT, CLOCK.instant()).skipped()).as("no new labels since")
                .contains("fewer than 20");
    }

    @Test
    void should_keep_the_champion_when_the_challenger_learnt_from_wrong_labels(@TempDir Path dir) {
        ClassifierService<Penguin> s = service(dir);
        serveAndLabel(s, 150, false, 2);

        ClassifierService.Retrained r = s.retrainIfDue(ON_DRIFT, CLOCK.instant());

        System.out.println("wrong feedback: " + r);
        assertThat(r.trained()).isNotNull();
        assertThat(r.trained().promoted()).isFalse();
        assertThat(r.trained().promotion().newValue()).isLessThan(r.trained().promotion().promotedValue());
        assertThat(s.promoted()).isEqualTo("v1");
    }
}
