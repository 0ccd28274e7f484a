package io.bulwark.models.tune;

import io.bulwark.models.ModelInput;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.resilience.Ticker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Searches an algorithm's hyperparameters by k-fold cross-validation on the training rows (never the held-out ones):
 * grid, random or successive halving, within a trial and a time budget, checking for cancellation between trials.
 * Reproducible: the same spec, rows and seed give the same trials and the same best (times aside).
 *
 * @param <I> the model type's input
 */
public final class Tuner<I extends ModelInput> {

    /** Successive halving keeps the best 1/η of each round and gives them η times the rows. */
    static final int ETA = 3;

    /** Told after each trial. */
    @FunctionalInterface
    public interface Progress {
        void trial(int done, int planned, Tuning.Trial trial);
    }

    private final ModelTrainer<I> trainer;
    private final Ticker ticker;

    public Tuner(ModelTrainer<I> trainer, Ticker ticker) {
        this.trainer = trainer;
        this.ticker = ticker;
    }

    /** Returns the number of trials a spec plans (a grid's points; else the budget), the defaults' trial included. */
    public static int planned(TuneSpec spec) {
        return 1 + switch (spec.strategy()) {
            case GRID -> Math.min(gridSize(spec), spec.maxTrials());
            case RANDOM -> spec.maxTrials();
            case SUCCESSIVE_HALVING -> halvingTrials(spec.maxTrials());
        };
    }

    /** Trials successive halving makes from {@code n} configurations: n, then n/η of them, ... */
    static int halvingTrials(int n) {
        int rungs = 0;
        while (Math.pow(ETA, rungs + 1) <= n) {
            rungs++;
        }
        int total = 0;
        int alive = n;
        for (int rung = 0; rung <= rungs; rung++) {
            total += alive;
            alive = Math.max(1, alive / ETA);
        }
        return total;
    }

    /** Returns the number of points of the spec's grid. */
    public static int gridSize(TuneSpec spec) {
        long n = 1;
        for (Dimension d : spec.space().values()) {
            n *= d.grid().size();
            if (n > Integer.MAX_VALUE) {
                return Integer.MAX_VALUE;
            }
        }
        return (int) n;
    }

    /** Runs the search. */
    public Tuning run(String runId, TuneSpec spec, List<Labelled<I>> rows, Progress progress, BooleanSupplier cancelled) {
        long start = ticker.read();
        long limit = spec.maxTime().toNanos();
        Random random = new Random(spec.seed());
        List<Tuning.Trial> trials = new ArrayList<>();
        int planned = planned(spec);
        Tuning.Trial defaults = trial(spec, rows, 0, 0, 1.0, Map.of());
        trials.add(defaults);
        progress.trial(1, planned, defaults);
        String stopped = "completed";
        List<Map<String, Object>> configs = switch (spec.strategy()) {
            case GRID -> grid(spec);
            case RANDOM, SUCCESSIVE_HALVING -> randomConfigs(spec, random);
        };
        if (spec.strategy() != TuneSpec.Strategy.SUCCESSIVE_HALVING) {
            for (Map<String, Object> config : configs) {
                String stop = stop(spec, trials.size() - 1, start, limit, cancelled);
                if (stop != null) {
                    stopped = stop;
                    break;
                }
                Tuning.Trial t = trial(spec, rows, trials.size(), 0, 1.0, config);
                trials.add(t);
                progress.trial(trials.size(), planned, t);
            }
        } else {
            stopped = halve(spec, rows, configs, trials, progress, planned, start, limit, cancelled);
        }
        Tuning.Trial best = trials.stream().filter(t -> t.fraction() >= 1.0)
                .max(Comparator.comparingDouble(Tuning.Trial::mean).thenComparing(t -> -t.trial())).orElseThrow();
        return new Tuning("tuning", runId, spec.algorithm().name(), spec.strategy().name().toLowerCase(java.util.Locale.ROOT),
                spec.metric().name(), spec.folds(), spec.seed(), stopped, defaults, best, List.copyOf(trials));
    }

    private String halve(TuneSpec spec, List<Labelled<I>> rows, List<Map<String, Object>> configs,
                         List<Tuning.Trial> trials, Progress progress, int planned, long start, long limit,
                         BooleanSupplier cancelled) {
        int rungs = 0;
        while (Math.pow(ETA, rungs + 1) <= configs.size()) {
            rungs++;
        }
        List<Map<String, Object>> alive = new ArrayList<>(configs);
        for (int rung = 0; rung <= rungs && !alive.isEmpty(); rung++) {
            double fraction = Math.pow(ETA, rung - rungs);
            List<Tuning.Trial> round = new ArrayList<>();
            for (Map<String, Object> config : alive) {
                // The trial budget is the number of configurations of the first round; later rounds re-measure them.
                String stop = stop(spec, 0, start, limit, cancelled);
                if (stop != null) {
                    return stop;
                }
                Tuning.Trial t = trial(spec, rows, trials.size(), rung, fraction, config);
                trials.add(t);
                round.add(t);
                progress.trial(trials.size(), planned, t);
            }
            if (rung == rungs) {
                break;
            }
            int keep = Math.max(1, round.size() / ETA);
            alive = round.stream().sorted(Comparator.comparingDouble(Tuning.Trial::mean).reversed()
                            .thenComparingInt(Tuning.Trial::trial)).limit(keep)
                    .map(Tuning.Trial::hyperparameters).toList();
        }
        return "completed";
    }

    private String stop(TuneSpec spec, int done, long start, long limit, BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            return "cancelled";
        }
        if (done >= spec.maxTrials()) {
            return "trial_budget";
        }
        if (ticker.read() - start >= limit) {
            return "time_budget";
        }
        return null;
    }

    private Tuning.Trial trial(TuneSpec spec, List<Labelled<I>> rows, int number, int rung, double fraction,
                               Map<String, Object> config) {
        long t0 = ticker.read();
        Map<String, Object> resolved = spec.algorithm().resolve(config);
        double[] scores = trainer.crossValidate(spec.algorithm(), resolved, spec.seed(), rows, spec.folds(),
                spec.seed(), spec.metric(), fraction);
        double mean = 0;
        for (double s : scores) {
            mean += s;
        }
        mean /= scores.length;
        double var = 0;
        for (double s : scores) {
            var += (s - mean) * (s - mean);
        }
        double sd = scores.length > 1 ? Math.sqrt(var / (scores.length - 1)) : 0;
        return new Tuning.Trial(number, rung, Math.round(fraction * 10_000) / 10_000.0, new LinkedHashMap<>(resolved),
                round(mean), round(sd), (ticker.read() - t0) / 1_000_000);
    }

    private static List<Map<String, Object>> grid(TuneSpec spec) {
        List<Map<String, Object>> configs = new ArrayList<>();
        configs.add(new LinkedHashMap<>());
        for (Map.Entry<String, Dimension> d : spec.space().entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> c : configs) {
                for (Object v : d.getValue().grid()) {
                    Map<String, Object> m = new LinkedHashMap<>(c);
                    m.put(d.getKey(), v);
                    next.add(m);
                }
            }
            configs = next;
        }
        return configs;
    }

    /** Distinct random configurations (as many as the budget, fewer when the space has fewer). */
    private static List<Map<String, Object>> randomConfigs(TuneSpec spec, Random random) {
        LinkedHashSet<Map<String, Object>> configs = new LinkedHashSet<>();
        for (int attempt = 0; configs.size() < spec.maxTrials() && attempt < spec.maxTrials() * 20; attempt++) {
            Map<String, Object> m = new LinkedHashMap<>();
            spec.space().forEach((name, d) -> m.put(name, d.sample(random)));
            configs.add(m);
        }
        return new ArrayList<>(configs);
    }

    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }
}
