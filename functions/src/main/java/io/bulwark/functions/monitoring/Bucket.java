package io.bulwark.functions.monitoring;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One point of the time series: counts of the requests that ended in {@code [start, start + width)}. Keeps at most
 * {@link #MAX_LATENCIES} sentiment latencies (a seeded reservoir sample beyond that) until it is closed, when
 * its percentiles are computed once and the values dropped.
 */
final class Bucket {

    static final int MAX_LATENCIES = 10_000;

    final long start;
    int requests;
    int errors;
    int sentiment;
    int exactHits;
    int semanticHits;
    double costUsd;
    /** The breakers' states by model last seen in the bucket (empty without an LLM). */
    Map<String, String> breakers = Map.of();
    final Map<String, Integer> tiers = new TreeMap<>();
    final Map<String, Integer> byFunction = new TreeMap<>();
    private double[] latencies = new double[16];
    private int seen;
    private int kept;
    private Stats closed;
    private final SplittableRandom random;

    Bucket(long start) {
        this.start = start;
        this.random = new SplittableRandom(start);
    }

    void add(Sample s) {
        requests++;
        byFunction.merge(s.function(), 1, Integer::sum);
        if (s.error()) {
            errors++;
        }
        if (!s.sentimentAnswer()) {
            return;
        }
        sentiment++;
        tiers.merge(s.tier(), 1, Integer::sum);
        if ("exact".equals(s.cache())) {
            exactHits++;
        } else if ("semantic".equals(s.cache())) {
            semanticHits++;
        }
        costUsd += s.costUsd();
        seen++;
        if (kept < MAX_LATENCIES) {
            if (kept == latencies.length) {
                latencies = java.util.Arrays.copyOf(latencies, Math.min(MAX_LATENCIES, kept * 2));
            }
            latencies[kept++] = s.latencyMs();
        } else {
            int slot = random.nextInt(seen);
            if (slot < MAX_LATENCIES) {
                latencies[slot] = s.latencyMs();
            }
        }
    }

    /** Returns the sentiment latency statistics of this bucket. */
    Stats latency() {
        if (closed != null) {
            return closed;
        }
        return Stats.of(java.util.Arrays.copyOf(latencies, kept), kept);
    }

    /** Freezes the statistics and frees the values: no sample arrives in a closed bucket. */
    void close() {
        if (closed == null) {
            closed = Stats.of(latencies, kept);
            latencies = null;
        }
    }
}
