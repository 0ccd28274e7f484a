package io.bulwark.models;

import io.bulwark.resilience.failure.RequestRejected;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.models.ClassifierSettings.AutoPromote;
import io.bulwark.models.evaluate.Evaluation;
import io.bulwark.models.evaluate.Evaluator;
import io.bulwark.models.drift.DriftMonitor;
import io.bulwark.models.drift.DriftReport;
import io.bulwark.models.drift.DriftSettings;
import io.bulwark.models.pipeline.Features;
import io.bulwark.models.pipeline.Pipeline;
import io.bulwark.models.feedback.Feedback;
import io.bulwark.models.feedback.FeedbackSettings;
import io.bulwark.models.retrain.RetrainPolicy;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.tune.TuneSpec;
import io.bulwark.models.tune.Tuner;
import io.bulwark.models.tune.Tuning;
import io.bulwark.resilience.Ticker;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Metric;
import io.bulwark.models.train.Metrics;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingData;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.models.train.VersionMetadata;
import io.bulwark.resilience.cache.ExactCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * A classifier of one {@link ModelType} behind the functions: picks the version that serves a request, predicts
 * (through the exact cache), trains new versions and promotes or rolls them back, all over one
 * {@link ModelRegistry}. Thread-safe; trainings run one at a time.
 *
 * @param <I> the model type's input
 */
public final class ClassifierService<I extends ModelInput> {

    private static final Logger log = LoggerFactory.getLogger(ClassifierService.class);
    /** The header that picks a version per request. */
    public static final String VERSION_HEADER = "X-Model-Version";

    private final ModelRegistry registry;
    private final ModelTrainer<I> trainer;
    private final ClassifierSettings settings;
    private final Metric promoteMetric;
    private final ExactCache<Answer> cache;
    /** A version as it serves: its model and the features it reads (its pipeline's, or the type's own). */
    private record Loaded<I extends ModelInput>(Model<Label> model, Features<I> features) {
    }

    private final Map<String, Loaded<I>> loaded = new ConcurrentHashMap<>();
    private final ReentrantLock training = new ReentrantLock();
    private final DriftMonitor drift;
    private final Feedback<I> feedback;

    /** A service whose drift windows have the {@link DriftSettings#defaults() default} settings. */
    public ClassifierService(ModelRegistry registry, ModelTrainer<I> trainer, ClassifierSettings settings,
                             ExactCache<Answer> cache) {
        this(registry, trainer, settings, cache, DriftSettings.defaults());
    }

    /**
     * @param drift how the inputs each version serves are compared with its training profile
     * @throws IllegalArgumentException when the settings name a promotion metric the model type does not have
     */
    public ClassifierService(ModelRegistry registry, ModelTrainer<I> trainer, ClassifierSettings settings,
                             ExactCache<Answer> cache, DriftSettings drift) {
        this(registry, trainer, settings, cache, drift, FeedbackSettings.defaults());
    }

    /**
     * @param drift    how the inputs each version serves are compared with its training profile
     * @param feedback how feedback labels are joined to served predictions and measured as live accuracy
     * @throws IllegalArgumentException when the settings name a promotion metric the model type does not have
     */
    public ClassifierService(ModelRegistry registry, ModelTrainer<I> trainer, ClassifierSettings settings,
                             ExactCache<Answer> cache, DriftSettings drift, FeedbackSettings feedback) {
        this.drift = new DriftMonitor(drift, registry::profile);
        this.feedback = new Feedback<>(feedback, this::classes, v -> registry.metadata(v)
                .map(m -> java.util.OptionalDouble.of(m.metrics().accuracy())).orElse(java.util.OptionalDouble.empty()));
        this.registry = registry;
        this.trainer = trainer;
        this.settings = settings;
        this.promoteMetric = promoteMetric(trainer.type().metrics(), settings.promoteMetric());
        this.cache = cache;
    }

    private static Metric promoteMetric(List<Metric> metrics, String name) {
        if (name == null) {
            return metrics.getFirst();
        }
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("bulwark.classifier.promote-metric must be " + String.join(" or ",
                        metrics.stream().map(Metric::name).sorted().toList()) + ": " + name));
    }

    public ClassifierSettings settings() {
        return settings;
    }

    /** Returns the model type: its input schema, algorithms and metrics. */
    public ModelType<I> type() {
        return trainer.type();
    }

    /**
     * Makes sure a version is promoted: trains and promotes {@code v1} (the {@link TrainingSpec#defaults} spec
     * on the configured split) when the registry is empty; promotes the oldest version when versions exist but
     * none is promoted. Returns the promoted version.
     */
    public String ensureInitialVersion() {
        training.lock();
        try {
            if (registry.versions().isEmpty()) {
                TrainingSpec spec = TrainingSpec.defaults(trainer.type());
                TrainingSpec initial = new TrainingSpec(spec.algorithm(), spec.hyperparameters(), spec.seed(),
                        settings.splitSeed(), settings.testFraction());
                String shipped = trainer.type().shippedVersion();
                Optional<String> installed = shipped == null ? Optional.empty()
                        : registry.saveInitialShipped(shipped, m -> trainedAs(m, initial));
                if (installed.isPresent()) {
                    log.info("Model registry {} was empty: installed the shipped {} (trained by the same spec and "
                            + "data, {} on {})", registry.location(), installed.get(), shipped,
                            trainer.type().data().sha256());
                } else {
                    ModelTrainer.Trained<I> v1 = trainer.train(initial);
                    String version = registry.saveInitial(v1);
                    log.info("Model registry {} was empty: trained {} ({}, held-out accuracy {}, macro-F1 {}) in {} "
                            + "ms", registry.location(), version, v1.metadata().algorithm(),
                            v1.metadata().metrics().accuracy(), v1.metadata().metrics().macroF1(),
                            v1.metadata().provenance().trainingMs());
                }
            }
            String promoted = registry.promotion().promoted();
            if (promoted == null || !registry.exists(promoted)) {
                promoted = registry.versions().getFirst();
                registry.promote(promoted);
                log.info("No version was promoted: promoted {}", promoted);
            }
            return promoted;
        } finally {
            training.unlock();
        }
    }

    /**
     * Whether a shipped version's metadata says it was trained as {@code spec} on this type's data: the same
     * algorithm and hyperparameters (compared as text: JSON reads numbers back as it likes), seeds, held-out fraction
     * and data hash (what makes training deterministic here).
     */
    private boolean trainedAs(VersionMetadata m, TrainingSpec spec) {
        VersionMetadata.Provenance p = m.provenance();
        return p != null && spec.algorithm().name().equals(m.algorithm())
                && asText(spec.hyperparameters()).equals(asText(m.hyperparameters()))
                && p.seed() == spec.seed() && p.splitSeed() == spec.splitSeed()
                && Double.compare(p.testFraction(), spec.testFraction()) == 0
                && trainer.type().data().sha256().equals(p.dataSha256());
    }

    private static Map<String, String> asText(Map<String, Object> values) {
        Map<String, String> text = new TreeMap<>();
        if (values != null) {
            values.forEach((k, v) -> text.put(k, String.valueOf(v)));
        }
        return text;
    }

    /** The version that answers a request, and why it is not the one asked for, if it is not. */
    public record Selected(String version, Model<Label> model, String fallback) {
    }

    /**
     * Returns the version that serves a request: {@code requested} (the {@code X-Model-Version} header) if
     * given, else the configured default, else the promoted one. An unknown version is a 404; one that fails
     * to load is replaced by the promoted version, with the reason in {@link Selected#fallback()}.
     */
    public Selected select(String requested) {
        return select(requested, false);
    }

    /**
     * Selects as {@link #select(String)} does, except that a promoted version that fails to load is replaced by the
     * version it would fall back to ({@link #fallback}), with the reason in {@link Selected#fallback()}: what the
     * {@link ClassifierBoundary} serves with. Only when none loads is it a 503 {@code model_unavailable}.
     */
    public Selected selectWithFallback(String requested) {
        return selectWithFallback(requested, LoadGuard.NONE);
    }

    /**
     * Selects as {@link #selectWithFallback(String)} does, with every version read through {@code guard}: a version it
     * does not permit is skipped as if it had failed to load, and the loads it runs are the ones its breakers count.
     */
    public Selected selectWithFallback(String requested, LoadGuard guard) {
        return select(requested, true, guard);
    }

    /**
     * How the {@link ClassifierBoundary} guards the versions a request reads: it may skip a version without reading
     * it (its circuit breaker is open), and it runs each read of a version not yet in memory (so a breaker counts the
     * failed reads).
     */
    public interface LoadGuard {
        /** Returns the reason {@code version} is skipped without being read, or null when it may be used. */
        String skips(String version);

        /** Runs {@code load}, the read of {@code version} from the registry. */
        <T> T load(String version, java.util.function.Supplier<T> load);

        /** No guard: every version is read when needed. */
        LoadGuard NONE = new LoadGuard() {
            @Override
            public String skips(String version) {
                return null;
            }

            @Override
            public <T> T load(String version, java.util.function.Supplier<T> load) {
                return load.get();
            }
        };
    }

    private Selected select(String requested, boolean fallBackFromPromoted) {
        return select(requested, fallBackFromPromoted, LoadGuard.NONE);
    }

    private Selected select(String requested, boolean fallBackFromPromoted, LoadGuard guard) {
        String promoted = promoted();
        String wanted = requested != null && !requested.isBlank() ? requested.strip()
                : settings.defaultVersion() != null ? settings.defaultVersion() : promoted;
        if (!ModelRegistry.isVersionName(wanted)) {
            throw new RequestRejected(400, "invalid_value", VERSION_HEADER,
                    VERSION_HEADER + " must look like v1, v2, ...; not '" + clip(wanted) + "'");
        }
        boolean known;
        try {
            known = loaded.containsKey(wanted) || registry.exists(wanted);
        } catch (RequestRejected registryUnavailable) {
            // the registry cannot say whether the version exists: the promoted version, in memory, answers
            if (wanted.equals(promoted)) {
                throw registryUnavailable;
            }
            try {
                return new Selected(promoted, model(promoted, guard), "model version " + wanted + " cannot be looked up:"
                        + " the model registry cannot be reached right now; answered by the promoted version "
                        + promoted);
            } catch (ModelRegistry.LoadFailure promotedFailed) {
                throw unavailable(promotedFailed);
            }
        }
        if (!known) {
            throw new RequestRejected(404, "unknown_version", VERSION_HEADER, "model version " + wanted
                    + " does not exist; versions: " + String.join(", ", registry.versions()));
        }
        try {
            return new Selected(wanted, model(wanted, guard), null);
        } catch (ModelRegistry.LoadFailure e) {
            if (wanted.equals(promoted)) {
                if (fallBackFromPromoted) {
                    Optional<Selected> previous = fallback(java.util.Set.of(promoted), guard);
                    if (previous.isPresent()) {
                        if (!e.wasSkipped()) { // a skipped version's breaker logged its opening once
                            log.warn("{}; answering with {}", e.detail(), previous.get().version());
                        }
                        return new Selected(previous.get().version(), previous.get().model(), e.getMessage()
                                + "; answered by the previously promoted version " + previous.get().version());
                    }
                }
                throw unavailable(e);
            }
            if (!e.wasSkipped()) {
                log.warn("{}; answering with the promoted version {}", e.detail(), promoted);
            }
            try {
                return new Selected(promoted, model(promoted, guard), e.getMessage() + "; answered by the promoted version "
                        + promoted);
            } catch (ModelRegistry.LoadFailure promotedFailed) {
                throw unavailable(promotedFailed);
            }
        }
    }

    /** The promoted version cannot be loaded: nothing to answer with until someone promotes, rolls back or trains. */
    private static RequestRejected unavailable(ModelRegistry.LoadFailure e) {
        log.error("model_unavailable: {}", e.detail());
        return new RequestRejected(503, "model_unavailable", VERSION_HEADER, e.getMessage()
                + "; promote another version, roll back, or train a new one");
    }

    /**
     * Returns the version a request falls back to when the versions in {@code tried} could not answer: the promoted
     * one, else the most recently promoted before it (the one {@link #rollback()} would promote), whichever is first
     * not tried, existing and loading; empty when none is. One step only: after it comes {@code uncertain}.
     */
    public Optional<Selected> fallback(java.util.Set<String> tried) {
        return fallback(tried, LoadGuard.NONE);
    }

    /** As {@link #fallback(java.util.Set)}, reading versions through {@code guard} (a version it skips is passed). */
    public Optional<Selected> fallback(java.util.Set<String> tried, LoadGuard guard) {
        ModelRegistry.Promotion p = registry.promotion();
        List<String> candidates = new ArrayList<>();
        if (p.promoted() != null) {
            candidates.add(p.promoted());
        }
        candidates.addAll(p.history().reversed());
        for (String v : candidates) {
            if (tried.contains(v) || !registry.exists(v)) {
                continue;
            }
            try {
                return Optional.of(new Selected(v, model(v, guard), null));
            } catch (ModelRegistry.LoadFailure e) {
                if (!e.wasSkipped()) {
                    log.warn("fallback {} skipped: {}", v, e.detail());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the version that answers in the shadow of {@code answered}: {@code version} when it exists, loads and is
     * not the one that answered; else empty (shadow answers are a side line: they never fail a request).
     */
    public Optional<Selected> shadow(String version, String answered) {
        return shadow(version, answered, LoadGuard.NONE);
    }

    /** As {@link #shadow(String, String)}, reading the version through {@code guard}. */
    public Optional<Selected> shadow(String version, String answered, LoadGuard guard) {
        if (version == null || version.equals(answered) || !ModelRegistry.isVersionName(version)) {
            return Optional.empty();
        }
        try {
            if (!loaded.containsKey(version) && !registry.exists(version)) {
                return Optional.empty();
            }
            return Optional.of(new Selected(version, model(version, guard), null));
        } catch (ModelRegistry.LoadFailure | RequestRejected e) {
            return Optional.empty();
        }
    }

    /**
     * Returns the answer of the selected version for {@code input}, and whether it came from the cache. The input's
     * features join the version's drift window either way: a cached answer is served all the same.
     */
    public Cached predict(Selected selected, I input) {
        drift.observe(selected.version(), trainer.type().driftFeatures(input));
        String key = selected.version() + '|' + input.canonical();
        Optional<Answer> hit = cache.get(key);
        if (hit.isPresent()) {
            return new Cached(hit.get(), true);
        }
        Answer answer = answer(selected.model().predict(features(selected.version()).example(input,
                LabelFactory.UNKNOWN_LABEL)));
        cache.put(key, answer);
        return new Cached(answer, false);
    }

    /**
     * Returns the labels the selected version can answer, sorted (the order of an answer's
     * {@link Answer#probabilities()}).
     */
    public List<String> labels(Selected selected) {
        return selected.model().getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted().toList();
    }

    /** Returns the versions in the registry, oldest first. */
    public List<String> versions() {
        return registry.versions();
    }

    /** An answer and whether the exact cache gave it. */
    public record Cached(Answer answer, boolean cached) {
    }

    private Answer answer(Prediction<Label> prediction) {
        Map<String, Double> scores = new TreeMap<>();
        double total = 0;
        for (Map.Entry<String, Label> e : prediction.getOutputScores().entrySet()) {
            double score = Math.max(0, e.getValue().getScore());
            scores.put(e.getKey(), score);
            total += score;
        }
        String best = prediction.getOutput().getLabel();
        double confidence = total > 0 ? scores.getOrDefault(best, 0.0) / total : 0;
        Map<String, Double> probabilities = new TreeMap<>();
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            probabilities.put(e.getKey(), round(total > 0 ? e.getValue() / total : 0));
        }
        if (confidence < settings.confidenceThreshold()) {
            return new Answer(Answer.UNCERTAIN, best, round(confidence), probabilities);
        }
        return new Answer(best, null, round(confidence), probabilities);
    }

    /** The outcome of {@code POST /train}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"message", "new_model_version", "promoted", "promotion", "algorithm", "hyperparameters",
            "seed", "data", "metrics"})
    public record Trained(String message, @JsonProperty("new_model_version") String newModelVersion,
                          boolean promoted, Decision promotion, String algorithm,
                          Map<String, Object> hyperparameters, long seed, String data, Metrics metrics) {
    }

    /** Why a new version was or was not promoted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"rule", "metric", "new_value", "promoted_version", "promoted_value", "reason"})
    public record Decision(String rule, String metric, @JsonProperty("new_value") Double newValue,
                           @JsonProperty("promoted_version") String promotedVersion,
                           @JsonProperty("promoted_value") Double promotedValue, String reason) {
    }

    /** Trains a new version on the model type's data, saves it, and promotes it if the rule says so. */
    public Trained train(TrainingSpec spec) {
        return train(spec, trainer.type().data(), null, List.of());
    }

    /** Trains as {@link #train(TrainingSpec, TrainingData, Pipeline)} through the type's default pipeline, if any. */
    public Trained train(TrainingSpec spec, TrainingData<I> data) {
        return train(spec, data, trainer.type().defaultPipeline().orElse(null));
    }

    /**
     * Trains a new version on {@code data} (e.g. a dataset version, which the version's metadata then names) through
     * {@code pipeline} (fitted on the training split and saved with the version; null: the type's own features),
     * saves it, and promotes it if the rule says so; the promoted version is measured on the same held-out rows.
     */
    public Trained train(TrainingSpec spec, TrainingData<I> data, Pipeline pipeline) {
        return train(spec, data, null, List.of(), pipeline);
    }

    /**
     * Trains a new version on the model type's data as {@link #train(TrainingSpec)} does, with {@code origin} (why it
     * was trained: a tuning run and its trials, a retraining policy) in its metadata.
     */
    public Trained trainWithOrigin(TrainingSpec spec, Object origin) {
        return train(spec, trainer.type().data(), origin, List.of());
    }

    private Trained train(TrainingSpec spec, TrainingData<I> data, Object origin,
                          List<io.bulwark.models.train.Labelled<I>> extra) {
        return train(spec, data, origin, extra, trainer.type().defaultPipeline().orElse(null));
    }

    private Trained train(TrainingSpec spec, TrainingData<I> data, Object origin,
                          List<io.bulwark.models.train.Labelled<I>> extra, Pipeline pipeline) {
        training.lock();
        try {
            ModelTrainer.Trained<I> trained = trainer.train(spec, data, origin, extra, pipeline);
            String version = registry.save(trained);
            Decision decision = decide(trained);
            boolean promote = decision.reason().startsWith("promoted");
            if (promote) {
                registry.promote(version);
            }
            log.info("Trained {} ({} {}): held-out accuracy {}, macro-F1 {}; {}", version, spec.algorithm().name(),
                    spec.hyperparameters(), trained.metadata().metrics().accuracy(),
                    trained.metadata().metrics().macroF1(), decision.reason());
            String message = "Training completed successfully: " + version + (promote ? " is promoted" : " is saved but not promoted")
                    + " (" + decision.reason() + ")";
            return new Trained(message, version, promote, decision, spec.algorithm().name(),
                    trained.metadata().hyperparameters(), spec.seed(), data.source(), trained.metadata().metrics());
        } finally {
            training.unlock();
        }
    }

    private Decision decide(ModelTrainer.Trained<I> trained) {
        String rule = settings.autoPromote().name().toLowerCase(Locale.ROOT);
        String metric = promoteMetric.name();
        double fresh = promoteMetric.of(trained.metadata().metrics());
        String current = registry.promotion().promoted();
        if (settings.autoPromote() == AutoPromote.NEVER) {
            return new Decision(rule, metric, fresh, current, null, "not promoted: automatic promotion is off");
        }
        if (settings.autoPromote() == AutoPromote.ALWAYS || current == null) {
            return new Decision(rule, metric, fresh, current, null, "promoted: rule " + rule);
        }
        double old;
        try {
            // Measured again on this training's held-out rows, so both figures count the same examples.
            Loaded<I> champion = loaded(current);
            old = promoteMetric.of(trainer.evaluate(champion.model(), champion.features(), trained.split().test()));
        } catch (ModelRegistry.LoadFailure e) {
            return new Decision(rule, metric, fresh, current, null, "promoted: the promoted version cannot be loaded");
        }
        return fresh >= old
                ? new Decision(rule, metric, fresh, current, old, "promoted: held-out " + metric + " " + fmt(fresh)
                        + " is at least " + current + "'s " + fmt(old))
                : new Decision(rule, metric, fresh, current, old, "kept " + current + ": held-out " + metric + " "
                        + fmt(fresh) + " is below its " + fmt(old));
    }

    /**
     * Measures {@code version} (null: the promoted one) on labelled rows without training: accuracy, macro-F1,
     * per-class figures, confusion matrix and calibration. An unknown version is a 404, one that does not load a 409,
     * both naming {@code version}; a label the version does not know is a 400 naming {@code labelField.apply(row)}.
     *
     * @param data what the rows are, for the answer
     */
    public Evaluation evaluate(String version, List<Labelled<I>> rows, String data, IntFunction<String> labelField) {
        String v = version == null ? promoted() : version.strip();
        if (!ModelRegistry.isVersionName(v)) {
            throw new RequestRejected("invalid_value", "version", "\"version\" must look like v1, v2, ...; not '"
                    + clip(v) + "'");
        }
        if (!loaded.containsKey(v) && !registry.exists(v)) {
            throw new RequestRejected(404, "unknown_version", "version", "model version " + v
                    + " does not exist; versions: " + String.join(", ", registry.versions()));
        }
        Loaded<I> model;
        try {
            model = loaded(v);
        } catch (ModelRegistry.LoadFailure e) {
            log.warn("not evaluated: {}", e.detail());
            throw new RequestRejected(409, "unloadable_version", "version", e.getMessage() + ": not evaluated");
        }
        return new Evaluator<>(model.features()).evaluate(v, model.model(), rows, data, labelField);
    }

    /** Returns the held-out rows of the bundled data under the configured split: what every version is measured on. */
    public List<Labelled<I>> heldOut() {
        return trainer.type().data().split(settings.testFraction(), settings.splitSeed()).test();
    }

    /** What a tuning run gave: its trials, and the version trained with the best configuration (null if cancelled). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"tuning", "trained"})
    public record Tuned(Tuning tuning, Trained trained) {
    }

    /**
     * Tunes an algorithm by cross-validation on the training rows of the registry's split (never its held-out rows),
     * then trains a version with the best configuration on all of them: measured, saved with the run's trial table in
     * its metadata ({@code origin}), and promoted under the promotion rule. A cancelled run trains nothing.
     */
    public Tuned tune(String runId, TuneSpec spec, Ticker ticker, Tuner.Progress progress,
                      java.util.function.BooleanSupplier cancelled) {
        List<io.bulwark.models.train.Labelled<I>> rows = trainer.type().data()
                .split(settings.testFraction(), settings.splitSeed()).train();
        Tuning tuning = new Tuner<>(trainer, ticker).run(runId, spec, rows, progress, cancelled);
        if ("cancelled".equals(tuning.stopped())) {
            return new Tuned(tuning, null);
        }
        Trained trained = train(new TrainingSpec(spec.algorithm(), tuning.best().hyperparameters(), spec.seed(),
                settings.splitSeed(), settings.testFraction()), trainer.type().data(), tuning, List.of());
        return new Tuned(tuning, trained);
    }

    /** What the retraining policy decided on one check, and the challenger it trained, if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"trigger", "skipped", "trained"})
    public record Retrained(String trigger, String skipped, Trained trained) {
    }

    private volatile long labelsAtLastRetrain;
    /** When the schedule counts from: start-up (the first check), then each retrain. */
    private volatile java.time.Instant lastRetrain;
    /** When the last retrain was; null before the first (no cool-down then). */
    private volatile java.time.Instant retrainedAt;

    /**
     * Checks the retraining policy at {@code now} and, when a trigger holds, trains a challenger with the serving
     * version's algorithm and hyperparameters on the training rows plus the labelled feedback, measured on the same
     * held-out rows and promoted only under the promotion rule. Its metadata's {@code origin} says why and on what.
     */
    public Retrained retrainIfDue(RetrainPolicy policy, java.time.Instant now) {
        if (!policy.enabled()) {
            return new Retrained(null, "the policy is off", null);
        }
        if (lastRetrain == null) {
            lastRetrain = now; // the schedule and the cool-down count from start-up
        }
        long total = feedback.labelledTotal();
        long fresh = total - labelsAtLastRetrain;
        if (fresh < policy.minNewLabels()) {
            return new Retrained(null, fresh + " new feedback labels, fewer than " + policy.minNewLabels(), null);
        }
        if (retrainedAt != null && now.isBefore(retrainedAt.plus(policy.cooldown()))) {
            return new Retrained(null, "cooling down until " + retrainedAt.plus(policy.cooldown()), null);
        }
        String serving = serving();
        String trigger = null;
        DriftReport d = drift.report(serving);
        if (policy.onDrift() && d.drifting()) {
            trigger = "drift of " + serving + " (" + String.join(", ", d.drifted()) + ")";
        } else if (policy.onAccuracyDrop() && io.bulwark.models.feedback.LiveAccuracy.BELOW_HELD_OUT
                .equals(feedback.accuracy(serving).verdict())) {
            trigger = "live accuracy of " + serving + " " + feedback.accuracy(serving).liveAccuracy()
                    + " below its held-out " + feedback.accuracy(serving).heldOutAccuracy();
        } else if (policy.everyFeedback() > 0 && fresh >= policy.everyFeedback()) {
            trigger = fresh + " new feedback labels (every " + policy.everyFeedback() + ")";
        } else if (policy.schedule() != null && !now.isBefore(lastRetrain.plus(policy.schedule()))) {
            trigger = "schedule (every " + policy.schedule() + ")";
        }
        if (trigger == null) {
            return new Retrained(null, "no trigger holds", null);
        }
        return new Retrained(trigger, null, retrain(serving, trigger, total, now));
    }

    private Trained retrain(String champion, String trigger, long labelsSeen, java.time.Instant now) {
        VersionMetadata m = registry.metadata(champion).orElseThrow(() -> new IllegalStateException(
                champion + " has no metadata to retrain from"));
        Algorithm algorithm = Algorithm.parse(trainer.type().algorithms(), m.algorithm());
        List<io.bulwark.models.train.Labelled<I>> labelled = feedback.labelled();
        Map<String, Object> origin = new java.util.LinkedHashMap<>();
        origin.put("by", "retraining");
        origin.put("trigger", trigger);
        origin.put("champion", champion);
        origin.put("feedback_rows", labelled.size());
        origin.put("champion_live_accuracy", feedback.accuracy(champion).liveAccuracy());
        // The challenger reads its features as the champion does: the champion's pipeline, fitted again on its rows.
        Pipeline pipeline;
        try {
            pipeline = registry.pipeline(champion, trainer.type().pipelineFields())
                    .map(io.bulwark.models.pipeline.FittedPipeline::spec).orElse(null);
        } catch (ModelRegistry.LoadFailure e) {
            pipeline = trainer.type().defaultPipeline().orElse(null);
        }
        Trained t = train(new TrainingSpec(algorithm, m.hyperparameters(), settings.seed(), settings.splitSeed(),
                settings.testFraction()), trainer.type().data(), origin, labelled, pipeline);
        labelsAtLastRetrain = labelsSeen;
        lastRetrain = now;
        retrainedAt = now;
        log.info("Retrained a challenger of {} on {} feedback labels ({}): {}", champion, labelled.size(), trigger,
                t.message());
        return t;
    }

    /** Promotes a version by hand; 404 if it does not exist. */
    public ModelRegistry.Promotion promote(String version) {
        if (!registry.exists(version)) {
            throw new RequestRejected(404, "unknown_version", "version", "model version " + version
                    + " does not exist; versions: " + String.join(", ", registry.versions()));
        }
        try {
            model(version); // refuse to promote what cannot serve
        } catch (ModelRegistry.LoadFailure e) {
            log.warn("not promoted: {}", e.detail());
            throw new RequestRejected(409, "unloadable_version", "version", e.getMessage() + ": not promoted");
        }
        return registry.promote(version);
    }

    /** Promotes the previously promoted version again; 409 when there is none. */
    public ModelRegistry.Promotion rollback() {
        return registry.rollback().orElseThrow(() -> new RequestRejected(409, "nothing_to_roll_back", null,
                "no version was promoted before " + promoted() + ": there is nothing to roll back to"));
    }

    /** One version as {@code GET /models} lists it. */
    @JsonPropertyOrder({"version", "promoted", "algorithm", "hyperparameters", "created_at", "metrics"})
    public record VersionView(String version, boolean promoted, String algorithm, Map<String, Object> hyperparameters,
                              @JsonProperty("created_at") String createdAt, Metrics metrics) {
    }

    /**
     * The registry as {@code GET /models} shows it.
     *
     * @param stale present only when the registry could not be listed: why {@code versions} is its last listing
     */
    @JsonPropertyOrder({"promoted", "default_version", "previously_promoted", "versions", "stale"})
    public record Models(String promoted, @JsonProperty("default_version") String defaultVersion,
                         @JsonProperty("previously_promoted") List<String> previouslyPromoted,
                         List<VersionView> versions,
                         @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String stale) {
    }

    public Models models() {
        ModelRegistry.Promotion p = registry.promotion();
        List<VersionView> views = new ArrayList<>();
        List<String> versions = registry.versions();
        String stale = registry.stale().orElse(null);
        for (String v : versions) {
            Optional<VersionMetadata> m = registry.metadata(v);
            views.add(new VersionView(v, v.equals(p.promoted()), m.map(VersionMetadata::algorithm).orElse(null),
                    m.map(VersionMetadata::hyperparameters).orElse(null),
                    m.map(x -> x.provenance().createdAt().toString()).orElse(null),
                    m.map(VersionMetadata::metrics).orElse(null)));
        }
        return new Models(p.promoted(), settings.defaultVersion() != null ? settings.defaultVersion() : p.promoted(),
                p.history(), views, stale);
    }

    /** Returns the version that serves requests without {@code X-Model-Version}: the default one, else the promoted. */
    public String serving() {
        return settings.defaultVersion() != null ? settings.defaultVersion() : promoted();
    }

    /**
     * Returns the drift report of every version that has served since start-up, the {@link #serving()} one first
     * (even before it has served).
     */
    public List<DriftReport> drift() {
        String serving = serving();
        List<DriftReport> reports = new ArrayList<>();
        reports.add(drift.report(serving));
        for (String v : drift.versions()) {
            if (!v.equals(serving)) {
                reports.add(drift.report(v));
            }
        }
        return reports;
    }

    /** Returns the drift report of one version. */
    public DriftReport drift(String version) {
        return drift.report(version);
    }

    /** Returns the features drift compares for the serving version (its profile's), empty without a profile. */
    public List<String> driftFeatureNames() {
        return registry.profile(serving()).map(io.bulwark.models.drift.ReferenceProfile::names).orElse(List.of());
    }

    /** Returns the feedback labels joined to served predictions, and each version's live accuracy. */
    public Feedback<I> feedback() {
        return feedback;
    }

    /** Returns the classes a version answers with (its held-out metrics' labels, else its model's output domain). */
    public java.util.Set<String> classes(String version) {
        Optional<VersionMetadata> m = registry.metadata(version);
        if (m.isPresent() && m.get().metrics() != null && !m.get().metrics().perClass().isEmpty()) {
            return m.get().metrics().perClass().keySet();
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        model(version).getOutputIDInfo().getDomain().forEach(l -> names.add(l.getLabel()));
        return names;
    }

    /** Returns the drift settings. */
    public DriftSettings driftSettings() {
        return drift.settings();
    }

    public String promoted() {
        String promoted = registry.promotion().promoted();
        if (promoted == null) {
            throw new IllegalStateException("no version is promoted: ensureInitialVersion() was not called");
        }
        return promoted;
    }

    private Model<Label> model(String version) {
        return loaded(version).model();
    }

    /** Returns true when {@code version} was read and serves from memory (no file is read to use it). */
    public boolean inMemory(String version) {
        return loaded.containsKey(version);
    }

    /** A version's model, read through {@code guard}: skipped (a load failure naming why) when the guard says so. */
    private Model<Label> model(String version, LoadGuard guard) {
        String skipped = guard.skips(version);
        if (skipped != null) {
            throw ModelRegistry.LoadFailure.skipped(version, skipped, null);
        }
        Loaded<I> l = loaded.get(version);
        if (l != null) {
            return l.model();
        }
        return guard.load(version, () -> loaded(version)).model();
    }

    private Loaded<I> loaded(String version) {
        return loaded.computeIfAbsent(version, v -> new Loaded<>(registry.load(v), Features.of(trainer.type(),
                registry.pipeline(v, trainer.type().pipelineFields()).orElse(null))));
    }

    /**
     * Returns the features {@code version} reads: its saved pipeline's, or the model type's own for a version saved
     * without one. The one place serving gets features, so what a version is served is what it was trained on.
     *
     * @throws ModelRegistry.LoadFailure when the version's model or pipeline cannot be loaded
     */
    public Features<I> features(String version) {
        return loaded(version).features();
    }

    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }

    private static String clip(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }
}
