package io.bulwark.functions.config;

import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.monitoring.AlertRules;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata IDEs read from the jar ({@code META-INF/spring-configuration-metadata.json}, written by
 * Spring Boot's configuration processor during the build) against what binding with nothing set gives. A default the
 * records fill in from a library constant is written a second time in
 * {@code additional-spring-configuration-metadata.json}; these tests are what keeps the two copies equal.
 */
class ConfigurationMetadataTest {

    /** One property the code binds: its name, the record component it binds to, and its value with nothing set. */
    record Bound(String name, RecordComponent component, Object value) {
    }

    private static Map<String, Bound> bound;
    private static Map<String, JsonNode> metadata;
    private static JsonNode hints;

    @BeforeAll
    static void bindEveryPropertiesClassAndReadTheGeneratedMetadata() throws Exception {
        bound = new LinkedHashMap<>();
        Binder empty = new Binder(new MapConfigurationPropertySource(Map.of()));
        for (Class<?> type : configurationPropertiesClasses()) {
            String prefix = MergedAnnotations.from(type).get(ConfigurationProperties.class).getString("prefix");
            collect(prefix, empty.bindOrCreate(prefix, type), bound);
        }
        assertThat(bound).as("bulwark.* properties found by binding").containsKey("bulwark.llm.timeout");

        // This module's own file, beside its classes, not one of the Spring jars'.
        URI classes = BulwarkApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        Path file = Path.of(classes).resolve("META-INF/spring-configuration-metadata.json");
        assertThat(file).as("the configuration processor's output; it runs in javac during the Maven build").exists();
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JsonMapper.builder().build().readTree(in);
        }
        metadata = new LinkedHashMap<>();
        for (JsonNode property : root.get("properties")) {
            metadata.put(property.get("name").asString(), property);
        }
        hints = root.get("hints");
    }

    /** Every {@code @ConfigurationProperties} class of the app, so a new one is checked without being listed here. */
    private static List<Class<?>> configurationPropertiesClasses() throws ClassNotFoundException {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> types = new ArrayList<>();
        for (var candidate : scanner.findCandidateComponents("io.bulwark")) {
            types.add(ClassUtils.forName(candidate.getBeanClassName(), null));
        }
        assertThat(types).as("@ConfigurationProperties classes").contains(BulwarkProperties.class,
                MonitoringProperties.class, HttpProperties.class);
        return types;
    }

    /** Walks a bound record: a nested record is a group of properties, anything else (a map too) one property. */
    private static void collect(String prefix, Object record, Map<String, Bound> into) throws Exception {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            String name = prefix + "." + DataObjectPropertyName.toDashedForm(component.getName());
            Object value = component.getAccessor().invoke(record);
            if (component.getType().isRecord()) {
                collect(name, value, into);
            } else {
                into.put(name, new Bound(name, component, value));
            }
        }
    }

    @Test
    void should_describe_every_bound_property_in_one_line_of_plain_text() {
        SoftAssertions softly = new SoftAssertions();
        bound.keySet().forEach(name -> {
            softly.assertThat(metadata).as("metadata of %s", name).containsKey(name);
            String description = metadata.containsKey(name) && metadata.get(name).has("description")
                    ? metadata.get(name).get("description").asString() : "";
            softly.assertThat(description).as("description of %s (the record's @param tag)", name).isNotBlank()
                    .doesNotContain("\n")
                    // The processor copies Javadoc as it is; an IDE would show the tag's braces.
                    .doesNotContain("{@");
        });
        softly.assertAll();
    }

    @Test
    void should_give_the_type_of_every_bound_property() {
        SoftAssertions softly = new SoftAssertions();
        bound.values().forEach(b -> {
            String type = b.component().getType().isPrimitive()
                    ? ClassUtils.resolvePrimitiveIfNecessary(b.component().getType()).getName()
                    : b.component().getGenericType().getTypeName().replace(" ", "");
            softly.assertThat(metadata.get(b.name())).as("metadata of %s", b.name()).isNotNull();
            if (metadata.containsKey(b.name())) {
                softly.assertThat(metadata.get(b.name()).path("type").asString()).as("type of %s", b.name())
                        .isEqualTo(type);
            }
        });
        softly.assertAll();
    }

    @Test
    void should_give_every_default_that_binding_with_nothing_set_gives() {
        SoftAssertions softly = new SoftAssertions();
        bound.values().forEach(b -> {
            JsonNode property = metadata.get(b.name());
            if (property == null) {
                softly.fail("%s is bound but not in the metadata", b.name());
                return;
            }
            JsonNode documented = property.get("defaultValue");
            if (b.value() == null || b.value() instanceof Map<?, ?> m && m.isEmpty()
                    || b.value() instanceof Collection<?> c && c.isEmpty()) {
                softly.assertThat(documented).as("default of %s, which is unset when nothing is set", b.name())
                        .isNull();
                return;
            }
            softly.assertThat(documented).as("default of %s, %s when nothing is set: add it to"
                    + " additional-spring-configuration-metadata.json", b.name(), b.value()).isNotNull();
            if (documented != null) {
                // Bound as the property would be written (1200ms, 100MB, 0.6, model-registry), by the same binder.
                Object converted = new Binder(new MapConfigurationPropertySource(
                        Map.of(b.name(), documented.asString())))
                        .bind(b.name(), Bindable.of(ResolvableType.forType(b.component().getGenericType()))).get();
                softly.assertThat(converted).as("default of %s: the metadata says %s", b.name(), documented)
                        .isEqualTo(b.value());
            }
        });
        softly.assertAll();
    }

    @Test
    void should_merge_every_default_of_the_additional_metadata() throws Exception {
        JsonNode additional;
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(
                "/META-INF/additional-spring-configuration-metadata.json")) {
            assertThat(in).as("additional-spring-configuration-metadata.json").isNotNull();
            additional = JsonMapper.builder().build().readTree(in);
        }
        SoftAssertions softly = new SoftAssertions();
        for (JsonNode property : additional.get("properties")) {
            String name = property.get("name").asString();
            // javac runs the processor only when a source changed: an edit of the JSON file alone needs mvn clean.
            softly.assertThat(metadata.get(name)).as("%s in the generated metadata (stale? mvn clean)", name)
                    .isNotNull();
            if (metadata.containsKey(name)) {
                softly.assertThat(metadata.get(name).get("defaultValue")).as("merged default of %s (stale? mvn clean)",
                        name).isEqualTo(property.get("defaultValue"));
            }
        }
        softly.assertAll();
    }

    @Test
    void should_list_no_property_that_nothing_binds() {
        assertThat(metadata.keySet()).as("properties in the metadata (a stale entry of the additional metadata?)")
                .containsExactlyInAnyOrderElementsOf(bound.keySet());
    }

    @Test
    void should_name_every_key_of_a_map_value_in_the_description_of_the_map() {
        List<Bound> maps = bound.values().stream().filter(b -> Map.class.isAssignableFrom(b.component().getType()))
                .toList();
        assertThat(maps).extracting(Bound::name).contains("bulwark.monitoring.alerts");
        SoftAssertions softly = new SoftAssertions();
        for (Bound map : maps) {
            Class<?> valueType = ResolvableType.forType(map.component().getGenericType()).asMap().resolveGeneric(1);
            if (valueType != null && valueType.isRecord()) {
                String description = metadata.get(map.name()).path("description").asString();
                Arrays.stream(valueType.getRecordComponents())
                        .map(c -> DataObjectPropertyName.toDashedForm(c.getName()))
                        .forEach(key -> softly.assertThat(description).as("description of %s", map.name())
                                .contains(key));
            }
        }
        softly.assertAll();
    }

    @Test
    void should_offer_the_default_alert_rules_as_the_keys_of_bulwark_monitoring_alerts() {
        Map<String, String> offered = new LinkedHashMap<>();
        for (JsonNode hint : hints) {
            if (hint.get("name").asString().equals("bulwark.monitoring.alerts.keys")) {
                hint.get("values").forEach(v -> offered.put(v.get("value").asString(),
                        v.path("description").asString()));
            }
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        AlertRules.defaults().values().forEach(r -> defaults.put(r.name(), r.condition()));

        assertThat(offered).as("hint values (name: condition) of bulwark.monitoring.alerts.keys")
                .containsExactlyEntriesOf(defaults);
    }
}
