package io.bulwark.models.digits;

import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.resilience.failure.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The digit recogniser behind {@code /digits} and {@code /digits_batch}: picks the version ({@code X-Model-Version},
 * else the promoted one) and the {@link Variant} ({@code X-Model-Variant}, else the configured one), runs a batch
 * through ONNX Runtime in chunks of at most {@link Settings#chunk()} images, and turns probabilities into answers,
 * {@code uncertain} below the confidence threshold. When the variant asked for cannot run (not registered for the
 * version, or ONNX Runtime fails on it), fp32 answers and the answer says so in {@code fallback}; when fp32 fails
 * too, every digit is {@code uncertain} with no guess and the answer is {@code degraded} (int8 → fp32 → uncertain).
 * Every ONNX Runtime
 * call goes through a bulkhead ({@link Settings#maxConcurrent()} at once, waiting at most
 * {@link Settings#queueWait()}, else 503 {@code server_busy}). Thread-safe.
 */
public final class DigitService {

    private static final Logger log = LoggerFactory.getLogger(DigitService.class);
    public static final String VERSION_HEADER = "X-Model-Version";

    private final DigitVersions versions;
    private final DigitModelType type;
    private final Settings settings;
    private final Map<String, DigitRecogniser> loaded = new ConcurrentHashMap<>();
    private final io.bulwark.resilience.Bulkhead bulkhead;
    private final io.bulwark.models.VersionBreakers breakers;
    private final io.bulwark.models.drift.DriftMonitor drift;
    private final io.bulwark.models.feedback.Feedback<DigitImage> feedback;
    private static final java.util.Set<String> DIGITS = java.util.Set.of("0", "1", "2", "3", "4", "5", "6", "7", "8",
            "9");
    /** The drift features of the training split every version shares: the reference of a version with no profile. */
    private volatile io.bulwark.models.drift.ReferenceProfile trainingProfile;

    /**
     * How the digits are served.
     *
     * @param confidenceThreshold below this probability the answer is {@code uncertain}, with the best guess
     * @param variant             the variant serving requests without {@code X-Model-Variant}
     * @param chunk               the most images per ONNX Runtime call
     * @param maxBatch            the most images one {@code /digits_batch} request may hold
     * @param maxConcurrent       the most ONNX Runtime calls running at once (the bulkhead)
     * @param queueWait           how long a call waits for a free place in the bulkhead before a 503
     */
    public record Settings(double confidenceThreshold, Variant variant, int chunk, int maxBatch, int maxConcurrent,
                           java.time.Duration queueWait) {

        public static final double DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
        public static final Variant DEFAULT_VARIANT = Variant.INT8;
        public static final int DEFAULT_CHUNK = 64;
        public static final int DEFAULT_MAX_BATCH = 256;
        /** Two per core of this 2-core machine: more only queues inside ONNX Runtime's threads. */
        public static final int DEFAULT_MAX_CONCURRENT = 4;
        /** Well inside the seed's "a couple of seconds". */
        public static final java.time.Duration DEFAULT_QUEUE_WAIT = java.time.Duration.ofSeconds(1);

        public Settings {
            if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
                throw new IllegalArgumentException("bulwark.digits.confidence-threshold must be in [0, 1]: "
                        + confidenceThreshold);
            }
            java.util.Objects.requireNonNull(variant, "bulwark.digits.variant");
            if (chunk < 1 || maxBatch < 1) {
                throw new IllegalArgumentException("bulwark.digits.chunk and max-batch must be positive");
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_CONFIDENCE_THRESHOLD, DEFAULT_VARIANT, DEFAULT_CHUNK, DEFAULT_MAX_BATCH,
                    DEFAULT_MAX_CONCURRENT, DEFAULT_QUEUE_WAIT);
        }
    }

    public DigitService(DigitVersions versions, DigitModelType type, Settings settings) {
        this(versions, type, settings, io.bulwark.models.drift.DriftSettings.defaults());
    }

    /**
     * @param drift how the inputs each version serves are compared with its training inputs (the drift features of
     *              {@link DigitModelType#driftFeatures}: ink ratio, mean intensity, bounding-box size and position)
     */
    public DigitService(DigitVersions versions, DigitModelType type, Settings settings,
                        io.bulwark.models.drift.DriftSettings drift) {
        this(versions, type, settings, drift, new io.bulwark.models.VersionBreakers("digits",
                io.bulwark.models.VersionBreakers.DEFAULTS, java.time.Clock.systemUTC(),
                io.bulwark.resilience.Ticker.system()));
    }

    /**
     * @param breakers the circuit breakers of the versions ({@code v2}: its load) and their variants ({@code v1 int8}:
     *                 its ONNX Runtime calls); an open one is skipped at once: a variant for fp32, a version that does
     *                 not load for a 503 without reading its files again
     */
    public DigitService(DigitVersions versions, DigitModelType type, Settings settings,
                        io.bulwark.models.drift.DriftSettings drift, io.bulwark.models.VersionBreakers breakers) {
        this.breakers = java.util.Objects.requireNonNull(breakers, "breakers");
        // trainingProfile(), not the field: the profile is computed on first need (start() no longer runs at start-up)
        this.drift = new io.bulwark.models.drift.DriftMonitor(drift, v -> versions.registry().profile(v)
                .or(() -> java.util.Optional.of(trainingProfile())));
        this.feedback = new io.bulwark.models.feedback.Feedback<>(io.bulwark.models.feedback.FeedbackSettings
                .defaults(), v -> DIGITS, v -> versions.registry().metadata(v)
                .map(m -> java.util.OptionalDouble.of(m.metrics().accuracy()))
                .orElse(java.util.OptionalDouble.empty()));
        this.versions = versions;
        this.type = type;
        this.settings = settings;
        this.bulkhead = io.bulwark.resilience.Bulkhead.of(settings.maxConcurrent(), settings.queueWait(),
                "digit inferences", "bulwark.digits.max-concurrent, queue-wait");
    }

    public DigitModelType type() {
        return type;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Installs the shipped version into an empty registry and returns the promoted version's name, without loading
     * it: the first recognition loads it (ONNX Runtime, the version's sessions), so a start that serves no digit does
     * not pay for that.
     */
    public String install() {
        return versions.ensureInitialVersion();
    }

    /** Installs the shipped version into an empty registry, and loads the promoted one; returns its name. */
    public String start() {
        String promoted = install();
        recogniser(promoted);
        trainingProfile();
        return promoted;
    }

    /**
     * Returns the drift features' profile of the training split (8,000 digits, the split every version shares),
     * computed once from the bundled file's grey levels (steps 1–4 of the preprocessing only: tens of milliseconds).
     */
    public io.bulwark.models.drift.ReferenceProfile trainingProfile() {
        io.bulwark.models.drift.ReferenceProfile p = trainingProfile;
        if (p == null) {
            synchronized (this) {
                if (trainingProfile == null) {
                    List<Map<String, Object>> rows = new ArrayList<>();
                    DigitData.trainingShapes().forEach(shape -> rows.add(shape.features()));
                    trainingProfile = io.bulwark.models.drift.ReferenceProfile.of(rows);
                }
                p = trainingProfile;
            }
        }
        return p;
    }

    /** Returns the drift report of the promoted version (its last served inputs against its training inputs). */
    public io.bulwark.models.drift.DriftReport drift() {
        return drift.report(versions.registry().promotion().promoted());
    }

    /** Returns the drift report of every version that has served since start-up, the promoted one first. */
    public List<io.bulwark.models.drift.DriftReport> driftReports() {
        String promoted = versions.registry().promotion().promoted();
        List<io.bulwark.models.drift.DriftReport> reports = new ArrayList<>();
        reports.add(drift.report(promoted));
        for (String v : drift.versions()) {
            if (!v.equals(promoted)) {
                reports.add(drift.report(v));
            }
        }
        return reports;
    }

    /** Returns the served digits feedback labels join ({@code POST /feedback}), and each version's live accuracy. */
    public io.bulwark.models.feedback.Feedback<DigitImage> feedback() {
        return feedback;
    }

    /** Returns the drift settings. */
    public io.bulwark.models.drift.DriftSettings driftSettings() {
        return drift.settings();
    }

    /** One digit's answer. {@code digit} is 0 … 9, or null when uncertain (then {@code bestGuess} is set). */
    public record Answer(Integer digit, Integer bestGuess, double confidence, Map<String, Double> probabilities) {
        public boolean uncertain() {
            return digit == null;
        }

        /** Returns the answer as every classifier's ({@code "7"}, or {@code uncertain} with the guess): for the log. */
        public io.bulwark.models.Answer toAnswer() {
            return new io.bulwark.models.Answer(uncertain() ? io.bulwark.models.Answer.UNCERTAIN : digit.toString(),
                    bestGuess == null ? null : bestGuess.toString(), confidence, probabilities);
        }
    }

    /**
     * The answers of a batch, in order, with the version and variant that gave them; {@code degraded} when no variant
     * could run and every answer is {@code uncertain} without a guess.
     */
    public record Answers(List<Answer> answers, String version, Variant variant, String fallback, boolean degraded) {
    }

    /**
     * Recognises {@code images} with the version and variant the headers name (null: the defaults).
     *
     * @throws RequestRejected 400 for a malformed header, 404 for an unknown version, 503 when the version cannot load
     */
    public Answers recognise(List<DigitImage> images, String versionHeader, String variantHeader) {
        String version = version(versionHeader);
        Variant variant = variantHeader == null || variantHeader.isBlank() ? settings.variant()
                : Variant.parse(variantHeader, Variant.HEADER);
        DigitRecogniser recogniser = recogniser(version);
        for (DigitImage image : images) {
            drift.observe(version, type.driftFeatures(image));
        }
        String fallback = null;
        float[][] p;
        if (!recogniser.has(variant)) {
            fallback = version + " has no " + variant.wire() + " variant; answered by fp32";
            variant = Variant.FP32;
        } else if (variant != Variant.FP32 && !breakers.permits(key(version, variant))) {
            fallback = variant.wire() + " skipped: its circuit breaker is open; answered by fp32";
            variant = Variant.FP32;
        }
        if (!breakers.permits(key(version, variant))) {
            return uncertain(images.size(), version, (fallback == null ? "" : fallback + "; ") + variant.wire()
                    + " skipped: its circuit breaker is open", null);
        }
        try {
            p = run(recogniser, images, variant);
        } catch (RequestRejected e) {
            throw e; // the bulkhead is full: another variant would not find room either
        } catch (RuntimeException e) {
            if (variant != Variant.FP32) {
                log.warn("digit model {} {} failed ({}); answering with fp32", version, variant.wire(), e.getMessage());
                fallback = variant.wire() + " failed; answered by fp32";
                variant = Variant.FP32;
                try {
                    p = run(recogniser, images, variant);
                } catch (RequestRejected busy) {
                    throw busy;
                } catch (RuntimeException fp32) {
                    return uncertain(images.size(), version, fallback + ", which failed too", fp32);
                }
            } else {
                return uncertain(images.size(), version, "fp32 failed", e);
            }
        }
        List<Answer> answers = new ArrayList<>(p.length);
        for (float[] row : p) {
            answers.add(answer(row));
        }
        return new Answers(answers, version, variant, fallback, false);
    }

    /** The last fallback: no variant could run, so every digit is uncertain, with no guess, and degraded. */
    private static Answers uncertain(int n, String version, String why, RuntimeException e) {
        log.error("digit model {}: no variant could run ({}); answering uncertain", version,
                e == null ? why : e.getMessage());
        List<Answer> answers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            answers.add(new Answer(null, null, 0, Map.of()));
        }
        return new Answers(answers, version, Variant.FP32, why + "; answered uncertain", true);
    }

    private float[][] run(DigitRecogniser recogniser, List<DigitImage> images, Variant variant) {
        try {
            return breakers.call(key(recogniser, variant), () -> runChunks(recogniser, images, variant));
        } catch (io.bulwark.resilience.failure.CircuitOpen e) {
            // a half-open breaker's trials are taken: this call is refused as a failure of the variant
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private String key(DigitRecogniser recogniser, Variant variant) {
        return key(recogniser.version(), variant);
    }

    private static String key(String version, Variant variant) {
        return version + " " + variant.wire();
    }

    /** Returns each version's and variant's circuit-breaker state by name ({@code digits v1 int8} → {@code OPEN}). */
    public Map<String, String> breakerStates() {
        return breakers.states();
    }

    private float[][] runChunks(DigitRecogniser recogniser, List<DigitImage> images, Variant variant) {
        float[][] all = new float[images.size()][];
        for (int from = 0; from < images.size(); from += settings.chunk()) {
            int to = Math.min(images.size(), from + settings.chunk());
            List<DigitImage> chunk = images.subList(from, to);
            float[][] part = bulkhead.run(() -> recogniser.probabilities(chunk, variant));
            System.arraycopy(part, 0, all, from, part.length);
        }
        return all;
    }

    private Answer answer(float[] p) {
        double total = 0;
        for (float v : p) {
            total += v;
        }
        Map<String, Double> probabilities = new TreeMap<>();
        for (int d = 0; d < p.length; d++) {
            probabilities.put(Integer.toString(d), round(p[d] / total));
        }
        int best = DigitRecogniser.argmax(p);
        double confidence = round(p[best] / total);
        return confidence < settings.confidenceThreshold()
                ? new Answer(null, best, confidence, probabilities)
                : new Answer(best, null, confidence, probabilities);
    }

    /** Returns the registered versions, oldest first. */
    public List<String> versions() {
        return versions.registry().versions();
    }

    /**
     * Returns the version that answers {@code requested} (null or blank: the promoted one), checked as the
     * {@code X-Model-Version} header is.
     *
     * @throws RequestRejected 400 for a malformed name, 404 for an unknown version
     */
    public String resolve(String requested) {
        return version(requested);
    }

    /** Returns the digit recogniser as the Open Inference Protocol serves it (as {@code digits}, on ONNX Runtime). */
    public io.bulwark.models.inference.InferenceModel<DigitImage> inferenceModel() {
        return new DigitInferenceModel(this);
    }

    private String version(String requested) {
        String promoted = versions.registry().promotion().promoted();
        if (requested == null || requested.isBlank()) {
            if (promoted == null) {
                throw new IllegalStateException("no digit version is promoted: start() was not called");
            }
            return promoted;
        }
        String wanted = requested.strip();
        if (!ModelRegistry.isVersionName(wanted)) {
            throw new RequestRejected(400, "invalid_value", VERSION_HEADER, VERSION_HEADER
                    + " must look like v1, v2, ...; not '" + (wanted.length() <= 20 ? wanted : wanted.substring(0, 20)
                    + "…") + "'");
        }
        if (!versions.registry().exists(wanted)) {
            throw new RequestRejected(404, "unknown_version", VERSION_HEADER, "digit model version " + wanted
                    + " does not exist; versions: " + String.join(", ", versions.registry().versions()));
        }
        return wanted;
    }

    private DigitRecogniser recogniser(String version) {
        DigitRecogniser r = loaded.get(version);
        if (r != null) {
            return r;
        }
        if (!breakers.permits(version)) {
            throw new RequestRejected(503, "model_unavailable", VERSION_HEADER, "digit model version " + version
                    + " is not read: its circuit breaker is open after failed loads");
        }
        try {
            return loaded.computeIfAbsent(version, v -> breakers.call(v, () -> versions.load(v)));
        } catch (io.bulwark.resilience.failure.CircuitOpen e) {
            throw new RequestRejected(503, "model_unavailable", VERSION_HEADER, "digit model version " + version
                    + " is not read: " + e.getMessage());
        } catch (DigitRecogniser.LoadFailure e) {
            log.error("digit model_unavailable: {}", e.getMessage());
            throw new RequestRejected(503, "model_unavailable", VERSION_HEADER, e.getMessage());
        }
    }

    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }
}
