package io.bulwark.models.toy;

import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.inference.InferenceProtocol;
import io.bulwark.models.inference.ModelMetadata;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model type that describes no fields ({@link PointModelType}, written before the protocol) is served by the Open
 * Inference Protocol without a change: named after its class, each input tensor the row field of its name, and its
 * own validation deciding.
 */
class UndescribedModelTypeInferenceTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void should_serve_a_model_type_that_describes_no_fields() {
        ClassifierService<Point> points = new ClassifierService<>(new ModelRegistry(dir, SecondModelTypeTest.JSON),
                new ModelTrainer<>(new PointModelType(), SecondModelTypeTest.CLOCK), ClassifierSettings.defaults(),
                ExactCache.create(100, Duration.ofMinutes(1), () -> 0L));
        points.ensureInitialVersion();
        InferenceProtocol protocol = new InferenceProtocol(List.of(io.bulwark.models.inference.InferenceModel.of(points)), "test", 10);
        JsonMapper json = SecondModelTypeTest.JSON;

        ModelMetadata m = protocol.metadata("point", null);
        List<Object> labels = (List<Object>) protocol.infer("point", null, null, json.readTree("{\"inputs\": ["
                + "{\"name\": \"x\", \"shape\": [2, 1], \"datatype\": \"FP32\", \"data\": [0.5, 9.5]},"
                + "{\"name\": \"y\", \"shape\": [2, 1], \"datatype\": \"INT32\", \"data\": [-1, -9]}]}"), "r")
                .response().outputs().getFirst().data();

        assertThat(m.inputs()).isEmpty();
        assertThat(m.outputs().get(1).parameters()).containsEntry("labels", "inside,outside");
        ClassifierService.Selected v1 = points.select(null);
        assertThat(labels).containsExactly(points.predict(v1, new Point(0.5, -1)).answer().prediction(),
                points.predict(v1, new Point(9.5, -9)).answer().prediction());
        assertThat(labels.get(1)).isEqualTo("outside");
        assertThatThrownBy(() -> protocol.infer("point", null, null, json.readTree("{\"inputs\": ["
                + "{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [0.5]}]}"), "r"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.getMessage())
                        .startsWith("input 'y': "));
    }
}
