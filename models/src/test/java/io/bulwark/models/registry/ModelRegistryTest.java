package io.bulwark.models.registry;

import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRegistryTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static ModelTrainer<Penguin> trainer;
    static ModelTrainer.Trained<Penguin> lr;
    static ModelTrainer.Trained<Penguin> cart;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        trainer = new ModelTrainer<>(PenguinModelType.bundled(),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        lr = trainer.train(TrainingSpec.defaults(trainer.type()));
        cart = trainer.train(new TrainingSpec(Algorithm.parse(trainer.type().algorithms(), "cart"), Map.of(), 1, 42,
                0.2));
    }

    @Test
    void should_number_versions_in_order_and_keep_model_and_metadata() {
        ModelRegistry registry = new ModelRegistry(dir, JSON);

        assertThat(registry.save(lr)).isEqualTo("v1");
        assertThat(registry.save(cart)).isEqualTo("v2");

        assertThat(registry.versions()).containsExactly("v1", "v2");
        assertThat(registry.metadata("v2")).get().extracting(m -> m.algorithm()).isEqualTo("cart");
        assertThat(registry.metadata("v1").get().metrics()).isEqualTo(lr.metadata().metrics());
        assertThat(registry.load("v2").getProvenance().getTrainerProvenance().getClassName())
                .contains("CARTClassificationTrainer");
    }

    @Test
    void should_take_the_next_number_when_another_writer_took_it() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir, JSON, staged -> {
            // another process renames its version into v1 while this one is staged
            try {
                if (!Files.exists(dir.resolve("v1"))) {
                    Files.createDirectories(dir.resolve("v1"));
                    Files.writeString(dir.resolve("v1").resolve("marker"), "other writer");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(registry.save(lr)).isEqualTo("v2");
        assertThat(Files.readString(dir.resolve("v1").resolve("marker"))).isEqualTo("other writer");
        assertThat(registry.versions()).containsExactly("v1", "v2");
    }

    @Test
    void should_keep_v1_when_two_starts_race_for_it() {
        ModelRegistry a = new ModelRegistry(dir, JSON);
        ModelRegistry b = new ModelRegistry(dir, JSON);

        assertThat(a.saveInitial(lr)).isEqualTo("v1");
        assertThat(b.saveInitial(cart)).isEqualTo("v1");

        assertThat(a.versions()).containsExactly("v1");
        assertThat(a.metadata("v1").get().algorithm()).isEqualTo("logistic_regression");
    }

    @Test
    void should_roll_back_through_the_promotion_history() {
        ModelRegistry registry = new ModelRegistry(dir, JSON);
        registry.save(lr);
        registry.save(cart);
        registry.save(lr);
        registry.promote("v1");
        registry.promote("v2");
        registry.promote("v3");

        assertThat(registry.rollback()).get().extracting(ModelRegistry.Promotion::promoted).isEqualTo("v2");
        assertThat(registry.rollback()).get().extracting(ModelRegistry.Promotion::promoted).isEqualTo("v1");
        assertThat(registry.rollback()).isEmpty();
        assertThat(new ModelRegistry(dir, JSON).promotion().promoted()).isEqualTo("v1");
    }

    @Test
    void should_remove_staging_left_by_a_crash_and_never_list_it() throws Exception {
        Files.createDirectories(dir.resolve(".staging-dead").resolve("x"));
        Files.writeString(dir.resolve(".promotion.json-dead"), "{");

        ModelRegistry registry = new ModelRegistry(dir, JSON);

        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).isEmpty();
        }
        assertThat(registry.versions()).isEmpty();
    }

    @Test
    void should_report_a_corrupt_model_as_a_load_failure() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir, JSON);
        registry.save(lr);
        Files.write(dir.resolve("v1").resolve(ModelRegistry.MODEL_FILE), new byte[]{1, 2, 3});

        assertThatThrownBy(() -> registry.load("v1")).isInstanceOf(ModelRegistry.LoadFailure.class)
                .hasMessageStartingWith("v1 could not be loaded");
    }

    @Test
    void should_say_why_a_model_cannot_load_without_library_types_or_paths_keeping_them_for_the_log() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir, JSON);
        registry.save(lr);
        registry.save(lr);
        Files.write(dir.resolve("v1").resolve(ModelRegistry.MODEL_FILE), new byte[]{1, 2, 3});
        Files.delete(dir.resolve("v2").resolve(ModelRegistry.MODEL_FILE));

        assertThatThrownBy(() -> registry.load("v1")).isInstanceOfSatisfying(ModelRegistry.LoadFailure.class, e -> {
            assertThat(e.getMessage()).isEqualTo("v1 could not be loaded: its model file is damaged or not a model this app reads");
            assertThat(e.detail()).contains("Exception");
        });
        assertThatThrownBy(() -> registry.load("v2")).isInstanceOfSatisfying(ModelRegistry.LoadFailure.class, e -> {
            assertThat(e.getMessage()).isEqualTo("v2 could not be loaded: its model file is missing");
            assertThat(e.detail()).contains(dir.toString());
        });
    }

    @Test
    void should_read_a_registry_written_before_model_types() throws Exception {
        // v1 and promotion.json as the jar before the model-type SPI wrote them (penguins, the v1 spec)
        Path old = Path.of(getClass().getResource("/registry-before-model-types").toURI());
        try (Stream<Path> files = Files.walk(old)) {
            for (Path p : files.toList()) {
                Files.copy(p, dir.resolve(old.relativize(p).toString()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }

        ModelRegistry registry = new ModelRegistry(dir, JSON);

        assertThat(registry.versions()).containsExactly("v1");
        assertThat(registry.promotion().promoted()).isEqualTo("v1");
        assertThat(registry.metadata("v1")).get().satisfies(m -> {
            assertThat(m.algorithm()).isEqualTo("logistic_regression");
            assertThat(m.hyperparameters()).isEqualTo(Map.of("epochs", 30, "learning_rate", 0.5, "minibatch_size", 1));
            assertThat(m.metrics()).isEqualTo(lr.metadata().metrics());
            assertThat(m.provenance().splitSeed()).isEqualTo(42);
            assertThat(m.data()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("train_rows", 273).containsKey("train_species");
        });
        assertThat(trainer.evaluate(registry.load("v1"), lr.split().test())).isEqualTo(lr.metadata().metrics());
    }
    /** A directory storage whose every call fails while {@code down}: an unreachable storage. */
    static final class Outage implements RegistryStorage {
        final RegistryStorage real;
        volatile boolean down;

        Outage(RegistryStorage real) {
            this.real = real;
        }

        private void check() {
            if (down) {
                throw new java.io.UncheckedIOException(new java.net.ConnectException("Connection refused"));
            }
        }

        @Override
        public String location() {
            return real.location();
        }

        @Override
        public java.util.List<String> versionNames() {
            check();
            return real.versionNames();
        }

        @Override
        public boolean exists(String version) {
            check();
            return real.exists(version);
        }

        @Override
        public java.io.InputStream open(String version, String file) throws java.io.IOException {
            check();
            return real.open(version, file);
        }

        @Override
        public String write(Map<String, byte[]> files, boolean initial) throws java.io.IOException {
            check();
            return real.write(files, initial);
        }

        @Override
        public java.util.Optional<byte[]> readPointer() throws java.io.IOException {
            check();
            return real.readPointer();
        }

        @Override
        public void writePointer(byte[] content) throws java.io.IOException {
            check();
            real.writePointer(content);
        }
    }

    @Test
    void should_answer_reads_from_the_last_listing_and_refuse_writes_with_503_while_the_storage_is_down() {
        Outage storage = new Outage(new DirectoryStorage(dir, p -> { }));
        ModelRegistry registry = new ModelRegistry(storage, JSON);
        registry.save(lr);
        registry.save(cart);
        registry.promote("v1");
        assertThat(registry.versions()).containsExactly("v1", "v2");
        assertThat(registry.metadata("v2")).isPresent();
        assertThat(registry.stale()).isEmpty();

        storage.down = true;

        assertThat(registry.versions()).containsExactly("v1", "v2");
        assertThat(registry.stale()).get().asString().contains("last listing");
        assertThat(registry.metadata("v2")).get().extracting(m -> m.algorithm()).isEqualTo("cart");
        assertThat(registry.metadata("v1")).as("never read before the outage").isEmpty();
        assertThat(registry.promotion().promoted()).isEqualTo("v1");
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : java.util.List.<
                org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(() -> registry.exists("v2"),
                () -> registry.promote("v2"), () -> registry.save(lr))) {
            assertThatThrownBy(call).isInstanceOfSatisfying(io.bulwark.resilience.failure.RequestRejected.class,
                    r -> {
                        assertThat(r.status()).isEqualTo(503);
                        assertThat(r.code()).isEqualTo(ModelRegistry.UNAVAILABLE);
                    });
        }

        storage.down = false;

        assertThat(registry.versions()).containsExactly("v1", "v2");
        assertThat(registry.stale()).as("fresh again once the storage answers").isEmpty();
    }

    @Test
    void should_refuse_with_503_when_the_storage_is_down_before_any_listing() {
        Outage storage = new Outage(new DirectoryStorage(dir, p -> { }));
        storage.down = true;
        ModelRegistry registry = new ModelRegistry(storage, JSON);

        assertThatThrownBy(registry::versions).isInstanceOf(io.bulwark.resilience.failure.RequestRejected.class)
                .hasMessageContaining("cannot be reached");
    }
}
