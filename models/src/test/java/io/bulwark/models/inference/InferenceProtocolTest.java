package io.bulwark.models.inference;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Open Inference Protocol over the penguin classifier, in process: metadata from the model type's fields,
 * tensors mapped to rows by name, answers equal to the service's own, and each bad tensor refused with the status
 * and the input it names.
 */
@SuppressWarnings("unchecked")
class InferenceProtocolTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String GENTOO = "{\"name\": \"island\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"Biscoe\"]},"
            + "{\"name\": \"bill_length_mm\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [48.6]},"
            + "{\"name\": \"bill_depth_mm\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [16.0]},"
            + "{\"name\": \"flipper_length_mm\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [230]},"
            + "{\"name\": \"body_mass_g\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [5800]},"
            + "{\"name\": \"sex\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"male\"]}";
    static final String THREE = "{\"name\": \"island\", \"shape\": [3, 1], \"datatype\": \"BYTES\","
            + " \"data\": [[\"Biscoe\"], [\"Dream\"], [\"Torgersen\"]]},"
            + "{\"name\": \"bill_length_mm\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [48.6, 46.5, 39.1]},"
            + "{\"name\": \"bill_depth_mm\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [16.0, 17.9, 18.7]},"
            + "{\"name\": \"flipper_length_mm\", \"shape\": [3], \"datatype\": \"INT32\", \"data\": [230, 192, 181]},"
            + "{\"name\": \"body_mass_g\", \"shape\": [3, 1], \"datatype\": \"UINT16\", \"data\": [5800, 3500, 3750]}";

    @TempDir
    static Path dir;
    static ClassifierService<Penguin> service;
    static InferenceProtocol protocol;

    @BeforeAll
    static void train() {
        service = new ClassifierService<>(new ModelRegistry(dir, JSON),
                new ModelTrainer<>(PenguinModelType.bundled(), Clock.systemUTC()), ClassifierSettings.defaults(),
                ExactCache.create(100, Duration.ofMinutes(1), () -> 0L));
        service.ensureInitialVersion();
        protocol = new InferenceProtocol(List.of(InferenceModel.of(service)), "0.1.0", 5);
    }

    static JsonNode body(String inputs) {
        return JSON.readTree("{\"inputs\": [" + inputs + "]}");
    }

    static InferenceProtocol.Inference infer(String inputs) {
        return protocol.infer("penguins", null, null, body(inputs), "req-1");
    }

    static RequestRejected refusal(String inputs) {
        try {
            infer(inputs);
        } catch (RequestRejected e) {
            return e;
        }
        throw new AssertionError("accepted: " + inputs);
    }

    @Test
    void should_describe_the_model_from_its_types_fields() {
        ModelMetadata m = protocol.metadata("penguins", null);

        assertThat(m.name()).isEqualTo("penguins");
        assertThat(m.versions()).containsExactly("v1");
        assertThat(m.platform()).isEqualTo("tribuo");
        assertThat(m.inputs()).extracting(MetadataTensor::name).containsExactly("island", "bill_length_mm",
                "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex");
        assertThat(m.inputs()).extracting(MetadataTensor::datatype).containsExactly("BYTES", "FP32", "FP32", "FP32",
                "FP32", "BYTES");
        assertThat(m.inputs()).allSatisfy(t -> assertThat(t.shape()).containsExactly(-1L));
        assertThat(m.inputs().getLast().parameters()).containsEntry("optional", true);
        assertThat(m.outputs()).extracting(MetadataTensor::name).containsExactly("label", "probabilities");
        assertThat(m.outputs().get(1).shape()).containsExactly(-1L, 3L);
        assertThat(m.outputs().get(1).parameters()).containsEntry("labels", "Adelie,Chinstrap,Gentoo");
        assertThat(protocol.server()).isEqualTo(new ServerMetadata("bulwark", "0.1.0", List.of()));
    }

    @Test
    void should_answer_one_penguin_as_the_service_answers_it() {
        InferenceProtocol.Inference result = infer(GENTOO);
        Answer expected = service.predict(service.select(null), service.type().input(Map.of(
                "island", JSON.readTree("\"Biscoe\""), "bill_length_mm", JSON.readTree("48.6"),
                "bill_depth_mm", JSON.readTree("16.0"), "flipper_length_mm", JSON.readTree("230"),
                "body_mass_g", JSON.readTree("5800"), "sex", JSON.readTree("\"male\"")))).answer();
        InferenceResponse r = result.response();

        assertThat(r.modelName()).isEqualTo("penguins");
        assertThat(r.modelVersion()).isEqualTo("v1");
        assertThat(r.id()).isEqualTo("req-1");
        assertThat((List<Object>) r.outputs().get(0).data()).containsExactly(expected.prediction());
        assertThat((List<Object>) r.outputs().get(0).data()).containsExactly("Gentoo");
        assertThat(r.outputs().get(1).shape()).containsExactly(1L, 3L);
        assertThat((List<Object>) r.outputs().get(1).data()).containsExactly(expected.probabilities().get("Adelie"),
                expected.probabilities().get("Chinstrap"), expected.probabilities().get("Gentoo"));
        assertThat(result.rows()).hasSize(1);
    }

    @Test
    void should_answer_a_batch_in_row_order_from_any_numeric_datatype_flat_or_nested_without_the_optional_field() {
        InferenceResponse r = infer(THREE).response();

        assertThat(r.outputs().get(0).shape()).containsExactly(3L);
        assertThat((List<Object>) r.outputs().get(0).data()).containsExactly("Gentoo", "Chinstrap", "Adelie");
        assertThat(r.outputs().get(1).shape()).containsExactly(3L, 3L);
        assertThat(r.outputs().get(1).data()).hasSize(9);
    }

    @Test
    void should_echo_the_request_id_and_return_only_the_outputs_asked_for() {
        InferenceResponse r = protocol.infer("penguins", "v1", null, JSON.readTree("{\"id\": \"mine\", \"inputs\": ["
                + GENTOO + "], \"outputs\": [{\"name\": \"label\"}], \"parameters\": {\"binary_data_output\": true}}"),
                "req-2").response();

        assertThat(r.id()).isEqualTo("mine");
        assertThat(r.outputs()).extracting(OutputTensor::name).containsExactly("label");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "island as FP32 | \"datatype\": \"BYTES\", \"data\": [\"Biscoe\"] | \"datatype\": \"FP32\", \"data\": [1.0] | island | invalid_datatype",
            "a number as BYTES | \"datatype\": \"FP32\", \"data\": [48.6] | \"datatype\": \"BYTES\", \"data\": [\"48.6\"] | bill_length_mm | invalid_datatype",
            "an unknown datatype | \"datatype\": \"FP32\", \"data\": [16.0] | \"datatype\": \"FLOAT\", \"data\": [16.0] | bill_depth_mm | invalid_datatype",
            "a string in FP32 data | \"data\": [5800] | \"data\": [\"heavy\"] | body_mass_g | invalid_data",
            "INT8 past its range | \"datatype\": \"FP32\", \"data\": [230] | \"datatype\": \"INT8\", \"data\": [230] | flipper_length_mm | invalid_data",
            "a fraction as INT32 | \"datatype\": \"FP32\", \"data\": [230] | \"datatype\": \"INT32\", \"data\": [230.5] | flipper_length_mm | invalid_data",
            "more data than the shape | \"data\": [48.6] | \"data\": [48.6, 40.1] | bill_length_mm | invalid_shape",
            "a row shape the field lacks | \"shape\": [1], \"datatype\": \"FP32\", \"data\": [16.0] | \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [16.0, 17.0] | bill_depth_mm | invalid_shape",
            "nested data off the shape | \"shape\": [1], \"datatype\": \"FP32\", \"data\": [5800] | \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [[5800, 1]] | body_mass_g | invalid_shape",
            "another number of rows | \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"male\"] | \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"male\", \"female\"] | sex | invalid_shape",
            "a value out of range | \"data\": [5800] | \"data\": [50] | body_mass_g | out_of_range",
            "an unknown island | \"data\": [\"Biscoe\"] | \"data\": [\"Mars\"] | island | invalid_value",
            "binary data | \"data\": [48.6] | \"data\": [], \"parameters\": {\"binary_data_size\": 4} | bill_length_mm | unsupported",
    })
    void should_refuse_a_tensor_that_does_not_fit_with_a_400_naming_the_input(String what, String from, String to,
                                                                              String input, String code) {
        int start = GENTOO.indexOf("{\"name\": \"" + input + "\"");
        int end = GENTOO.indexOf('}', start) + 1;
        String tensor = GENTOO.substring(start, end);
        String inputs = GENTOO.substring(0, start) + tensor.replace(from.strip(), to.strip()) + GENTOO.substring(end);
        assertThat(inputs).as("the case edits the request").isNotEqualTo(GENTOO);
        RequestRejected e = refusal(inputs);

        assertThat(e.status()).as(e.getMessage()).isEqualTo(400);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.field()).isEqualTo(input);
        assertThat(e.getMessage()).contains("'" + input + "'");
    }

    @Test
    void should_refuse_a_missing_or_unknown_input_naming_it() {
        RequestRejected missing = refusal(GENTOO.substring(GENTOO.indexOf("},") + 2));
        RequestRejected unknown = refusal(GENTOO + ", {\"name\": \"beak\", \"shape\": [1], \"datatype\": \"FP32\","
                + " \"data\": [1]}");

        assertThat(missing.code()).isEqualTo("missing_input");
        assertThat(missing.getMessage()).startsWith("input 'island' is missing").contains("sex may be left out");
        assertThat(unknown.code()).isEqualTo("unknown_input");
        assertThat(unknown.getMessage()).contains("no input 'beak'").contains("bill_length_mm");
    }

    @Test
    void should_name_the_row_of_a_bad_value_in_a_batch() {
        RequestRejected e = refusal(THREE.replace("3500", "35"));

        assertThat(e.getMessage()).startsWith("input 'body_mass_g', row 1: ");
    }

    @Test
    void should_refuse_unknown_models_versions_and_outputs_and_batches_over_the_cap() {
        RequestRejected model = catchRejected(() -> protocol.infer("digits", null, null, body(GENTOO), "r"));
        RequestRejected version = catchRejected(() -> protocol.infer("penguins", "v9", null, body(GENTOO), "r"));
        RequestRejected name = catchRejected(() -> protocol.metadata("penguins", "latest"));
        RequestRejected output = catchRejected(() -> protocol.infer("penguins", null, null, JSON.readTree(
                "{\"inputs\": [" + GENTOO + "], \"outputs\": [{\"name\": \"species\"}]}"), "r"));
        String six = GENTOO.replace("\"shape\": [1]", "\"shape\": [6]").replaceAll("\"data\": \\[([^]]+)]",
                "\"data\": [$1, $1, $1, $1, $1, $1]");
        RequestRejected tooMany = catchRejected(() -> infer(six));

        assertThat(model.status()).isEqualTo(404);
        assertThat(model.getMessage()).isEqualTo("no model 'digits' is served here; models: penguins");
        assertThat(version.status()).isEqualTo(404);
        assertThat(version.getMessage()).isEqualTo("model penguins has no version 'v9'; its versions: v1");
        assertThat(name.status()).isEqualTo(404);
        assertThat(output.status()).isEqualTo(400);
        assertThat(output.getMessage()).contains("'species'");
        assertThat(tooMany.status()).as(tooMany.getMessage()).isEqualTo(413);
        RequestRejected classification = catchRejected(() -> protocol.infer("penguins", null, null, JSON.readTree(
                "{\"inputs\": [" + GENTOO + "], \"outputs\": [{\"name\": \"label\", \"parameters\": {\"classification\": 2}}]}"),
                "r"));
        assertThat(classification.status()).isEqualTo(400);
        assertThat(classification.getMessage()).contains("classification extension");
    }

    @Test
    void should_refuse_a_body_without_inputs() {
        assertThatThrownBy(() -> protocol.infer("penguins", null, null, JSON.readTree("{}"), "r"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.field()).isEqualTo("inputs"));
        assertThatThrownBy(() -> protocol.infer("penguins", null, null, JSON.readTree("{\"inputs\": []}"), "r"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void should_be_ready_with_a_loadable_version_and_not_with_an_unknown_one() {
        protocol.serverReady();
        protocol.modelReady("penguins", "v1");

        assertThat(catchRejected(() -> protocol.modelReady("penguins", "v2")).status()).isEqualTo(404);
    }

    static RequestRejected catchRejected(Runnable r) {
        try {
            r.run();
        } catch (RequestRejected e) {
            return e;
        }
        throw new AssertionError("not refused");
    }
}
