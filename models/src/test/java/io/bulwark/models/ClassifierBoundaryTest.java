package io.bulwark.models;

import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The error boundary around penguin predictions: real versions in a real registry, faults put into inference. */
class ClassifierBoundaryTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final PenguinModelType PENGUINS = PenguinModelType.bundled();
    static final Penguin GENTOO = PENGUINS.data().rows().stream()
            .filter(r -> r.label().equals("Gentoo")).findFirst().orElseThrow().input();

    @TempDir
    static Path shared;

    /** A registry where v2 is promoted and v1 was promoted before it (rollback would bring v1 back). */
    static Path twoVersions;

    @BeforeAll
    static void trainTwoVersions() {
        twoVersions = shared.resolve("registry");
        ClassifierService<Penguin> s = service(twoVersions);
        s.train(TrainingSpec.defaults(PENGUINS));
        assertThat(s.promoted()).isEqualTo("v2");
        assertThat(new ModelRegistry(twoVersions, JsonMapper.builder().build()).promotion().history())
                .containsExactly("v1");
    }

    static ClassifierService<Penguin> service(Path dir) {
        ClassifierService<Penguin> s = new ClassifierService<>(new ModelRegistry(dir, JsonMapper.builder().build()),
                new ModelTrainer<>(PENGUINS, CLOCK), ClassifierSettings.defaults(),
                ExactCache.<Answer>create(1000, Duration.ofMinutes(1), Ticker.system()));
        s.ensureInitialVersion();
        return s;
    }

    static ClassifierBoundary<Penguin> boundary(ClassifierBoundary.Settings settings) {
        return ClassifierBoundary.of(service(twoVersions), settings, Ticker.system());
    }

    static final ClassifierBoundary.Settings GENEROUS = new ClassifierBoundary.Settings(Duration.ofSeconds(20),
            Duration.ofSeconds(10), 4, Duration.ofSeconds(10));

    @Test
    void should_answer_from_the_promoted_version_unlabelled_when_it_is_healthy() {
        ClassifierBoundary.Result r = boundary(GENEROUS).open(null).predict(GENTOO);

        assertThat(r.version()).isEqualTo("v2");
        assertThat(r.answer().prediction()).isEqualTo("Gentoo");
        assertThat(r.fallback()).isNull();
        assertThat(r.degraded()).isFalse();
    }

    @Test
    void should_fall_back_to_the_previous_version_when_the_promoted_one_fails() {
        ClassifierBoundary<Penguin> b = boundary(GENEROUS).withInference(inner -> (version, input) -> {
            if (version.version().equals("v2")) {
                throw new IllegalStateException("boom");
            }
            return inner.predict(version, input);
        });
        ClassifierBoundary.Request request = b.open(null);

        ClassifierBoundary.Result first = request.predict(GENTOO);
        ClassifierBoundary.Result second = request.predict(GENTOO);

        assertThat(first.version()).isEqualTo("v1");
        assertThat(first.answer().prediction()).isEqualTo("Gentoo");
        assertThat(first.degraded()).isFalse();
        assertThat(first.fallback()).isEqualTo("v2 failed (IllegalStateException); answered by v1");
        assertThat(second.version()).as("the rest of the request goes to the fallback").isEqualTo("v1");
        assertThat(request.fallback()).isEqualTo(first.fallback());
    }

    @Test
    void should_fall_back_to_the_previous_version_when_the_promoted_one_is_slower_than_its_attempt_timeout()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slow = new AtomicInteger();
        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(service(twoVersions), new ClassifierBoundary.Settings(
                Duration.ofSeconds(20), Duration.ofMillis(300), 4, Duration.ofSeconds(10)), Ticker.system())
                .withInference(inner -> (version, input) -> {
                    if (version.version().equals("v2")) {
                        slow.incrementAndGet();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return inner.predict(version, input);
                });

        ClassifierBoundary.Result r = b.open(null).predict(GENTOO);

        assertThat(slow).hasValue(1);
        assertThat(r.version()).isEqualTo("v1");
        assertThat(r.answer().prediction()).isEqualTo("Gentoo");
        assertThat(r.fallback()).startsWith("v2 did not answer within 300 ms").endsWith("; answered by v1");
        assertThat(r.degraded()).isFalse();
        release.countDown();
    }

    @Test
    void should_answer_uncertain_degraded_with_no_guess_when_every_version_fails() {
        ClassifierBoundary<Penguin> b = boundary(GENEROUS).withInference(inner -> (version, input) -> {
            throw new IllegalStateException("down");
        });

        ClassifierBoundary.Result r = b.open(null).predict(GENTOO);

        assertThat(r.degraded()).isTrue();
        assertThat(r.answer().prediction()).isEqualTo(Answer.UNCERTAIN);
        assertThat(r.answer().bestGuess()).isNull();
        assertThat(r.answer().probabilities()).isEmpty();
        assertThat(r.fallback()).isEqualTo("v2 failed (IllegalStateException); answered by v1; "
                + "v1 failed (IllegalStateException); answered uncertain");
    }

    @Test
    void should_answer_uncertain_once_the_deadline_has_passed() {
        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(service(twoVersions), new ClassifierBoundary.Settings(
                Duration.ofMillis(1), Duration.ofMillis(1), 4, Duration.ZERO), Ticker.system());
        ClassifierBoundary.Request request = b.open(null);
        long until = System.nanoTime() + 5_000_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait(); // a 1 ms deadline, spent
        }

        ClassifierBoundary.Result r = request.predict(GENTOO);

        assertThat(r.degraded()).isTrue();
        assertThat(r.fallback()).isEqualTo("the deadline of 1 ms passed; answered uncertain");
    }

    @Test
    void should_serve_the_previous_version_when_the_promoted_model_file_is_corrupt(@TempDir Path dir)
            throws Exception {
        ClassifierService<Penguin> trained = service(dir);
        trained.train(TrainingSpec.defaults(PENGUINS));
        Files.write(dir.resolve("v2").resolve(ModelRegistry.MODEL_FILE), new byte[]{1, 2, 3, 4});

        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(service(dir), GENEROUS, Ticker.system());
        ClassifierBoundary.Request request = b.open(null);
        ClassifierBoundary.Result r = request.predict(GENTOO);

        assertThat(request.version()).isEqualTo("v1");
        assertThat(r.version()).isEqualTo("v1");
        assertThat(r.answer().prediction()).isEqualTo("Gentoo");
        assertThat(r.fallback()).isEqualTo("v2 could not be loaded: its model file is damaged or not a model this"
                + " app reads; answered by the previously promoted version v1");
        assertThatThrownBy(() -> service(dir).select(null)).as("outside the boundary it is still a 503")
                .isInstanceOf(RequestRejected.class);
    }

    @Test
    void should_refuse_a_burst_beyond_the_bulkhead_with_503_server_busy_and_serve_the_places_it_has()
            throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(service(twoVersions), new ClassifierBoundary.Settings(
                Duration.ofSeconds(60), Duration.ofSeconds(50), 2, Duration.ofMillis(200)), Ticker.system())
                .withInference(inner -> (version, input) -> {
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return inner.predict(version, input);
                });
        CountDownLatch refused = new CountDownLatch(6);
        List<CompletableFuture<ClassifierBoundary.Result>> burst = new ArrayList<>();
        List<RequestRejected> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            CompletableFuture<ClassifierBoundary.Result> f = CompletableFuture.supplyAsync(
                    () -> b.open(null).predict(GENTOO), java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            f.whenComplete((r, e) -> {
                if (e != null && e.getCause() instanceof RequestRejected rr) {
                    refusals.add(rr);
                    refused.countDown();
                }
            });
            burst.add(f);
        }

        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.await(30, TimeUnit.SECONDS)).as("6 of 8 refused while 2 run").isTrue();
        assertThat(b.available()).isZero();
        release.countDown();
        List<ClassifierBoundary.Result> answered = new ArrayList<>();
        for (CompletableFuture<ClassifierBoundary.Result> f : burst) {
            try {
                answered.add(f.get(30, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(RequestRejected.class);
            }
        }

        assertThat(refusals).hasSize(6).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("server_busy");
            assertThat(e.getMessage()).contains("bulwark.classifier.max-concurrent");
        });
        assertThat(answered).hasSize(2).allSatisfy(r -> {
            assertThat(r.version()).isEqualTo("v2");
            assertThat(r.degraded()).isFalse();
        });
        assertThat(b.available()).isEqualTo(2);
    }
}
