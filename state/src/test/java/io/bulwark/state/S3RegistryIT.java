package io.bulwark.state;

import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.resilience.cache.ExactCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two classifier services (as two app instances build them) on one model registry in a real S3-compatible server:
 * what one trains, promotes or rolls back, the other serves within the poll interval.
 */
class S3RegistryIT {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    private S3Server s3;
    private final List<S3RegistryStorage> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("models");
    }

    @AfterEach
    void stop() throws Exception {
        open.forEach(S3RegistryStorage::close);
        s3.close();
    }

    private S3RegistryStorage storage() {
        S3RegistryStorage s = S3RegistryStorage.open("s3://models/penguins", s3.endpoint(), POLL, s3.credentials());
        open.add(s);
        return s;
    }

    private ClassifierService<Penguin> instance() {
        ClassifierSettings settings = new ClassifierSettings(ClassifierSettings.DEFAULT_CONFIDENCE_THRESHOLD, null,
                ClassifierSettings.AutoPromote.ALWAYS, null, TrainingSpec.DEFAULT_SEED,
                TrainingSpec.DEFAULT_TEST_FRACTION, TrainingSpec.DEFAULT_SEED);
        ClassifierService<Penguin> service = new ClassifierService<>(new ModelRegistry(storage(), JSON),
                new ModelTrainer<>(PenguinModelType.bundled(), Clock.systemUTC()), settings,
                ExactCache.create(100, Duration.ofMinutes(1), System::nanoTime));
        service.ensureInitialVersion();
        return service;
    }

    @Test
    void should_serve_on_b_within_the_poll_interval_what_a_trained_promoted_and_rolled_back() {
        ClassifierService<Penguin> a = instance();
        ClassifierService<Penguin> b = instance();
        assertThat(a.promoted()).isEqualTo("v1");
        assertThat(b.promoted()).isEqualTo("v1");

        ClassifierService.Trained trained = a.train(TrainingSpec.defaults(PenguinModelType.bundled()));
        assertThat(trained.newModelVersion()).isEqualTo("v2");
        long promoted = System.nanoTime();
        Duration seen = Await.until(POLL.multipliedBy(25), "B serves v2", () -> "v2".equals(b.promoted()));
        System.out.printf("S3 registry: B served A's promotion %d ms after it (poll %d ms)%n", seen.toMillis(),
                POLL.toMillis());
        assertThat(Duration.ofNanos(System.nanoTime() - promoted)).isLessThan(POLL.multipliedBy(25));
        ClassifierService.Selected selected = b.select(null);
        assertThat(selected.version()).isEqualTo("v2");
        assertThat(selected.model()).isNotNull();
        assertThat(b.models().versions()).hasSize(2);

        a.rollback();
        Await.until(POLL.multipliedBy(25), "B serves v1 again", () -> "v1".equals(b.promoted()));
        assertThat(b.select(null).version()).isEqualTo("v1");
    }

    @Test
    void should_list_only_versions_written_whole_and_never_give_one_number_twice() throws Exception {
        S3RegistryStorage storage = storage();
        assertThat(storage.write(java.util.Map.of("model.tribuo", new byte[]{1}), false)).isEqualTo("v1");
        assertThat(storage.write(java.util.Map.of("model.tribuo", new byte[]{2}), true)).isEqualTo("v1");
        assertThat(storage().write(java.util.Map.of("model.tribuo", new byte[]{3}), false)).isEqualTo("v2");
        // a claim without its files and marker (a writer that died mid-way) is not a version
        software.amazon.awssdk.services.s3.S3Client raw = software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(java.net.URI.create(s3.endpoint())).forcePathStyle(true)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(s3.credentials()).build();
        raw.putObject(r -> r.bucket("models").key("penguins/v3/" + S3RegistryStorage.CLAIM),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[0]));
        raw.close();

        assertThat(storage.versionNames()).containsExactlyInAnyOrder("v1", "v2");
        assertThat(storage.exists("v3")).isFalse();
        // AWS S3 refuses the second claim of v3 (If-None-Match) and the writer takes v4; s3proxy 2.6 ignores the
        // condition, and the dead writer's claim is taken over: either way a whole, listed version
        String next = storage.write(java.util.Map.of("model.tribuo", new byte[]{4}), false);
        assertThat(next).isIn("v3", "v4");
        assertThat(storage.versionNames()).contains(next).hasSize(3);
        assertThat(storage.open(next, "model.tribuo").readAllBytes()).containsExactly(4);
        assertThat(storage.open("v1", "model.tribuo").readAllBytes()).containsExactly(1);
    }
}
