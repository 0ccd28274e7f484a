package io.bulwark.models.drift;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Watches the inputs each version serves: every prediction's features go into that version's window (the last
 * {@link DriftSettings#window()} inputs), and {@link #report} compares the window with the version's training
 * {@link ReferenceProfile}. Memory is bounded: a window per version, at most {@link DriftSettings#maxVersions()}
 * versions. Thread-safe; a report is computed again only once its window has changed.
 */
public final class DriftMonitor {

    private final DriftSettings settings;
    private final Function<String, Optional<ReferenceProfile>> profiles;
    /** Access-ordered: the version observed least recently is dropped first. */
    private final LinkedHashMap<String, VersionWindow> windows = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param profiles the training profile of a version, or empty when it was saved without one (read once per version
     *                 while its window is kept)
     */
    public DriftMonitor(DriftSettings settings, Function<String, Optional<ReferenceProfile>> profiles) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
    }

    public DriftSettings settings() {
        return settings;
    }

    /** Adds one served input ({@link FeatureValues}) to the version's window. */
    public void observe(String version, Map<String, Object> features) {
        window(version).add(features);
    }

    /** Returns the versions with a window, most recently observed last. */
    public synchronized List<String> versions() {
        return new ArrayList<>(windows.keySet());
    }

    /** Returns the comparison of the version's window with its training profile. */
    public DriftReport report(String version) {
        return window(version).report();
    }

    /** Empties every window (after a change that makes old inputs meaningless, and in tests). */
    public synchronized void clear() {
        windows.clear();
    }

    private synchronized VersionWindow window(String version) {
        VersionWindow w = windows.get(version);
        if (w == null) {
            w = new VersionWindow(version, profiles.apply(version).orElse(null));
            windows.put(version, w);
            while (windows.size() > settings.maxVersions()) {
                windows.remove(windows.keySet().iterator().next());
            }
        }
        return w;
    }

    /** The last inputs of one version, as columns aligned with its profile's features. */
    private final class VersionWindow {

        private final String version;
        private final ReferenceProfile profile;
        private final List<String> names;
        private final double[][] numbers;
        private final String[][] categories;
        private int next;
        private int size;
        private long observed;
        private DriftReport cached;
        private long cachedAt = -1;

        VersionWindow(String version, ReferenceProfile profile) {
            this.version = version;
            this.profile = profile;
            this.names = profile == null ? List.of() : profile.names();
            int capacity = settings.window();
            numbers = new double[names.size()][];
            categories = new String[names.size()][];
            for (int f = 0; f < names.size(); f++) {
                if (profile.features().get(names.get(f)) instanceof FeatureProfile.Categorical) {
                    categories[f] = new String[capacity];
                } else {
                    numbers[f] = new double[capacity];
                }
            }
        }

        synchronized void add(Map<String, Object> features) {
            observed++;
            if (profile == null) {
                return;
            }
            for (int f = 0; f < names.size(); f++) {
                Object v = features.get(names.get(f));
                if (categories[f] != null) {
                    categories[f][next] = ReferenceProfile.category(v);
                } else {
                    numbers[f][next] = ReferenceProfile.number(v);
                }
            }
            next = (next + 1) % settings.window();
            size = Math.min(size + 1, settings.window());
        }

        synchronized DriftReport report() {
            if (cached != null && cachedAt == observed) {
                return cached;
            }
            DriftReport.Window w = new DriftReport.Window(size, settings.window(), settings.minWindow(), observed);
            DriftReport r;
            if (profile == null) {
                r = new DriftReport(version, DriftReport.NO_REFERENCE, w, settings.alpha(), List.of(), List.of());
            } else if (size < settings.minWindow()) {
                r = new DriftReport(version, DriftReport.INSUFFICIENT_DATA, w, settings.alpha(), List.of(), List.of());
            } else {
                r = compare(w);
            }
            cached = r;
            cachedAt = observed;
            return r;
        }

        private DriftReport compare(DriftReport.Window w) {
            double pThreshold = settings.alpha() / names.size();
            List<DriftReport.FeatureDrift> features = new ArrayList<>();
            List<String> drifted = new ArrayList<>();
            for (int f = 0; f < names.size(); f++) {
                FeatureProfile ref = profile.features().get(names.get(f));
                List<DriftReport.Test> tests = new ArrayList<>(2);
                String kind;
                if (ref instanceof FeatureProfile.Numeric n) {
                    kind = "numeric";
                    double[] values = java.util.Arrays.copyOf(numbers[f], size);
                    DriftStatistics.Result ks = DriftStatistics.ks(n.values(), values);
                    tests.add(pTest("ks", ks, pThreshold));
                    tests.add(psiTest(DriftStatistics.psi(n, values)));
                } else {
                    kind = "categorical";
                    FeatureProfile.Categorical c = (FeatureProfile.Categorical) ref;
                    Map<String, Long> counts = new TreeMap<>();
                    for (int i = 0; i < size; i++) {
                        counts.merge(categories[f][i], 1L, Long::sum);
                    }
                    tests.add(pTest("chi_square", DriftStatistics.chiSquare(c, counts), pThreshold));
                    tests.add(psiTest(DriftStatistics.psi(c, counts)));
                }
                boolean drift = tests.stream().allMatch(DriftReport.Test::crossed);
                if (drift) {
                    drifted.add(names.get(f));
                }
                features.add(new DriftReport.FeatureDrift(names.get(f), kind,
                        drift ? DriftReport.DRIFT : DriftReport.NO_DRIFT, tests));
            }
            return new DriftReport(version, drifted.isEmpty() ? DriftReport.NO_DRIFT : DriftReport.DRIFT, w,
                    settings.alpha(), drifted, features);
        }

        private DriftReport.Test pTest(String name, DriftStatistics.Result r, double threshold) {
            return new DriftReport.Test(name, round(r.statistic()), r.pValue(), threshold, r.pValue() < threshold);
        }

        private DriftReport.Test psiTest(double psi) {
            return new DriftReport.Test("psi", round(psi), null, settings.psiThreshold(),
                    psi >= settings.psiThreshold());
        }
    }

    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }
}
