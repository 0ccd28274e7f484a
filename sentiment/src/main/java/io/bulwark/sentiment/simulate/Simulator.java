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
import java.util.Optional;
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
        prices(scenario);
        return run(scenario, Workload.generate(scenario, corpus, markers), Optional.empty(), factory, progress);
    }

    /**
     * Replays {@code traffic} through every strategy: the whole file is the sample, the month is its cost per
     * request × the scenario's requests per month. Unlabelled lines are answered by the simulated models as if the
     * local model's label were right, and left out of the accuracy.
     */
    public static SimulationReport replay(Scenario scenario, TrafficFile traffic, SimulatedChain.Factory factory,
                                          Progress progress) {
        java.util.function.Function<String, SentimentLabel> unlabelled = factory.localModel()
                .<java.util.function.Function<String, SentimentLabel>>map(m -> m::label)
                .orElse(text -> SentimentLabel.POSITIVE);
        Scenario replayed = scenario.withSample(traffic.lines().size());
        return run(replayed, Workload.replay(replayed, traffic, unlabelled), Optional.of(traffic), factory, progress);
    }

    private static SimulationReport run(Scenario scenario, Workload workload, Optional<TrafficFile> traffic,
                                        SimulatedChain.Factory factory, Progress progress) {
        Objects.requireNonNull(factory, "factory");
        PriceTable prices = prices(scenario);
        MonthlyCostCalculator.MonthlyCost baseline = new MonthlyCostCalculator(prices, scenario.daysPerMonth())
                .calculate(scenario.traffic().requestsPerDay(), scenario.tokens().input().mean(),
                        scenario.tokens().output().mean(), Map.of(scenario.reference(), 1.0), 0.0);
        List<StrategyResult> results = new ArrayList<>();
        int index = 0;
        for (Scenario.Strategy strategy : scenario.strategies()) {
            index++;
            results.add(runOne(scenario, workload, prices, strategy, factory, progress, index));
        }
        return new SimulationReport(scenario, prices, workload.kinds(), workload.span(), baseline, List.copyOf(results),
                sensitivityColumns(scenario), localAccuracy(workload, factory), traffic);
    }

    /**
     * Measures the local model on the sample's distinct labelled sentences: every one of them, not only those the
     * router leaves to it.
     */
    private static java.util.OptionalDouble localAccuracy(Workload workload, SimulatedChain.Factory factory) {
        if (factory.localModel().isEmpty()) {
            return java.util.OptionalDouble.empty();
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        long right = 0;
        long total = 0;
        for (Workload.Request r : workload.requests()) {
            if (r.label() == null || !seen.add(r.sentence())) {
                continue;
            }
            total++;
            if (factory.localModel().get().label(r.text()) == r.label()) {
                right++;
            }
        }
        return total == 0 ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(right / (double) total);
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
        Map<Tier, Long> rightByTier = new EnumMap<>(Tier.class);
        Map<Tier, Long> labelledByTier = new EnumMap<>(Tier.class);
        String[] answeredBy = new String[n];
        SentimentLabel[] given = new SentimentLabel[n];
        boolean[] batched = new boolean[n];
        // The sentence whose draws the simulated models answer with: that of the first request with the same text
        // (the corpus repeats a few sentences word for word).
        int[] drawn = new int[n];
        SentimentLabel[] drawnBasis = new SentimentLabel[n];
        for (int i = 0; i < n; i++) {
            drawn[i] = workload.lookup(requests.get(i).text()).sentence();
            drawnBasis[i] = workload.lookup(requests.get(i).text()).basis();
        }
        double[] answerCost = new double[n];
        java.util.Random batchDraws = new java.util.Random(scenario.seed() ^ 0x6261746368L);
        long right = 0;
        long labelled = 0;
        long referenceRight = 0;
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
                // The model whose label this is: an LLM's answer or a cached one (a fallback's answer may name the
                // model that failed, and its label is the local model's).
                answeredBy[i] = s.tier() == Tier.LLM_CHEAP || s.tier() == Tier.LLM_STRONG || s.tier() == Tier.CACHE
                        ? s.model() : null;
                given[i] = s.label();
                answerCost[i] = s.costUsd();
                batched[i] = batchDraws.nextDouble() < strategy.batchShare();
                if (r.label() != null) {
                    labelled++;
                    labelledByTier.merge(s.tier(), 1L, Long::sum);
                    if (s.label() == r.label()) {
                        right++;
                        rightByTier.merge(s.tier(), 1L, Long::sum);
                    }
                    if (reference.labelFor(drawn[i], drawnBasis[i]) == r.label()) {
                        referenceRight++;
                    }
                }
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
                SentimentLabel ref = reference.labelFor(drawn[i], drawnBasis[i]);
                if (s.label() == ref) {
                    agree++;
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
        Map<Tier, Double> accuracyByTier = new EnumMap<>(Tier.class);
        labelledByTier.forEach((t, count) -> accuracyByTier.put(t, rightByTier.getOrDefault(t, 0L) / (double) count));
        double[] inFunction = new double[n];
        double meanInFunction = 0;
        long batchedCalls = 0;
        for (int i = 0; i < n; i++) {
            inFunction[i] = latencies[i] + scenario.platform().overheadMs();
            boolean llm = answerCost[i] > 0 && answeredBy[i] != null;
            if (batched[i] && llm) {
                // Sent to the provider's batch API: the function only enqueues it, and the tokens cost less.
                batchedCalls++;
                inFunction[i] = scenario.platform().overheadMs();
                cost -= answerCost[i] * prices.batchDiscount(answeredBy[i]);
                latencies[i] = -1;
            }
            meanInFunction += inFunction[i] / n;
        }
        List<Double> sensitivity = new ArrayList<>();
        for (Map<String, Double> column : sensitivityColumns(scenario)) {
            long ok = 0;
            for (int i = 0; i < n; i++) {
                Workload.Request r = requests.get(i);
                if (r.label() == null) {
                    continue;
                }
                SentimentLabel label = given[i];
                if (answeredBy[i] != null && column.containsKey(answeredBy[i])) {
                    label = SimulatedModel.labelFor(scenario.seed(), scenario.errorCorrelation(), answeredBy[i],
                            column.get(answeredBy[i]), drawn[i], drawnBasis[i]);
                }
                if (label == r.label()) {
                    ok++;
                }
            }
            sensitivity.add(labelled == 0 ? Double.NaN : ok / (double) labelled);
        }
        // Interactive latency only: a batched request is answered within the batch's turnaround, reported apart.
        latencies = Arrays.stream(latencies).filter(v -> v >= 0).toArray();
        List<PlatformBill> platform = PlatformBill.options(scenario, prices.platforms(), inFunction);
        Arrays.sort(latencies);
        double perRequest = cost / n;
        return new StrategyResult(strategy, n, scenario.monthlyRequests(), cost, perRequest * scenario.monthlyRequests(),
                platform.getFirst().monthlyUsd(), platform, meanInFunction, byTier, costByTier, exact, semantic, percentile(latencies, 0.50), percentile(latencies, 0.95),
                labelled == 0 ? Double.NaN : right / (double) labelled, accuracyByTier, labelled, agree / (double) n,
                labelled == 0 ? Double.NaN : referenceRight / (double) labelled, List.copyOf(sensitivity), degraded,
                fallbacks, decisions, description, billedFailures, billedFailuresUsd, cachedTokens, batchedCalls);
    }

    /** Loads the scenario's prices and checks that they price its models and its platform. */
    static PriceTable prices(Scenario scenario) {
        PriceTable prices = scenario.priceFile().map(PriceTable::load).map(t -> t.withPlatformsFrom(PriceTable.defaults()))
                .orElseGet(PriceTable::defaults);
        for (String model : scenario.models().keySet()) {
            prices.require(model);
        }
        prices.platforms().requireFunction(scenario.platform().function());
        prices.platforms().requireGateway(scenario.platform().gateway());
        return prices;
    }

    /** How far the sensitivity table moves every LLM's assumed accuracy from the scenario's. */
    static final double[] SENSITIVITY_SHIFTS = {-0.08, -0.05, -0.03, 0, 0.02};

    /** The sensitivity table's columns: each LLM's assumed accuracy, shifted alike and kept within 0.5..0.995. */
    static List<Map<String, Double>> sensitivityColumns(Scenario scenario) {
        List<Map<String, Double>> columns = new ArrayList<>();
        for (double shift : SENSITIVITY_SHIFTS) {
            Map<String, Double> column = new LinkedHashMap<>();
            scenario.models().forEach((name, m) -> column.put(name,
                    shift == 0 ? m.accuracy() : Math.max(0.5, Math.min(0.995, m.accuracy() + shift))));
            columns.add(java.util.Collections.unmodifiableMap(column));
        }
        return List.copyOf(columns);
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
