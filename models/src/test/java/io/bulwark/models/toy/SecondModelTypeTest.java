package io.bulwark.models.toy;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.input.InputFormat;
import io.bulwark.models.input.RowReader;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The model-type SPI is enough for a second kind of model: {@link PointModelType}, written against the public API
 * only, is validated, trained, registered, promoted, rolled back and predicted by the same service, registry,
 * readers and trainer as the penguins.
 */
class SecondModelTypeTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    ClassifierService<Point> service(ClassifierSettings settings) {
        return new ClassifierService<>(new ModelRegistry(dir, JSON), new ModelTrainer<>(new PointModelType(), CLOCK),
                settings, ExactCache.create(100, Duration.ofMinutes(1), () -> 0L));
    }

    Point read(ClassifierService<Point> service, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return service.type().input(RowReader.single(InputFormat.detect(contentType, bytes), bytes).values());
    }

    @Test
    void should_train_register_promote_and_predict_a_second_model_type_through_the_same_service() throws Exception {
        ClassifierService<Point> service = service(ClassifierSettings.defaults());

        assertThat(service.ensureInitialVersion()).isEqualTo("v1");
        assertThat(service.models().versions().getFirst().algorithm()).isEqualTo("tree");
        assertThat(service.models().versions().getFirst().hyperparameters()).isEqualTo(Map.of("max_depth", 2));

        ClassifierService.Trained deeper = service.train(new TrainingSpec(PointModelType.TREE, Map.of("max_depth", 8),
                3, 42, 0.2));
        ClassifierService.Trained linear = service.train(new TrainingSpec(
                Algorithm.parse(service.type().algorithms(), "LINEAR"), Map.of(), 3, 42, 0.2));

        assertThat(deeper.promoted()).as(deeper.message()).isTrue();
        assertThat(deeper.promotion().metric()).isEqualTo("worst_recall");
        assertThat(linear.promoted()).as(linear.message()).isFalse();
        assertThat(linear.promotion().reason()).startsWith("kept v2: held-out worst_recall");
        assertThat(service.promoted()).isEqualTo("v2");

        Point centre = read(service, "application/json", "{\"x\": 0.5, \"y\": -1}");
        Point corner = read(service, "text/csv", "x,y\n9.5,-9\n");
        ClassifierService.Selected v2 = service.select(null);
        ClassifierService.Cached first = service.predict(v2, centre);

        assertThat(v2.version()).isEqualTo("v2");
        assertThat(first.answer().prediction()).isEqualTo("inside");
        assertThat(first.cached()).isFalse();
        assertThat(service.predict(v2, centre).cached()).isTrue();
        assertThat(service.predict(v2, corner).answer().prediction()).isEqualTo("outside");
        assertThat(service.predict(service.select("v3"), corner).answer())
                .extracting(Answer::probabilities).satisfies(p -> assertThat(p).containsOnlyKeys("inside", "outside"));

        assertThat(service.rollback().promoted()).isEqualTo("v1");
        assertThat(service.promote("v3").promoted()).isEqualTo("v3");
        assertThat(service.models().previouslyPromoted()).containsExactly("v1");
        assertThat(Files.readString(dir.resolve("v2").resolve(ModelRegistry.METADATA_FILE)))
                .contains("\"train_labels\"", "\"data_source\" : \"generated: 400 points, seed 1\"");
    }

    @Test
    void should_promote_on_the_metric_the_settings_name_among_the_types_own() {
        ClassifierSettings accuracy = new ClassifierSettings(0.6, null, ClassifierSettings.AutoPromote.IF_NOT_WORSE,
                "accuracy", 42, 0.2, 42);
        ClassifierService<Point> service = service(accuracy);
        service.ensureInitialVersion();

        ClassifierService.Trained trained = service.train(new TrainingSpec(PointModelType.TREE, Map.of("max_depth", 6),
                42, 42, 0.2));

        assertThat(trained.promotion().metric()).isEqualTo("accuracy");
        assertThat(trained.promotion().newValue()).isEqualTo(trained.metrics().accuracy());
    }

    @Test
    void should_refuse_a_promotion_metric_the_type_does_not_have() {
        ClassifierSettings f1 = new ClassifierSettings(0.6, null, ClassifierSettings.AutoPromote.IF_NOT_WORSE,
                "macro_f1", 42, 0.2, 42);

        assertThatThrownBy(() -> service(f1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bulwark.classifier.promote-metric must be accuracy or worst_recall: macro_f1");
    }

    @Test
    void should_name_the_field_at_fault_in_any_body_format() {
        ClassifierService<Point> service = service(ClassifierSettings.defaults());

        assertThatThrownBy(() -> read(service, "application/json", "{\"x\": 1}"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo("missing_field");
                    assertThat(e.field()).isEqualTo("y");
                });
        assertThatThrownBy(() -> read(service, "application/xml", "<point x=\"1\" y=\"eleven\"/>"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.field()).isEqualTo("y"));
        assertThatThrownBy(() -> read(service, "text/csv", "x,y\n11,0\n"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo("out_of_range");
                    assertThat(e.field()).isEqualTo("x");
                    assertThat(e.status()).isEqualTo(400);
                });
    }

    @Test
    void should_refuse_a_hyperparameter_of_another_algorithm_of_the_type() {
        assertThatThrownBy(() -> new TrainingSpec(PointModelType.LINEAR, Map.of("max_depth", 3), 1, 42, 0.2))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.field()).isEqualTo("hyperparameters.max_depth");
                    assertThat(e.getMessage()).isEqualTo("'max_depth' is not a hyperparameter of linear; it takes epochs");
                });
    }
}
