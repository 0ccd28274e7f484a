package io.bulwark.models;

import io.bulwark.resilience.Bulkhead;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.resilience.failure.TimedOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.function.UnaryOperator;

/**
 * The error boundary around a classifier's predictions ({@code /predict}, {@code /predict_batch}), built as
 * <pre>
 * Deadline(request) → Bulkhead(max-concurrent, wait ≤ queue-wait and the deadline; else 503 server_busy)
 *   → TimeLimit(attempt-timeout, within the deadline)(selected version)
 *   → on its failure or overrun: the promoted version, else the previously promoted one (fallback)
 *   → on that one's failure, or once the deadline has passed: "uncertain" with no guess (degraded)
 * </pre>
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
     */
    public record Settings(Duration deadline, Duration attemptTimeout, int maxConcurrent, Duration queueWait) {

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

    private ClassifierBoundary(ClassifierService<I> classifier, Settings settings, Ticker ticker,
                               Inference<I> inference, ExecutorService executor, Bulkhead bulkhead) {
        this.classifier = classifier;
        this.settings = settings;
        this.ticker = ticker;
        this.inference = inference;
        this.executor = executor;
        this.bulkhead = bulkhead;
    }

    /** Returns the boundary around {@code classifier}'s own predictions, on virtual threads. */
    public static <I extends ModelInput> ClassifierBoundary<I> of(ClassifierService<I> classifier, Settings settings,
                                                                  Ticker ticker) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(settings, "settings");
        return new ClassifierBoundary<>(classifier, settings, Objects.requireNonNull(ticker, "ticker"),
                classifier::predict, Executors.newVirtualThreadPerTaskExecutor(),
                Bulkhead.of(settings.maxConcurrent(), settings.queueWait(), "classifier predictions",
                        "bulwark.classifier.max-concurrent, queue-wait"));
    }

    /** Returns this boundary with its predictions decorated (chaos: slow or failing versions), sharing its bulkhead. */
    public ClassifierBoundary<I> withInference(UnaryOperator<Inference<I>> decorator) {
        return new ClassifierBoundary<>(classifier, settings, ticker, decorator.apply(inference), executor, bulkhead);
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
        return "Deadline[" + settings.deadline().toMillis() + "ms](Bulkhead[" + settings.maxConcurrent() + ", wait "
                + settings.queueWait().toMillis() + "ms](TimeLimit[" + settings.attemptTimeout().toMillis()
                + "ms](selected version) → promoted / previously promoted version → uncertain))";
    }

    /**
     * Starts a request: its deadline begins now, and its version is selected ({@code X-Model-Version}, else the
     * default, else the promoted one; a promoted version that fails to load is replaced by the previous one).
     *
     * @throws RequestRejected 400/404 for a bad or unknown version, 503 when no version can load
     */
    public Request open(String versionHeader) {
        Deadline deadline = Deadline.after(settings.deadline(), ticker);
        return new Request(deadline, classifier.selectWithFallback(versionHeader));
    }

    /** One request inside the boundary: its deadline, and the version its rows go to. Not thread-safe. */
    public final class Request {

        private final Deadline deadline;
        private final ClassifierService.Selected selected;
        private final Set<String> tried = new HashSet<>();
        private ClassifierService.Selected current;
        private String fallback;
        private boolean degraded;

        private Request(Deadline deadline, ClassifierService.Selected selected) {
            this.deadline = deadline;
            this.selected = selected;
            this.current = selected;
            this.fallback = selected.fallback();
            if (selected.fallback() != null) {
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
                } catch (RuntimeException e) {
                    failure = version.version() + " failed (" + e.getClass().getSimpleName() + ")";
                    log.warn("classifier {} failed; falling back", version.version(), e);
                }
                tried.add(version.version());
                current = classifier.fallback(tried).orElse(null);
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
            Bulkhead.Permit permit = bulkhead.acquire(deadline);
            Duration budget = deadline.budgetFor(settings.attemptTimeout(), Duration.ZERO);
            if (budget.isZero()) {
                permit.close();
                throw new TimedOut("no time left in the deadline for " + version.version());
            }
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
}
