package io.bulwark.models;

import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.Bulkhead;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.CircuitOpen;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.resilience.failure.TimedOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * The error boundary around a classifier's predictions ({@code /predict}, {@code /predict_batch}), built as
 * <pre>
 * Deadline(request) → CircuitBreaker(per version: open → skipped unread, straight to the fallback)
 *   → Bulkhead(max-concurrent, wait ≤ queue-wait and the deadline; else 503 server_busy)
 *   → TimeLimit(attempt-timeout, within the deadline)(selected version)
 *   → on its failure or overrun: the promoted version, else the previously promoted one (fallback)
 *   → on that one's failure, or once the deadline has passed: "uncertain" with no guess (degraded)
 * </pre>
 * Each version has its own circuit breaker ({@link VersionBreakers}, on {@code resilience/Breaker}): failed loads,
 * failed predictions and overruns count against it; while it is open the version is skipped without reading its
 * files or taking a bulkhead place, until its wait is over and trial calls find it again. A shadow prediction
 * ({@link Request#shadow}) runs inside the same boundary but never ahead of the answer: on another thread, only in a
 * bulkhead place free at once, within the attempt time-out and the request's deadline; its failures are counted
 * ({@link #shadowStats()}), never thrown.
 * The bulkhead's choice is the digit service's ({@link Bulkhead}): a request beyond the places waits a little, then
 * is refused with a 503 that the edge answers with {@code Retry-After} — a refusal the client can retry is more
 * honest than an {@code uncertain} it cannot tell from a weak model. A version's failure, by contrast, is answered:
 * by another version (labelled {@code fallback}) or as {@code uncertain} ({@code degraded}). A prediction runs on a
 * virtual thread so an overrun can be left behind; it keeps its place in the bulkhead until it really ends. Once a
 * version failed, the rest of the request (a batch's later rows) goes straight to the fallback. Thread-safe.
 *
 * @param <I> the model type's input
 */
public final class ClassifierBoundary<I extends ModelInput> {

    private static final Logger log = LoggerFactory.getLogger(ClassifierBoundary.class);

    /**
     * How classifier calls are bounded.
     *
     * @param deadline       the whole request's time: once it has passed, rows are answered {@code uncertain}
     * @param attemptTimeout the most one version's prediction may take before the fallback is asked
     * @param maxConcurrent  the most predictions running at once (the bulkhead)
     * @param queueWait      how long a prediction waits for a place (never beyond the deadline) before a 503
     * @param breaker        the circuit breaker each version has
     */
    public record Settings(Duration deadline, Duration attemptTimeout, int maxConcurrent, Duration queueWait,
                           BreakerConfig breaker) {

        /** Penguin predictions take microseconds: a second is for a sick version, not a healthy one. */
        public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(1);
        /** Leaves more than half of the default deadline for the fallback version. */
        public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofMillis(400);
        /** Two per core of a 2-core machine, as the digits' bulkhead. */
        public static final int DEFAULT_MAX_CONCURRENT = 4;
        /** A quarter of the deadline: a burst waits a little, then is told to come back. */
        public static final Duration DEFAULT_QUEUE_WAIT = Duration.ofMillis(250);

        public Settings {
            requirePositive(deadline, "bulwark.classifier.deadline");
            requirePositive(attemptTimeout, "bulwark.classifier.attempt-timeout");
            Objects.requireNonNull(queueWait, "bulwark.classifier.queue-wait");
            if (queueWait.isNegative()) {
                throw new IllegalArgumentException("bulwark.classifier.queue-wait must not be negative: " + queueWait);
            }
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("bulwark.classifier.max-concurrent must be at least 1: "
                        + maxConcurrent);
            }
            Objects.requireNonNull(breaker, "bulwark.classifier.boundary.breaker");
        }

        /** Settings with the {@link VersionBreakers#DEFAULTS default} breaker per version. */
        public Settings(Duration deadline, Duration attemptTimeout, int maxConcurrent, Duration queueWait) {
            this(deadline, attemptTimeout, maxConcurrent, queueWait, VersionBreakers.DEFAULTS);
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_DEADLINE, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_MAX_CONCURRENT, DEFAULT_QUEUE_WAIT);
        }

        private static void requirePositive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
        }
    }

    /** How one version predicts one input: the service's cached prediction, or a chaos decorator around it. */
    @FunctionalInterface
    public interface Inference<I extends ModelInput> {
        ClassifierService.Cached predict(ClassifierService.Selected version, I input);
    }

    /**
     * One row's answer inside the boundary.
     *
     * @param version  the version that answered (the selected one, or the fallback); for a degraded answer the last
     *                 one asked
     * @param fallback why the selected version did not answer, and who did; null when it did
     * @param degraded true when no version answered: the answer is {@code uncertain} with no guess
     */
    public record Result(Answer answer, String version, boolean cached, String fallback, boolean degraded) {
    }

    private final ClassifierService<I> classifier;
    private final Settings settings;
    private final Ticker ticker;
    private final Inference<I> inference;
    private final ExecutorService executor;
    private final Bulkhead bulkhead;
    private final VersionBreakers breakers;
    private final ShadowCounters shadows;

    /** What became of the shadow predictions so far. */
    private static final class ShadowCounters {
        final LongAdder answered = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder skipped = new LongAdder();
    }

    /**
     * The shadow predictions since start, by outcome.
     *
     * @param answered answered and handed on (to the prediction log)
     * @param failed   the shadow version failed, did not load or its breaker was open
     * @param timedOut the shadow version overran the attempt time-out or the request's deadline
     * @param skipped  not run: no bulkhead place was free at once, or the deadline had passed
     */
    public record ShadowStats(long answered, long failed, long timedOut, long skipped) {
    }

    private ClassifierBoundary(ClassifierService<I> classifier, Settings settings, Ticker ticker,
                               Inference<I> inference, ExecutorService executor, Bulkhead bulkhead,
                               VersionBreakers breakers, ShadowCounters shadows) {
        this.classifier = classifier;
        this.settings = settings;
        this.ticker = ticker;
        this.inference = inference;
        this.executor = executor;
        this.bulkhead = bulkhead;
        this.breakers = breakers;
        this.shadows = shadows;
    }

    /** Returns the boundary around {@code classifier}'s own predictions, on virtual threads, breakers on the UTC clock. */
    public static <I extends ModelInput> ClassifierBoundary<I> of(ClassifierService<I> classifier, Settings settings,
                                                                  Ticker ticker) {
        return of(classifier, settings, ticker, Clock.systemUTC());
    }

    /**
     * Returns the boundary around {@code classifier}'s own predictions, on virtual threads.
     *
     * @param clock drives the version breakers' wait in the open state
     */
    public static <I extends ModelInput> ClassifierBoundary<I> of(ClassifierService<I> classifier, Settings settings,
                                                                  Ticker ticker, Clock clock) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(ticker, "ticker");
        return new ClassifierBoundary<>(classifier, settings, ticker, classifier::predict,
                Executors.newVirtualThreadPerTaskExecutor(),
                Bulkhead.of(settings.maxConcurrent(), settings.queueWait(), "classifier predictions",
                        "bulwark.classifier.max-concurrent, queue-wait"),
                new VersionBreakers(classifier.type().name(), settings.breaker(), clock, ticker), new ShadowCounters());
    }

    /**
     * Returns this boundary with its predictions decorated (chaos: slow or failing versions), sharing its bulkhead,
     * breakers and shadow counts.
     */
    public ClassifierBoundary<I> withInference(UnaryOperator<Inference<I>> decorator) {
        return new ClassifierBoundary<>(classifier, settings, ticker, decorator.apply(inference), executor, bulkhead,
                breakers, shadows);
    }

    /** Returns each version's circuit-breaker state by name ({@code penguins v2} → {@code OPEN}); empty before use. */
    public java.util.Map<String, String> breakerStates() {
        return breakers.states();
    }

    /** Returns what became of the shadow predictions so far. */
    public ShadowStats shadowStats() {
        return new ShadowStats(shadows.answered.sum(), shadows.failed.sum(), shadows.timedOut.sum(),
                shadows.skipped.sum());
    }

    public Settings settings() {
        return settings;
    }

    public ClassifierService<I> classifier() {
        return classifier;
    }

    /** Returns the places free in the bulkhead now. */
    public int available() {
        return bulkhead.available();
    }

    /** Returns the nesting this boundary builds, outermost first, for the start-up log. */
    public String describe() {
        return "Deadline[" + settings.deadline().toMillis() + "ms](CircuitBreaker[per version, "
                + breakerText(settings.breaker()) + "](Bulkhead[" + settings.maxConcurrent() + ", wait "
                + settings.queueWait().toMillis() + "ms](TimeLimit[" + settings.attemptTimeout().toMillis()
                + "ms](selected version))) → promoted / previously promoted version → uncertain)";
    }

    private static String breakerText(BreakerConfig b) {
        return "opens at " + Math.round(b.failureRateThreshold()) + "% of " + b.slidingWindowSize() + " (min "
                + b.minimumNumberOfCalls() + "), open " + b.waitInOpenState().toSeconds() + "s";
    }

    /**
     * Starts a request: its deadline begins now, and its version is selected ({@code X-Model-Version}, else the
     * default, else the promoted one; a promoted version that fails to load is replaced by the previous one).
     *
     * @throws RequestRejected 400/404 for a bad or unknown version, 503 when no version can load
     */
    public Request open(String versionHeader) {
        Deadline deadline = Deadline.after(settings.deadline(), ticker);
        Guard guard = new Guard();
        ClassifierService.Selected selected;
        try {
            selected = classifier.selectWithFallback(versionHeader, guard);
        } catch (RequestRejected e) {
            if (e.status() != 503 || guard.skipped == null || guard.skippedUnread) {
                throw e; // no version ever loaded: still the 503 model_unavailable it was before its breaker opened
            }
            // every loaded version's breaker is open (their predictions failed): the last fallback answers, as it did
            // while they were failing
            String wanted = versionHeader != null && !versionHeader.isBlank() ? versionHeader.strip()
                    : classifier.serving();
            return new Request(deadline, new ClassifierService.Selected(wanted, null, guard.skipped), guard, true);
        }
        return new Request(deadline, selected, guard, false);
    }

    /**
     * How a request reads versions: one whose breaker is open is skipped unread (and remembered, so a request whose
     * every version is skipped answers {@code uncertain} instead of a 503); every read is counted by the version's
     * breaker.
     */
    private final class Guard implements ClassifierService.LoadGuard {
        /** The versions skipped for their open breaker, as a fallback note; null while none was. */
        String skipped;
        /** True when a skipped version was never loaded: its breaker opened on failed loads. */
        boolean skippedUnread;

        @Override
        public String skips(String version) {
            if (breakers.permits(version)) {
                return null;
            }
            skippedUnread |= !classifier.inMemory(version);
            note(version);
            return "it was not read, its circuit breaker is open";
        }

        @Override
        public <T> T load(String version, java.util.function.Supplier<T> load) {
            try {
                return breakers.call(version, load);
            } catch (CircuitOpen e) {
                skippedUnread = true;
                note(version);
                throw ModelRegistry.LoadFailure.skipped(version, "it was not read, its circuit breaker is open", e);
            }
        }

        private void note(String version) {
            skipped = skipped == null ? version + " skipped: its circuit breaker is open"
                    : skipped + "; " + version + " skipped: its circuit breaker is open";
        }
    }

    /** One request inside the boundary: its deadline, and the version its rows go to. Not thread-safe. */
    public final class Request {

        private final Deadline deadline;
        private final ClassifierService.Selected selected;
        private final Guard guard;
        private final Set<String> tried = new HashSet<>();
        private ClassifierService.Selected current;
        private String fallback;
        private boolean degraded;

        private Request(Deadline deadline, ClassifierService.Selected selected, Guard guard, boolean none) {
            this.deadline = deadline;
            this.selected = selected;
            this.guard = guard;
            this.current = none ? null : selected;
            this.fallback = selected.fallback();
            if (selected.fallback() != null && !none) {
                tried.add(classifier.promoted());
            }
        }

        /** Returns the version selected for this request (the one that answers unless it fails). */
        public String version() {
            return selected.version();
        }

        /** Returns the first fallback taken so far (null: none). */
        public String fallback() {
            return fallback;
        }

        /** Returns true once a row was answered {@code uncertain} because no version could. */
        public boolean degraded() {
            return degraded;
        }

        /**
         * Returns the answer to {@code input}: the current version's, else the fallback's, else {@code uncertain}.
         *
         * @throws RequestRejected 503 {@code server_busy} when the bulkhead has no place in time
         */
        public Result predict(I input) {
            while (current != null) {
                if (deadline.expired()) {
                    return uncertain("the deadline of " + settings.deadline().toMillis() + " ms passed");
                }
                ClassifierService.Selected version = current;
                String failure;
                try {
                    ClassifierService.Cached c = attempt(version, input);
                    return new Result(c.answer(), version.version(), c.cached(),
                            version == selected ? selected.fallback() : fallback, false);
                } catch (RequestRejected busy) {
                    throw busy;
                } catch (TimedOut e) {
                    failure = e.getMessage();
                } catch (CircuitOpen e) {
                    failure = version.version() + " skipped: its circuit breaker is open";
                } catch (RuntimeException e) {
                    failure = version.version() + " failed (" + e.getClass().getSimpleName() + ")";
                    log.warn("classifier {} failed; falling back", version.version(), e);
                }
                tried.add(version.version());
                current = classifier.fallback(tried, guard).orElse(null);
                if (current != null) {
                    note(failure + "; answered by " + current.version());
                } else {
                    return uncertain(failure);
                }
            }
            return uncertain(null);
        }

        /** The last fallback: no version could answer, so the row is uncertain with no guess, and degraded. */
        private Result uncertain(String why) {
            if (!degraded) {
                degraded = true;
                note((why == null ? "" : why + "; ") + "answered uncertain");
            }
            return new Result(new Answer(Answer.UNCERTAIN, null, 0, Map.of()), selected.version(), false, fallback,
                    true);
        }

        private void note(String step) {
            fallback = fallback == null ? step : fallback + "; " + step;
        }

        private ClassifierService.Cached attempt(ClassifierService.Selected version, I input) {
            if (!breakers.permits(version.version())) {
                throw new CircuitOpen("the circuit breaker of " + version.version() + " is open");
            }
            Bulkhead.Permit permit = bulkhead.acquire(deadline);
            Duration budget = deadline.budgetFor(settings.attemptTimeout(), Duration.ZERO);
            if (budget.isZero()) {
                permit.close();
                throw new TimedOut("no time left in the deadline for " + version.version());
            }
            try {
                return breakers.call(version.version(), () -> timeLimited(version, input, permit, budget));
            } catch (CircuitOpen refused) {
                permit.close(); // refused by the breaker (a half-open one's trials taken): it never ran
                throw refused;
            }
        }

        /**
         * Runs a shadow prediction of {@code input} by {@code version} (the challenger) after this request's answer,
         * without ever delaying or failing it: on another thread, only if a bulkhead place is free at once (never
         * ahead of a waiting request), within the attempt time-out and what is left of this request's deadline,
         * through the version's breaker. {@code then} hears the answer; a failure, an overrun or a skip is counted in
         * {@link #shadowStats()}, never thrown. Returns at once.
         *
         * @param answered the version that answered the request (no shadow when it is the same)
         */
        public void shadow(String version, String answered, I input, ShadowListener then) {
            Objects.requireNonNull(then, "then");
            try {
                executor.execute(() -> runShadow(version, answered, input, then));
            } catch (RejectedExecutionException e) {
                shadows.skipped.increment();
            }
        }

        private void runShadow(String version, String answered, I input, ShadowListener then) {
            if (deadline.expired()) {
                shadows.skipped.increment();
                return;
            }
            java.util.Optional<Bulkhead.Permit> place = bulkhead.tryAcquire();
            if (place.isEmpty()) {
                shadows.skipped.increment();
                return;
            }
            Bulkhead.Permit permit = place.get();
            boolean[] ran = new boolean[1];
            try {
                java.util.Optional<ClassifierService.Selected> shadow = classifier.shadow(version, answered,
                        new Guard());
                if (shadow.isEmpty()) {
                    shadows.failed.increment();
                    return;
                }
                Duration budget = deadline.budgetFor(settings.attemptTimeout(), Duration.ZERO);
                if (budget.isZero()) {
                    shadows.timedOut.increment();
                    return;
                }
                long start = ticker.read();
                ClassifierService.Cached c = breakers.call(shadow.get().version(), () -> {
                    ran[0] = true; // from here the prediction's own thread frees the place when it really ends
                    return timeLimited(shadow.get(), input, permit, budget);
                });
                shadows.answered.increment();
                then.answered(shadow.get().version(), c.answer(), (ticker.read() - start) / 1e6);
            } catch (TimedOut e) {
                shadows.timedOut.increment();
            } catch (RuntimeException e) {
                shadows.failed.increment();
                log.debug("shadow prediction by {} failed", version, e);
            } finally {
                if (!ran[0]) {
                    permit.close();
                }
            }
        }

        /** Runs one prediction on its own thread, which frees {@code permit} when it really ends; waits {@code budget}. */
        private ClassifierService.Cached timeLimited(ClassifierService.Selected version, I input,
                                                     Bulkhead.Permit permit, Duration budget) {
            Future<ClassifierService.Cached> future;
            try {
                future = executor.submit(() -> {
                    try {
                        return inference.predict(version, input);
                    } finally {
                        permit.close();
                    }
                });
            } catch (RejectedExecutionException e) {
                permit.close();
                throw e;
            }
            try {
                return future.get(budget.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new TimedOut(version.version() + " did not answer within " + budget.toMillis() + " ms");
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new TimedOut("interrupted while waiting for " + version.version(), e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(version.version() + " failed", e.getCause());
            }
        }
    }

    /** Hears a shadow prediction's answer (on the shadow's thread). */
    @FunctionalInterface
    public interface ShadowListener {
        /**
         * @param version   the shadow version that answered
         * @param latencyMs how long its prediction took
         */
        void answered(String version, Answer answer, double latencyMs);
    }
}
