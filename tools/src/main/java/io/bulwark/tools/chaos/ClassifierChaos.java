package io.bulwark.tools.chaos;

import io.bulwark.chaos.classifier.ClassifierFault;
import io.bulwark.chaos.classifier.ClassifierHypothesis;
import io.bulwark.chaos.classifier.ClassifierReply;
import io.bulwark.chaos.classifier.ClassifierScenario;
import io.bulwark.chaos.experiment.Check;
import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierBoundary;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.registry.CountingStorage;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link ClassifierScenario} against the penguin classifier in this process, in real time: a real registry
 * in a temporary directory (v1, then v2 trained the same way and promoted, so v1 is the previous version), the
 * {@link ClassifierBoundary} with its default settings, the faults applied for real (files removed or overwritten,
 * predictions slowed), and clients on virtual threads sending held-out penguins drawn with the seed.
 */
final class ClassifierChaos {

    /** What one scenario gave: the replies, the verdicts, and the settings it ran with. */
    record Run(ClassifierScenario scenario, List<ClassifierReply> replies, List<Check> checks,
               ClassifierBoundary.Settings settings, Faulted faulted) {
        boolean holds() {
            return ClassifierHypothesis.holds(checks);
        }
    }

    /**
     * What the promoted (faulted) version cost: reads of its model file, predictions started on it, the milliseconds
     * those held a bulkhead place, and its breaker's state at the end.
     */
    record Faulted(long reads, long attempts, double bulkheadMs, String breaker) {
    }

    static final String PROMOTED = "v2";
    static final String PREVIOUS = "v1";
    private static final PenguinModelType PENGUINS = PenguinModelType.bundled();

    private final Path template;
    private final ClassifierBoundary.Settings settings;

    /** Trains the two versions once into {@code work/template}; each scenario gets a copy. */
    ClassifierChaos(Path work, ClassifierBoundary.Settings settings) {
        this.settings = settings;
        this.template = work.resolve("template");
        ModelRegistry registry = new ModelRegistry(template, JsonMapper.builder().build());
        ModelTrainer<Penguin> trainer = new ModelTrainer<>(PENGUINS, Clock.systemUTC());
        registry.promote(registry.saveInitial(trainer.train(TrainingSpec.defaults(PENGUINS))));
        registry.promote(registry.save(trainer.train(TrainingSpec.defaults(PENGUINS))));
    }

    Run run(ClassifierScenario scenario, int requests, long seed, Path work) {
        Path dir = copy(template, work.resolve(scenario.name()));
        Random random = new Random(seed);
        for (ClassifierFault f : scenario.faults()) {
            switch (f) {
                case ClassifierFault.FailsToLoad ignored -> delete(dir.resolve(PROMOTED).resolve(ModelRegistry.MODEL_FILE));
                case ClassifierFault.CorruptVersion c -> {
                    byte[] garbage = new byte[c.bytes()];
                    random.nextBytes(garbage);
                    write(dir.resolve(PROMOTED).resolve(ModelRegistry.MODEL_FILE), garbage);
                }
                case ClassifierFault.SlowInference ignored -> { } // in the inference, below
                case ClassifierFault.Burst ignored -> { }
            }
        }
        CountingStorage storage = new CountingStorage(new io.bulwark.models.registry.DirectoryStorage(dir, p -> { }));
        ClassifierService<Penguin> service = service(new ModelRegistry(storage, JsonMapper.builder().build()));
        ClassifierService<Penguin> healthy = service(template);
        ClassifierService.Selected previous = healthy.select(PREVIOUS);
        AtomicInteger attempts = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong busyNanos = new java.util.concurrent.atomic.AtomicLong();
        ClassifierBoundary<Penguin> boundary = ClassifierBoundary.of(service, settings, Ticker.system())
                .withInference(inner -> (version, input) -> {
                    long start = System.nanoTime();
                    try {
                        return faulty(scenario, inner, version, input);
                    } finally {
                        if (version.version().equals(PROMOTED)) {
                            attempts.incrementAndGet();
                            busyNanos.addAndGet(System.nanoTime() - start);
                        }
                    }
                });
        storage.reset(); // the reads of ensureInitialVersion at start-up are not the scenario's

        List<Labelled<Penguin>> rows = service.heldOut();
        int[] drawn = new int[requests];
        for (int i = 0; i < requests; i++) {
            drawn[i] = random.nextInt(rows.size());
        }
        List<ClassifierReply> replies = Collections.synchronizedList(new ArrayList<>(requests));
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < scenario.clients(); c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        Penguin input = rows.get(drawn[i]).input();
                        String expected = healthy.predict(previous, input).answer().prediction();
                        replies.add(send(boundary, input, expected));
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("a chaos client failed", e);
        }
        List<ClassifierReply> all = List.copyOf(replies);
        return new Run(scenario, all, ClassifierHypothesis.check(scenario, all, PROMOTED, settings.deadline()),
                settings, new Faulted(storage.modelReads(PROMOTED), attempts.get(), busyNanos.get() / 1e6,
                        boundary.breakerStates().getOrDefault(PENGUINS.name() + " " + PROMOTED, "CLOSED")));
    }

    /** The faults of the scenario, put into one prediction. */
    private static ClassifierService.Cached faulty(ClassifierScenario scenario,
                                                   ClassifierBoundary.Inference<Penguin> inner,
                                                   ClassifierService.Selected version, Penguin input) {
        for (ClassifierFault f : scenario.faults()) {
            Duration hold = switch (f) {
                case ClassifierFault.SlowInference s -> version.version().equals(PROMOTED) ? s.delay()
                        : Duration.ZERO;
                case ClassifierFault.Burst b -> b.hold();
                case ClassifierFault.FailsToLoad ignored -> Duration.ZERO;
                case ClassifierFault.CorruptVersion ignored -> Duration.ZERO;
            };
            pause(hold);
        }
        return inner.predict(version, input);
    }

    /** One request as /predict makes it: open the boundary, predict; a refusal is the status it would be. */
    private static ClassifierReply send(ClassifierBoundary<Penguin> boundary, Penguin input, String expected) {
        long start = System.nanoTime();
        try {
            ClassifierBoundary.Result r = boundary.open(null).predict(input);
            Answer a = r.answer();
            return new ClassifierReply(200, null, a.prediction(), a.bestGuess(), r.version(), r.fallback(),
                    r.degraded(), expected, ms(start), null);
        } catch (RequestRejected e) {
            return new ClassifierReply(e.status(), e.code(), null, null, null, null, false, expected, ms(start), null);
        } catch (RuntimeException e) {
            return new ClassifierReply(500, null, null, null, null, null, false, expected, ms(start),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static ClassifierService<Penguin> service(Path dir) {
        return service(new ModelRegistry(dir, JsonMapper.builder().build()));
    }

    private static ClassifierService<Penguin> service(ModelRegistry registry) {
        ClassifierService<Penguin> s = new ClassifierService<>(registry,
                new ModelTrainer<>(PENGUINS, Clock.systemUTC()), ClassifierSettings.defaults(),
                ExactCache.<Answer>create(10_000, Duration.ofMinutes(10), Ticker.system()));
        s.ensureInitialVersion();
        return s;
    }

    /** The fault itself: a slow model is a model that takes time (interruptible, as a cancelled call is). */
    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static Path copy(Path from, Path to) {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, byte[] bytes) {
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
