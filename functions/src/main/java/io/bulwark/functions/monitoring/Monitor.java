package io.bulwark.functions.monitoring;

import io.bulwark.functions.http.FunctionCall;
import io.bulwark.functions.http.FunctionObserver;
import io.bulwark.resilience.failure.FailureType;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The seed's {@code MLMonitor}: records every function call, every failure inside the error boundary and every
 * failed append to the prediction log, and
 * summarises them over a sliding window ({@link #summary()}) and as a time series ({@link #series()}).
 * Time comes from the injected {@link Clock}. Thread-safe: one lock, held for O(1) per recorded call (the breakers'
 * states are read before it is taken; summaries sort the window's values under it, which takes about a millisecond
 * for 10,000 samples).
 */
public final class Monitor implements FunctionObserver {

    /** Least sentiment answers before the window a cache hit-rate baseline needs. */
    public static final int BASELINE_MINIMUM = 20;

    private record Failure(long atMillis, FailureType type) {
    }

    private final MonitorSettings settings;
    private final Clock clock;
    private final Supplier<Map<String, String>> breakerStates;
    private final Supplier<Summary.ClassifierStats> classifier;
    private final Supplier<Summary.SharedStateStats> sharedState;
    private final Supplier<Summary.DigitModel> digitModel;
    private final Supplier<Map<String, String>> modelBreakers;
    private final long started;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final ArrayDeque<Failure> failures = new ArrayDeque<>();
    private final ArrayDeque<Bucket> buckets = new ArrayDeque<>();
    /** When appends to the prediction log failed, oldest first. */
    private final ArrayDeque<Long> predictionLogFailures = new ArrayDeque<>();

    /**
     * @param breakerStates the state of each LLM's circuit breaker by model, read when recording and summarising
     *                      (empty without an LLM)
     */
    public Monitor(MonitorSettings settings, Clock clock, Supplier<Map<String, String>> breakerStates) {
        this(settings, clock, breakerStates, () -> Summary.ClassifierStats.NONE, () -> Summary.SharedStateStats.NONE);
    }

    /**
     * @param classifier  the serving classifier version's drift and live accuracy, read when summarising
     * @param sharedState the health of the fleet's shared state, read when summarising
     */
    public Monitor(MonitorSettings settings, Clock clock, Supplier<Map<String, String>> breakerStates,
                   Supplier<Summary.ClassifierStats> classifier, Supplier<Summary.SharedStateStats> sharedState) {
        this(settings, clock, breakerStates, classifier, sharedState, () -> Summary.DigitModel.NONE, Map::of);
    }

    /**
     * @param digitModel    the promoted digit version's live accuracy, read when summarising
     * @param modelBreakers each classifier version's (and digit variant's) circuit-breaker state by name, read when
     *                      summarising
     */
    public Monitor(MonitorSettings settings, Clock clock, Supplier<Map<String, String>> breakerStates,
                   Supplier<Summary.ClassifierStats> classifier, Supplier<Summary.SharedStateStats> sharedState,
                   Supplier<Summary.DigitModel> digitModel, Supplier<Map<String, String>> modelBreakers) {
        this.digitModel = Objects.requireNonNull(digitModel, "digitModel");
        this.modelBreakers = Objects.requireNonNull(modelBreakers, "modelBreakers");
        this.sharedState = Objects.requireNonNull(sharedState, "sharedState");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.breakerStates = Objects.requireNonNull(breakerStates, "breakerStates");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.started = clock.millis();
    }

    /** Returns the settings. */
    public MonitorSettings settings() {
        return settings;
    }

    @Override
    public void onCall(FunctionCall call) {
        long now = clock.millis();
        Sample s = Sample.of(call, now);
        Map<String, String> breakers = breakers(); // read and copied before the lock: it is the costly part
        synchronized (this) {
            samples.addLast(s);
            while (samples.size() > settings.maxSamples()) {
                samples.removeFirst();
            }
            Bucket b = bucket(now);
            b.add(s);
            b.breakers = breakers;
        }
    }

    /** Records a failure inside the error boundary (a request may have several). */
    public synchronized void onFailure(FailureType type) {
        failures.addLast(new Failure(clock.millis(), type));
        while (failures.size() > settings.maxSamples()) {
            failures.removeFirst();
        }
    }

    /** Records an append to the prediction log that failed (the record was not kept). */
    public synchronized void onPredictionLogFailure() {
        predictionLogFailures.addLast(clock.millis());
        while (predictionLogFailures.size() > settings.maxSamples()) {
            predictionLogFailures.removeFirst();
        }
    }

    /** Moves the series on to now (empty points while idle) and notes the breakers' states; called on a schedule. */
    public synchronized void tick() {
        bucket(clock.millis()).breakers = breakers();
    }

    /** Returns the summary of the window ending now. */
    public synchronized Summary summary() {
        long now = clock.millis();
        evict(now);
        double covered = Math.min(settings.window().toMillis(), Math.max(1, now - started)) / 1000.0;
        Map<String, List<Sample>> byFunction = new TreeMap<>();
        for (Sample s : samples) {
            byFunction.computeIfAbsent(s.function(), k -> new ArrayList<>()).add(s);
        }
        Map<String, Summary.FunctionStats> functions = new LinkedHashMap<>();
        byFunction.forEach((name, list) -> functions.put(name, functionStats(list, covered)));
        Map<String, Map<String, Integer>> models = new TreeMap<>();
        for (Sample s : samples) {
            if (s.model() != null && s.status() < 400) {
                models.computeIfAbsent(s.function(), k -> new TreeMap<>()).merge(s.model(), 1, Integer::sum);
            }
        }
        return new Summary(clock.instant(), new Summary.Window(settings.window().toMillis() / 1000.0, covered,
                settings.maxSamples(), samples.size()), functions,
                sentimentStats(byFunction.getOrDefault(Sample.SENTIMENT, List.of()), covered, now), models,
                new Summary.PredictionLogStats(predictionLogFailures.size()), classifier.get(), sharedState.get(),
                digitStats(), Collections.unmodifiableMap(new TreeMap<>(modelBreakers.get())));
    }

    /** The digit answers of the window (both digit functions), with the promoted digit version's live accuracy. */
    private Summary.DigitStats digitStats() {
        double[] latencies = new double[samples.size()];
        int n = 0;
        int digits = 0;
        int uncertain = 0;
        int degraded = 0;
        int fallen = 0;
        Map<String, Integer> variants = new TreeMap<>();
        for (Sample s : samples) {
            if (!s.digitAnswer() || s.status() >= 400) {
                continue;
            }
            latencies[n++] = s.latencyMs();
            digits += s.digits();
            uncertain += s.uncertain();
            degraded += s.degraded() ? 1 : 0;
            fallen += s.fallback() != null ? 1 : 0;
            variants.merge(s.variant(), 1, Integer::sum);
        }
        Summary.DigitModel m = digitModel.get();
        return new Summary.DigitStats(n, digits, Stats.of(latencies, n), rate(uncertain, digits), rate(degraded, n),
                rate(fallen, n), variants, m.version(), m.accuracy(), m.liveAccuracy(), m.heldOutAccuracy(),
                m.accuracyDrop(), m.feedback());
    }

    /** Returns the time series, oldest point first; the last point is the one still filling. */
    public synchronized List<Point> series() {
        long now = clock.millis();
        bucket(now);
        double seconds = settings.bucket().toMillis() / 1000.0;
        List<Point> points = new ArrayList<>(buckets.size());
        for (Bucket b : buckets) {
            double answers = b.sentiment;
            points.add(new Point(b.start, b.requests, Collections.unmodifiableMap(new TreeMap<>(b.byFunction)),
                    b.latency(), Collections.unmodifiableMap(new TreeMap<>(b.tiers)), rate(b.exactHits, answers),
                    rate(b.semanticHits, answers), rate(b.errors, b.requests),
                    Stats.round(answers == 0 ? 0 : b.costUsd / answers * 1000), Stats.round(b.costUsd / seconds * 86_400),
                    BreakerStates.worst(b.breakers), b.breakers));
        }
        return points;
    }

    private Summary.FunctionStats functionStats(List<Sample> list, double covered) {
        double[] latencies = new double[list.size()];
        int errors = 0;
        int clientErrors = 0;
        Map<String, Integer> status = new TreeMap<>();
        for (int i = 0; i < list.size(); i++) {
            Sample s = list.get(i);
            latencies[i] = s.latencyMs();
            errors += s.error() ? 1 : 0;
            clientErrors += s.status() >= 400 && s.status() < 500 ? 1 : 0;
            status.merge(s.status() / 100 + "xx", 1, Integer::sum);
        }
        return new Summary.FunctionStats(list.size(), Math.round(list.size() / covered * 1000) / 1000.0,
                Stats.of(latencies, latencies.length), rate(errors, list.size()), rate(clientErrors, list.size()), status);
    }

    private Summary.SentimentStats sentimentStats(List<Sample> list, double covered, long now) {
        Map<String, Integer> tiers = new TreeMap<>();
        Map<String, Integer> fallbacks = new TreeMap<>();
        double[] costs = new double[list.size()];
        int n = 0;
        int exact = 0;
        int semantic = 0;
        int fallen = 0;
        int degraded = 0;
        double total = 0;
        for (Sample s : list) {
            if (!s.sentimentAnswer()) {
                continue;
            }
            tiers.merge(s.tier(), 1, Integer::sum);
            fallbacks.merge(s.fallback() == null ? "none" : s.fallback(), 1, Integer::sum);
            exact += "exact".equals(s.cache()) ? 1 : 0;
            semantic += "semantic".equals(s.cache()) ? 1 : 0;
            fallen += s.fallback() != null ? 1 : 0;
            degraded += s.degraded() ? 1 : 0;
            total += s.costUsd();
            costs[n++] = s.costUsd();
        }
        Map<String, Integer> byType = new TreeMap<>();
        for (Failure f : failures) {
            byType.merge(f.type().code(), 1, Integer::sum);
        }
        Summary.CacheHitRate hitRate = cacheHitRate(exact, semantic, n, now);
        Summary.Cost cost = new Summary.Cost(Stats.of(costs, n), Stats.round(total),
                Stats.round(n == 0 ? 0 : total / n * 1000), Stats.round(total / covered * 86_400));
        Map<String, String> breakers = breakers();
        return new Summary.SentimentStats(n, tiers, fallbacks, rate(fallen, n), rate(degraded, n), hitRate, cost,
                byType, BreakerStates.worst(breakers), breakers);
    }

    /** The baseline is the history before the window: a collapse is a fall against what the cache used to do. */
    private Summary.CacheHitRate cacheHitRate(int exact, int semantic, int answers, long now) {
        long windowStart = now - settings.window().toMillis();
        int before = 0;
        int hitsBefore = 0;
        for (Bucket b : buckets) {
            if (b.start + settings.bucket().toMillis() <= windowStart) {
                before += b.sentiment;
                hitsBefore += b.exactHits + b.semanticHits;
            }
        }
        Double baseline = before >= BASELINE_MINIMUM && hitsBefore > 0 ? rate(hitsBefore, before) : null;
        return new Summary.CacheHitRate(rate(exact, answers), rate(semantic, answers), rate(exact + semantic, answers),
                baseline, before);
    }

    private void evict(long now) {
        long oldest = now - settings.window().toMillis();
        while (!samples.isEmpty() && samples.peekFirst().atMillis() <= oldest) {
            samples.removeFirst();
        }
        while (!failures.isEmpty() && failures.peekFirst().atMillis() <= oldest) {
            failures.removeFirst();
        }
        while (!predictionLogFailures.isEmpty() && predictionLogFailures.peekFirst() <= oldest) {
            predictionLogFailures.removeFirst();
        }
    }

    /** Returns the bucket of {@code now}, adding empty ones for idle time and dropping the oldest. */
    private Bucket bucket(long now) {
        long width = settings.bucket().toMillis();
        long start = Math.floorDiv(now, width) * width;
        Bucket last = buckets.peekLast();
        if (last != null && last.start >= start) {
            return last;
        }
        if (last == null || start - last.start > width * settings.buckets()) {
            buckets.clear();
        } else {
            last.close();
            for (long t = last.start + width; t < start; t += width) {
                Bucket idle = new Bucket(t);
                idle.breakers = last.breakers;
                idle.close();
                buckets.addLast(idle);
            }
        }
        Bucket b = new Bucket(start);
        b.breakers = breakers(); // a point read before its first call or tick still shows the breakers
        buckets.addLast(b);
        for (Iterator<Bucket> it = buckets.iterator(); buckets.size() > settings.buckets() && it.hasNext(); ) {
            it.next();
            it.remove();
        }
        return b;
    }

    /** A copy of the breakers' states: the supplier's map may change under a bucket that keeps it. */
    private Map<String, String> breakers() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(breakerStates.get()));
    }

    private static double rate(double part, double whole) {
        return whole == 0 ? 0 : Math.round(part / whole * 10_000) / 10_000.0;
    }
}
