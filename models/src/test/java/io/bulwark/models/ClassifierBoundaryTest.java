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
    /** A wall clock the test moves: the breakers' wait in the open state passes when told. */
    static final class MovableClock extends Clock {
        final java.util.concurrent.atomic.AtomicReference<Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void should_stop_reading_a_version_that_fails_to_load_once_its_breaker_opens_and_read_it_again_half_open(
            @TempDir Path dir) throws Exception {
        ClassifierService<Penguin> trained = service(dir);
        trained.train(TrainingSpec.defaults(PENGUINS));
        Path model = dir.resolve("v2").resolve(ModelRegistry.MODEL_FILE);
        byte[] good = Files.readAllBytes(model);
        Files.write(model, new byte[]{1, 2, 3, 4});
        io.bulwark.models.registry.CountingStorage storage = new io.bulwark.models.registry.CountingStorage(
                new io.bulwark.models.registry.DirectoryStorage(dir, p -> { }));
        ClassifierService<Penguin> s = new ClassifierService<>(new ModelRegistry(storage, JsonMapper.builder().build()),
                new ModelTrainer<>(PENGUINS, CLOCK), ClassifierSettings.defaults(),
                ExactCache.<Answer>create(1000, Duration.ofMinutes(1), Ticker.system()));
        MovableClock clock = new MovableClock();
        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(s, GENEROUS, Ticker.system(), clock);
        int minimum = VersionBreakers.DEFAULTS.minimumNumberOfCalls();

        List<ClassifierBoundary.Result> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(b.open(null).predict(GENTOO));
        }

        assertThat(results).allSatisfy(r -> {
            assertThat(r.version()).isEqualTo("v1");
            assertThat(r.answer().prediction()).isEqualTo("Gentoo");
            assertThat(r.degraded()).isFalse();
        });
        assertThat(storage.modelReads("v2")).as("read until the breaker opened, then never").isEqualTo(minimum);
        assertThat(b.breakerStates()).containsEntry("penguins v2", "OPEN");
        assertThat(results.getLast().fallback()).isEqualTo("v2 could not be loaded: it was not read, its circuit"
                + " breaker is open; answered by the previously promoted version v1");

        Files.write(model, good); // repaired while open: the half-open trial finds it
        clock.advance(VersionBreakers.DEFAULTS.waitInOpenState().plusSeconds(1));
        List<ClassifierBoundary.Result> after = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            after.add(b.open(null).predict(GENTOO));
        }

        assertThat(storage.modelReads("v2")).isEqualTo(minimum + 1);
        assertThat(after).allSatisfy(r -> {
            assertThat(r.version()).isEqualTo("v2");
            assertThat(r.fallback()).isNull();
        });
        assertThat(b.breakerStates()).containsEntry("penguins v2", "CLOSED");
    }

    @Test
    void should_skip_a_slow_version_without_its_attempt_timeout_or_a_bulkhead_place_once_its_breaker_opens()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slowCalls = new AtomicInteger();
        MovableClock clock = new MovableClock();
        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(service(twoVersions), new ClassifierBoundary.Settings(
                Duration.ofSeconds(20), Duration.ofMillis(200), 8, Duration.ofSeconds(10)), Ticker.system(), clock)
                .withInference(inner -> (version, input) -> {
                    if (version.version().equals("v2") && release.getCount() > 0) {
                        slowCalls.incrementAndGet();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return inner.predict(version, input);
                });
        int minimum = VersionBreakers.DEFAULTS.minimumNumberOfCalls();

        for (int i = 0; i < minimum && !"OPEN".equals(b.breakerStates().get("penguins v2")); i++) {
            assertThat(b.open(null).predict(GENTOO).fallback()).startsWith("v2 did not answer within 200 ms");
        }
        int paid = slowCalls.get(); // the load of v2 counts as a call too: it opens after 4 or 5 overruns
        assertThat(paid).isBetween(minimum - 1, minimum);
        long start = System.nanoTime();
        List<ClassifierBoundary.Result> skipped = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            skipped.add(b.open(null).predict(GENTOO));
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(slowCalls).as("the open breaker sends nothing more to v2").hasValue(paid);
        assertThat(b.breakerStates()).containsEntry("penguins v2", "OPEN");
        assertThat(skipped).allSatisfy(r -> {
            assertThat(r.version()).isEqualTo("v1");
            assertThat(r.answer().prediction()).isEqualTo("Gentoo");
            assertThat(r.fallback()).contains("v2 could not be loaded: it was not read, its circuit breaker is open");
        });
        assertThat(elapsedMs).as("20 requests paid no 200 ms attempt (4 s if they had)").isLessThan(4_000);

        release.countDown(); // v2 is healthy again
        clock.advance(VersionBreakers.DEFAULTS.waitInOpenState().plusSeconds(1));
        List<ClassifierBoundary.Result> trials = new ArrayList<>();
        for (int i = 0; i < VersionBreakers.DEFAULTS.callsInHalfOpenState() + 2; i++) {
            trials.add(b.open(null).predict(GENTOO));
        }

        assertThat(trials).allSatisfy(r -> assertThat(r.version()).isEqualTo("v2"));
        assertThat(b.breakerStates()).containsEntry("penguins v2", "CLOSED");
    }

    @Test
    void should_answer_uncertain_degraded_instead_of_a_503_when_every_versions_breaker_is_open() {
        ClassifierBoundary<Penguin> b = boundary(GENEROUS).withInference(inner -> (version, input) -> {
            throw new IllegalStateException("down");
        });
        for (int i = 0; i < VersionBreakers.DEFAULTS.minimumNumberOfCalls(); i++) {
            assertThat(b.open(null).predict(GENTOO).degraded()).isTrue();
        }

        ClassifierBoundary.Result r = b.open(null).predict(GENTOO);

        assertThat(b.breakerStates()).containsEntry("penguins v1", "OPEN").containsEntry("penguins v2", "OPEN");
        assertThat(r.degraded()).isTrue();
        assertThat(r.answer().prediction()).isEqualTo(Answer.UNCERTAIN);
        assertThat(r.fallback()).isEqualTo("v2 skipped: its circuit breaker is open; v1 skipped: its circuit breaker"
                + " is open; answered uncertain");
    }

    @Test
    void should_answer_at_once_while_a_slow_shadow_runs_and_count_its_overrun_not_throw_it() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(service(twoVersions), new ClassifierBoundary.Settings(
                Duration.ofSeconds(10), Duration.ofSeconds(3), 4, Duration.ofSeconds(1)), Ticker.system())
                .withInference(inner -> (version, input) -> {
                    if (version.version().equals("v1")) {
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return inner.predict(version, input);
                });
        List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());

        long start = System.nanoTime();
        ClassifierBoundary.Request request = b.open(null);
        ClassifierBoundary.Result r = request.predict(GENTOO);
        request.shadow("v1", r.version(), GENTOO, (v, a, ms) -> heard.add(v));
        long answeredMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.version()).isEqualTo("v2");
        // The shadow hangs until its 3 s attempt time-out: a caller that waited for it would take at least that.
        assertThat(answeredMs).as("the shadow's 3 s time-out is not the caller's").isLessThan(3_000);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> b.shadowStats().timedOut() == 1);
        assertThat(heard).isEmpty();
        assertThat(b.shadowStats()).isEqualTo(new ClassifierBoundary.ShadowStats(0, 0, 1, 0));
        release.countDown();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> b.available() == 4);
    }

    @Test
    void should_hand_on_a_healthy_shadow_answer_count_a_failing_one_and_skip_one_with_no_free_place()
            throws Exception {
        AtomicInteger failShadow = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean();
        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(service(twoVersions), new ClassifierBoundary.Settings(
                Duration.ofSeconds(20), Duration.ofSeconds(10), 1, Duration.ofSeconds(10)), Ticker.system())
                .withInference(inner -> (version, input) -> {
                    if (version.version().equals("v1") && failShadow.get() > 0) {
                        throw new IllegalStateException("shadow down");
                    }
                    if (hold.get()) {
                        entered.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return inner.predict(version, input);
                });
        List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());

        ClassifierBoundary.Request healthy = b.open(null);
        healthy.shadow("v1", healthy.predict(GENTOO).version(), GENTOO, (v, a, ms) -> heard.add(v + " "
                + a.prediction()));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> heard.size() == 1);
        failShadow.set(1);
        ClassifierBoundary.Request failing = b.open(null);
        ClassifierBoundary.Result answered = failing.predict(GENTOO);
        failing.shadow("v1", answered.version(), GENTOO, (v, a, ms) -> heard.add(v));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> b.shadowStats().failed() == 1);
        hold.set(true);
        ClassifierBoundary.Request busy = b.open(null);
        CompletableFuture<ClassifierBoundary.Result> holding = CompletableFuture.supplyAsync(() -> busy.predict(GENTOO),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        failing.shadow("v1", "v2", GENTOO, (v, a, ms) -> heard.add(v));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> b.shadowStats().skipped() == 1);
        release.countDown();

        assertThat(heard).containsExactly("v1 Gentoo");
        assertThat(answered.version()).isEqualTo("v2");
        assertThat(answered.fallback()).isNull();
        assertThat(holding.get(20, TimeUnit.SECONDS).version()).isEqualTo("v2");
        assertThat(b.shadowStats()).isEqualTo(new ClassifierBoundary.ShadowStats(1, 1, 0, 1));
    }

    @Test
    void should_still_refuse_with_503_when_the_only_version_never_loaded_and_its_breaker_opened(@TempDir Path dir)
            throws Exception {
        service(dir);
        Files.write(dir.resolve("v1").resolve(ModelRegistry.MODEL_FILE), new byte[]{1, 2, 3, 4});
        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(service(dir), GENEROUS, Ticker.system());
        for (int i = 0; i < VersionBreakers.DEFAULTS.minimumNumberOfCalls(); i++) {
            assertThatThrownBy(() -> b.open(null)).isInstanceOf(RequestRejected.class);
        }

        assertThat(b.breakerStates()).containsEntry("penguins v1", "OPEN");
        assertThatThrownBy(() -> b.open(null)).isInstanceOf(RequestRejected.class)
                .satisfies(e -> assertThat(((RequestRejected) e).code()).isEqualTo("model_unavailable"))
                .hasMessageStartingWith("v1 could not be loaded: it was not read, its circuit breaker is open");
    }
}
