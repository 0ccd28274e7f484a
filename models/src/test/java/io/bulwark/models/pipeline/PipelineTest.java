package io.bulwark.models.pipeline;

import io.bulwark.models.InputField;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each step learns at fit time and applies what it learnt; a bad pipeline is refused naming the field at fault. */
class PipelineTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Map<String, InputField.Kind> FIELDS = fields();

    static Map<String, InputField.Kind> fields() {
        Map<String, InputField.Kind> f = new LinkedHashMap<>();
        f.put("island", InputField.Kind.TEXT);
        f.put("mass", InputField.Kind.NUMBER);
        f.put("length", InputField.Kind.NUMBER);
        f.put("depth", InputField.Kind.NUMBER);
        f.put("sex", InputField.Kind.TEXT);
        return f;
    }

    static Pipeline pipeline(String json) {
        return Pipeline.parse(JSON.readTree(json), "pipeline", FIELDS);
    }

    static Map<String, Object> row(String island, Double mass, Double length, Double depth, String sex) {
        Map<String, Object> r = new HashMap<>();
        r.put("island", island);
        r.put("mass", mass);
        r.put("length", length);
        r.put("depth", depth);
        r.put("sex", sex);
        return r;
    }

    static final List<Map<String, Object>> TRAINING = List.of(
            row("Biscoe", 4000.0, 40.0, 20.0, "male"),
            row("Dream", 3000.0, 50.0, 10.0, "female"),
            row("Biscoe", null, 45.0, 15.0, "male"),
            row("Torgersen", 5000.0, 39.0, 13.0, null));

    @Test
    void should_impute_the_training_mean_median_most_frequent_or_a_constant_and_leave_present_values_alone() {
        Map<String, Object> missing = row("Biscoe", null, 41.0, 16.0, null);

        assertThat(pipeline("{\"steps\":[{\"impute\":{\"feature\":\"mass\",\"strategy\":\"mean\"}}]}").fit(TRAINING)
                .transform(missing)).containsEntry("mass", 4000.0);
        assertThat(pipeline("{\"steps\":[{\"impute\":{\"feature\":\"length\",\"strategy\":\"median\"}}]}")
                .fit(TRAINING).transform(row("Dream", 1.0, null, 1.0, null))).containsEntry("length", 42.5);
        FittedPipeline sex = pipeline("{\"steps\":[{\"impute\":{\"feature\":\"sex\",\"strategy\":\"most_frequent\"}},"
                + "{\"one_hot\":{\"feature\":\"sex\"}}]}").fit(TRAINING);
        assertThat(sex.transform(missing)).containsEntry("sex=male", 1.0).doesNotContainKey("sex=female");
        assertThat(sex.transform(row("Dream", 1.0, 1.0, 1.0, "female"))).containsEntry("sex=female", 1.0)
                .doesNotContainKey("sex=male");
        assertThat(pipeline("{\"steps\":[{\"impute\":{\"feature\":\"mass\",\"strategy\":\"constant\",\"value\":-1}}]}")
                .fit(TRAINING).transform(missing)).containsEntry("mass", -1.0);
        assertThat(sex.toJson().at("/steps/0/impute/value").stringValue()).isEqualTo("male");
    }

    @Test
    void should_scale_with_statistics_learnt_on_the_training_rows_only() {
        FittedPipeline standard = pipeline("{\"steps\":[{\"scale\":{\"features\":[\"mass\",\"depth\"],"
                + "\"method\":\"standard\"}}]}").fit(TRAINING);
        // mass: mean of 4000, 3000, 5000 (the missing one does not count) = 4000, population sd = sqrt(2/3)*1000
        Map<String, Double> f = standard.transform(row("Biscoe", 5000.0, 40.0, 14.5, null));
        assertThat(f.get("mass")).isEqualTo(1000 / Math.sqrt(2.0 / 3 * 1_000_000));
        assertThat(f.get("length")).isEqualTo(40.0);
        assertThat(standard.transform(row("Biscoe", null, 40.0, 14.5, null))).doesNotContainKey("mass");

        FittedPipeline minmax = pipeline("{\"steps\":[{\"scale\":{\"features\":[\"length\"],\"method\":\"minmax\"}}]}")
                .fit(TRAINING);
        assertThat(minmax.transform(row("Dream", 1.0, 39.0, 1.0, null)).get("length")).isEqualTo(0.0);
        assertThat(minmax.transform(row("Dream", 1.0, 50.0, 1.0, null)).get("length")).isEqualTo(1.0);
        assertThat(minmax.transform(row("Dream", 1.0, 61.0, 1.0, null)).get("length")).isEqualTo(2.0);
    }

    @Test
    void should_one_hot_the_training_categories_and_set_none_for_an_unseen_or_missing_one() {
        FittedPipeline p = pipeline("{\"steps\":[{\"one_hot\":{\"feature\":\"island\"}}]}").fit(TRAINING);

        assertThat(p.transform(row("Dream", 1.0, 2.0, 3.0, "male")))
                .isEqualTo(Map.of("island=Dream", 1.0, "mass", 1.0, "length", 2.0, "depth", 3.0));
        assertThat(p.transform(row("Atlantis", 1.0, 2.0, 3.0, null))).containsOnlyKeys("mass", "length", "depth");
        assertThat(p.toJson().at("/steps/0/one_hot/categories").toString())
                .isEqualTo("[\"Biscoe\",\"Dream\",\"Torgersen\"]");
    }

    @Test
    void should_derive_a_number_from_a_safe_formula_and_leave_it_missing_when_it_cannot_be_computed() {
        FittedPipeline p = pipeline("{\"steps\":[{\"derive\":{\"name\":\"ratio\",\"expression\":"
                + "\"(length - 1) / depth * -2 + 0.5\"}}]}").fit(TRAINING);

        assertThat(p.transform(row("Dream", 1.0, 41.0, 20.0, null)).get("ratio")).isEqualTo((41.0 - 1) / 20 * -2 + 0.5);
        assertThat(p.transform(row("Dream", 1.0, 41.0, 0.0, null))).doesNotContainKey("ratio");
        assertThat(p.transform(row("Dream", 1.0, null, 2.0, null))).doesNotContainKey("ratio");
    }

    @Test
    void should_fit_each_step_on_the_rows_as_the_steps_before_it_left_them() {
        // The derived ratio is scaled; its statistics are those of the derived values, not of anything raw.
        FittedPipeline p = pipeline("{\"steps\":[{\"derive\":{\"name\":\"r\",\"expression\":\"length / depth\"}},"
                + "{\"scale\":{\"features\":[\"r\"],\"method\":\"minmax\"}}]}").fit(TRAINING);
        // r over the training rows: 2, 5, 3, 3 → min 2, range 3
        assertThat(p.transform(row("Dream", 1.0, 10.0, 2.0, null)).get("r")).isEqualTo(1.0);
    }

    @Test
    void should_read_back_a_saved_pipeline_that_gives_bit_identical_features() {
        FittedPipeline p = pipeline("{\"steps\":[{\"impute\":{\"feature\":\"mass\",\"strategy\":\"mean\"}},"
                + "{\"derive\":{\"name\":\"r\",\"expression\":\"length / depth\"}},"
                + "{\"scale\":{\"features\":[\"mass\",\"length\",\"r\"],\"method\":\"standard\"}},"
                + "{\"one_hot\":{\"feature\":\"island\"}}]}").fit(TRAINING);
        FittedPipeline back = FittedPipeline.read(JSON.readTree(JSON.writeValueAsString(p.toJson())), FIELDS);

        for (Map<String, Object> r : TRAINING) {
            Map<String, Double> a = p.transform(r);
            Map<String, Double> b = back.transform(r);
            assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
            a.forEach((k, v) -> assertThat(Double.doubleToRawLongBits(b.get(k))).as(k)
                    .isEqualTo(Double.doubleToRawLongBits(v)));
        }
        assertThat(back.toJson()).isEqualTo(p.toJson());
    }

    @Test
    void should_give_back_the_spec_it_was_fitted_from_so_a_retrained_version_fits_it_again() {
        String spec = "{\"steps\":[{\"impute\":{\"feature\":\"mass\",\"strategy\":\"mean\"}},"
                + "{\"impute\":{\"feature\":\"sex\",\"strategy\":\"constant\",\"value\":\"female\"}},"
                + "{\"derive\":{\"name\":\"r\",\"expression\":\"length / depth\"}},"
                + "{\"scale\":{\"features\":[\"r\"],\"method\":\"minmax\"}},{\"one_hot\":{\"feature\":\"island\"}}]}";
        FittedPipeline fitted = pipeline(spec).fit(TRAINING);

        assertThat(fitted.spec().toJson()).isEqualTo(pipeline(spec).toJson());
        assertThat(fitted.spec().fit(TRAINING).toJson()).isEqualTo(fitted.toJson());
        assertThat(fitted.spec().fit(TRAINING.subList(0, 2)).toJson()).isNotEqualTo(fitted.toJson());
    }

    @Test
    void should_refuse_a_saved_pipeline_that_holds_nothing_fitted() {
        JsonNode unfitted = JSON.readTree("{\"steps\":[{\"one_hot\":{\"feature\":\"island\"}}]}");
        assertThatThrownBy(() -> FittedPipeline.read(unfitted, FIELDS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pipeline.steps[0].one_hot");
    }

    static void refused(String json, String field, String code) {
        assertThatThrownBy(() -> pipeline(json)).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.status()).isEqualTo(400);
        });
    }

    @Test
    void should_refuse_bad_pipelines_naming_the_field_at_fault() {
        refused("[]", "pipeline", "invalid_type");
        refused("{}", "pipeline.steps", "missing_field");
        refused("{\"steps\":[],\"extra\":1}", "pipeline.extra", "unknown_field");
        refused("{\"steps\":[{\"one_hot\":{\"feature\":\"island\"}},{\"impute\":{\"feature\":\"mass\","
                + "\"strategy\":\"mean\"}},{\"scale\":{\"features\":[\"mass\"],\"method\":\"cubic\"}}]}",
                "pipeline.steps[2].scale.method", "invalid_value");
        refused("{\"steps\":[{\"scale\":{\"features\":[\"mass\",\"island\"],\"method\":\"standard\"}}]}",
                "pipeline.steps[0].scale.features[1]", "invalid_value");
        refused("{\"steps\":[{\"scale\":{\"features\":[\"wings\"],\"method\":\"standard\"}}]}",
                "pipeline.steps[0].scale.features[0]", "unknown_feature");
        refused("{\"steps\":[{\"normalise\":{}}]}", "pipeline.steps[0].normalise", "unknown_step");
        refused("{\"steps\":[{\"impute\":{\"feature\":\"sex\",\"strategy\":\"mean\"}}]}",
                "pipeline.steps[0].impute.strategy", "invalid_value");
        refused("{\"steps\":[{\"impute\":{\"feature\":\"mass\",\"strategy\":\"constant\",\"value\":\"x\"}}]}",
                "pipeline.steps[0].impute.value", "invalid_type");
        refused("{\"steps\":[{\"impute\":{\"feature\":\"mass\",\"strategy\":\"mean\",\"value\":3}}]}",
                "pipeline.steps[0].impute.value", "unknown_field");
        refused("{\"steps\":[{\"one_hot\":{\"feature\":\"island\"}},{\"one_hot\":{\"feature\":\"island\"}}]}",
                "pipeline.steps[1].one_hot.feature", "unknown_feature");
        refused("{\"steps\":[{\"derive\":{\"name\":\"mass\",\"expression\":\"length\"}}]}",
                "pipeline.steps[0].derive.name", "invalid_value");
        refused("{\"steps\":[{\"derive\":{\"name\":\"r\",\"expression\":\"Runtime.exec(1)\"}}]}",
                "pipeline.steps[0].derive.expression", "invalid_value");
        refused("{\"steps\":[{\"derive\":{\"name\":\"r\",\"expression\":\"length / island\"}}]}",
                "pipeline.steps[0].derive.expression", "invalid_value");
        refused("{\"steps\":[{\"derive\":{\"name\":\"r\",\"expression\":\"(length\"}}]}",
                "pipeline.steps[0].derive.expression", "invalid_value");
        refused("{\"steps\":[{\"derive\":{\"name\":\"r\",\"expression\":\"1.2.3\"}}]}",
                "pipeline.steps[0].derive.expression", "invalid_value");
        refused("{\"steps\":[{\"scale\":{\"features\":[\"mass\"],\"method\":\"standard\"},\"one_hot\":{}}]}",
                "pipeline.steps[0]", "invalid_type");
    }

    @Test
    void should_say_what_is_wrong_in_the_callers_terms() {
        assertThatThrownBy(() -> pipeline("{\"steps\":[{\"scale\":{\"features\":[\"mass\"],\"method\":\"cubic\"}}]}"))
                .hasMessage("\"method\" must be one of standard, minmax; not \"cubic\"");
        assertThatThrownBy(() -> pipeline("{\"steps\":[{\"scale\":{\"features\":[\"wings\"],\"method\":\"standard\"}}]}"))
                .hasMessage("'wings' is not a feature at this step; features: island, mass, length, depth, sex");
    }

    @Test
    void should_refuse_to_fit_an_imputation_with_no_value_to_learn_from() {
        List<Map<String, Object>> noSex = List.of(row("Dream", 1.0, 1.0, 1.0, null));
        Pipeline p = pipeline("{\"steps\":[{\"one_hot\":{\"feature\":\"island\"}},"
                + "{\"impute\":{\"feature\":\"sex\",\"strategy\":\"most_frequent\"}}]}");
        assertThatThrownBy(() -> p.fit(noSex)).isInstanceOfSatisfying(RequestRejected.class,
                e -> assertThat(e.field()).isEqualTo("pipeline.steps[1].impute.feature"));
    }
}
