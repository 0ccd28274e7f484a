package io.bulwark.sentiment.simulate;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.MonthlyCostCalculator;
import io.bulwark.costing.PriceTable;
import io.bulwark.costing.router.ComplexityEstimator;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Tier;
import io.bulwark.sentiment.SentimentAnswer;
import io.bulwark.sentiment.SentimentLabel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cost simulator: draws a seeded sample of a scenario's workload, serves it through the real chain of
 * each strategy (built by a {@link SimulatedChain.Factory}) with simulated models on simulated time, and
 * extrapolates each strategy's month from the sample. Strategies see the same requests in the same order;
 * the same scenario, corpus and seed give the same report.
 */
public final class Simulator {

    /** Hears how far the simulation is. */
    public interface Progress {
        /** {@code done} of {@code total} requests of strategy {@code index} (from 1) of {@code count}. */
        void update(String strategy, int index, int count, int done, int total);

        Progress NONE = (s, i, c, d, t) -> { };
    }

    /** The simulation's day starts at this instant (plus the scenario's start hour). */
    static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private Simulator() {
    }

    /**
     * Runs {@code scenario} over {@code corpus}.
     *
     * @param markers the estimator whose cues decide the workload's complexity mix
     */
    public static SimulationReport run(Scenario scenario, List<LabelledQuery> corpus, ComplexityEstimator markers,
                                       SimulatedChain.Factory factory, Progress progress) {
        Objects.requireNonNull(factory, "factory");
        PriceTable prices = scenario.priceFile().map(PriceTable::load).orElseGet(PriceTable::defaults);
        for (String model : scenario.models().keySet()) {
            prices.require(model);
        }
        prices.platforms().requireFunction(scenario.platform().function());
        prices.platforms().requireGateway(scenario.platform().gateway());
        Workload workload = Workload.generate(scenario, corpus, markers);
        MonthlyCostCalculator.MonthlyCost baseline = new MonthlyCostCalculator(prices, scenario.daysPerMonth())
                .calculate(scenario.traffic().requestsPerDay(), scenario.tokens().input().mean(),
                        scenario.tokens().output().mean(), Map.of(scenario.reference(), 1.0), 0.0);
        List<StrategyResult> results = new ArrayList<>();
        int index = 0;
        for (Scenario.Strategy strategy : scenario.strategies()) {
            index++;
            results.add(runOne(scenario, workload, prices, strategy, factory, progress, index));
        }
        return new SimulationReport(scenario, prices, workload.kinds(), workload.span(), baseline, List.copyOf(results));
    }

    private static StrategyResult runOne(Scenario scenario, Workload workload, PriceTable prices,
                                         Scenario.Strategy strategy, SimulatedChain.Factory factory,
                                         Progress progress, int index) {
        SimulatedTime time = new SimulatedTime(EPOCH.plusSeconds((long) (scenario.traffic().startHour() * 3600)));
        Map<String, SimulatedModel> models = new LinkedHashMap<>();
        int sharedPrefix = scenario.tokens().sharedPrefix();
        int cachedPrefix = strategy.promptCache() && sharedPrefix >= scenario.promptCacheMinTokens() ? sharedPrefix : 0;
        scenario.models().forEach((name, profile) -> models.put(name, new SimulatedModel(profile, workload, time,
                scenario.seed(), scenario.errorCorrelation(), strategy.shortOutput(), cachedPrefix)));
        SimulatedModel reference = models.get(scenario.reference());
        DailyBudget budget = strategy.budget()
                ? DailyBudget.of(scenario.budget().dailyUsd() * scenario.sample() / scenario.traffic().requestsPerDay(),
                scenario.budget().lowFraction(), time.clock())
                : DailyBudget.unlimited(time.clock());
        List<Workload.Request> requests = workload.requests();
        int n = requests.size();
        double[] latencies = new double[n];
        Map<Tier, Long> byTier = new EnumMap<>(Tier.class);
        Map<Tier, Double> costByTier = new EnumMap<>(Tier.class);
        Map<Tier, Long> agreeByTier = new EnumMap<>(Tier.class);
        Map<String, Long> fallbacks = new TreeMap<>();
        long exact = 0;
        long semantic = 0;
        long agree = 0;
        long degraded = 0;
        double cost;
        long billedFailures;
        double billedFailuresUsd;
        Map<String, Long> decisions;
        String description;
        try (SimulatedChain chain = factory.build(strategy,
                new SimulatedChain.Environment(time, Map.copyOf(models), prices, budget))) {
            description = chain.describe();
            int step = Math.max(1, n / 50);
            for (int i = 0; i < n; i++) {
                Workload.Request r = requests.get(i);
                time.advanceTo(r.at());
                // Requests run one after another; one that arrived while the previous one was still being
                // answered starts a microsecond after it, never at the very instant its answer was cached.
                time.advance(Duration.ofNanos(1_000));
                SentimentAnswer s = chain.serve(r.text());
                latencies[i] = s.latency().toNanos() / 1e6;
                byTier.merge(s.tier(), 1L, Long::sum);
                if ("exact".equals(s.cache())) {
                    exact++;
                } else if ("semantic".equals(s.cache())) {
                    semantic++;
                }
                if (s.degraded()) {
                    degraded++;
                }
                if (s.fallback() != null) {
                    fallbacks.merge(s.fallback(), 1L, Long::sum);
                }
                SentimentLabel ref = reference.labelFor(r.sentence(), r.label());
                if (s.label() == ref) {
                    agree++;
                    agreeByTier.merge(s.tier(), 1L, Long::sum);
                }
                if ((i + 1) % step == 0 || i + 1 == n) {
                    progress.update(strategy.name(), index, scenario.strategies().size(), i + 1, n);
                }
            }
            decisions = chain.routerDecisions();
            // The ledger's totals, not the answers' costs: it also holds the billed failures (malformed answers
            // that came with a token count), which no answer carries.
            CostLedger.Snapshot ledger = chain.ledger().snapshot();
            cost = ledger.total().usd();
            ledger.byTier().forEach((t, total) -> {
                if (total.usd() > 0 || byTier.containsKey(t)) {
                    costByTier.put(t, total.usd());
                }
            });
            billedFailures = ledger.billedFailures().answers();
            billedFailuresUsd = ledger.billedFailures().usd();
        }
        long cachedTokens = models.values().stream().mapToLong(SimulatedModel::cachedTokensReported).sum();
        Map<Tier, Double> qualityByTier = new EnumMap<>(Tier.class);
        byTier.forEach((t, count) -> qualityByTier.put(t, agreeByTier.getOrDefault(t, 0L) / (double) count));
        double[] inFunction = new double[n];
        double meanInFunction = 0;
        for (int i = 0; i < n; i++) {
            inFunction[i] = latencies[i] + scenario.platform().overheadMs();
            meanInFunction += inFunction[i] / n;
        }
        List<PlatformBill> platform = PlatformBill.options(scenario, prices.platforms(), inFunction);
        Arrays.sort(latencies);
        double perRequest = cost / n;
        return new StrategyResult(strategy, n, scenario.monthlyRequests(), cost, perRequest * scenario.monthlyRequests(),
                platform.getFirst().monthlyUsd(), platform, meanInFunction, byTier, costByTier, exact, semantic, percentile(latencies, 0.50), percentile(latencies, 0.95),
                agree / (double) n, qualityByTier, degraded, fallbacks, decisions, description, billedFailures,
                billedFailuresUsd, cachedTokens);
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
