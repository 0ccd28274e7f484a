package io.bulwark.functions.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of the sliding window: what {@code GET /metrics/summary} answers.
 *
 * @param at        when it was taken
 * @param window    the window it covers
 * @param functions per function: requests, latency, error rates
 * @param sentiment what only sentiment answers tell: tiers, fallbacks, caches, cost, failures, breakers
 * @param models    per function, how many answers each model (version) gave in the window
 * @param predictionLog what befell the prediction log in the window
 * @param classifier    the serving classifier version's drift (over its own window of inputs, not this one)
 * @param sharedState   whether the state the fleet shares answers (README, "Running many instances")
 * @param digits        what only digit answers tell: uncertain, degraded and fallback shares, variants, live accuracy
 * @param modelBreakers each classifier version's circuit breaker (penguins by version, digits by version and variant)
 *                      that has been used, by name: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}
 */
@JsonPropertyOrder({"at", "window", "functions", "sentiment", "models", "prediction_log", "classifier", "shared_state",
        "digits", "model_breakers"})
public record Summary(Instant at, Window window, Map<String, FunctionStats> functions, SentimentStats sentiment,
                      Map<String, Map<String, Integer>> models,
                      @JsonProperty("prediction_log") PredictionLogStats predictionLog, ClassifierStats classifier,
                      @JsonProperty("shared_state") SharedStateStats sharedState, DigitStats digits,
                      @JsonProperty("model_breakers") Map<String, String> modelBreakers) {

    /** A summary without digit figures or version breakers (monitor tests). */
    public Summary(Instant at, Window window, Map<String, FunctionStats> functions, SentimentStats sentiment,
                   Map<String, Map<String, Integer>> models, PredictionLogStats predictionLog,
                   ClassifierStats classifier, SharedStateStats sharedState) {
        this(at, window, functions, sentiment, models, predictionLog, classifier, sharedState, DigitStats.NONE,
                Map.of());
    }

    /**
     * The digit recogniser's model side, read when summarising: its promoted version's live accuracy.
     *
     * @param version         the promoted digit version; null when unknown
     * @param accuracy        its live-accuracy verdict: ok, below_held_out or insufficient_feedback
     * @param liveAccuracy    its accuracy on the last feedback labels; null without feedback
     * @param heldOutAccuracy its held-out accuracy
     * @param accuracyDrop    held-out minus live accuracy; null while either is unknown or feedback is insufficient
     * @param feedback        feedback labels its live accuracy rests on
     */
    public record DigitModel(String version, String accuracy, Double liveAccuracy, Double heldOutAccuracy,
                             Double accuracyDrop, int feedback) {
        /** No digit recogniser. */
        public static final DigitModel NONE = new DigitModel(null, "insufficient_feedback", null, null, null, 0);
    }

    /**
     * The digit recogniser's figures: {@code /digits} and {@code /digits_batch} answers in the window, and its
     * promoted version's live accuracy (over its own feedback window, not this one).
     *
     * @param requests     digit requests answered (2xx) in the window, both functions
     * @param digits       digits those answers recognised (a batch counts its answered items)
     * @param latencyMs    latency of those requests
     * @param uncertainRate share of the digits answered {@code uncertain}
     * @param degradedRate share of the requests answered {@code degraded} (no variant could run)
     * @param fallbackRate share of the requests with a {@code fallback} (another variant answered, or none)
     * @param variants     requests by the variant that answered
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"requests", "digits", "latency_ms", "uncertain_rate", "degraded_rate", "fallback_rate",
            "variants", "version", "accuracy", "live_accuracy", "held_out_accuracy", "accuracy_drop", "feedback"})
    public record DigitStats(int requests, int digits, @JsonProperty("latency_ms") Stats latencyMs,
                             @JsonProperty("uncertain_rate") double uncertainRate,
                             @JsonProperty("degraded_rate") double degradedRate,
                             @JsonProperty("fallback_rate") double fallbackRate, Map<String, Integer> variants,
                             String version, String accuracy, @JsonProperty("live_accuracy") Double liveAccuracy,
                             @JsonProperty("held_out_accuracy") Double heldOutAccuracy,
                             @JsonProperty("accuracy_drop") Double accuracyDrop, int feedback) {
        /** No digit answer and no digit recogniser. */
        public static final DigitStats NONE = new DigitStats(0, 0, Stats.EMPTY, 0, 0, 0, Map.of(), null,
                "insufficient_feedback", null, null, null, 0);
    }

    /**
     * The serving classifier version as the alert rules watch it.
     *
     * @param version     the version serving requests without X-Model-Version; null when unknown
     * @param drift       its drift verdict: drift, no_drift, insufficient_data or no_reference (see GET /drift)
     * @param driftWindow served inputs in its drift window
     * @param drifted     the features that drifted
     * @param accuracy    its live-accuracy verdict: ok, below_held_out or insufficient_feedback (see GET /accuracy)
     * @param accuracyDrop its held-out accuracy minus its live accuracy; null while either is unknown
     * @param feedback    feedback labels its live accuracy rests on
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"version", "drift", "drift_window", "drifted", "accuracy", "accuracy_drop", "feedback"})
    public record ClassifierStats(String version, String drift, @JsonProperty("drift_window") int driftWindow,
                                  java.util.List<String> drifted, String accuracy,
                                  @JsonProperty("accuracy_drop") Double accuracyDrop, int feedback) {

        /** No classifier known (monitor tests). */
        public static final ClassifierStats NONE = new ClassifierStats(null, "no_reference", 0, java.util.List.of(),
                "insufficient_feedback", null, 0);

        public ClassifierStats {
            drifted = java.util.List.copyOf(drifted);
        }

        /** True when the verdict is drift or no drift (a window big enough, compared with a profile). */
        boolean hasVerdict() {
            return "drift".equals(drift) || "no_drift".equals(drift);
        }
    }

    /**
     * @param configured true with bulwark.state.redis-url set
     * @param available  true while Redis answers (false while requests decide from in-process state); true when not
     *                   configured, since nothing is missing then
     * @param failures   Redis commands that failed or were skipped since start
     */
    public record SharedStateStats(boolean configured, boolean available, long failures) {
        /** No shared state configured. */
        public static final SharedStateStats NONE = new SharedStateStats(false, true, 0);
    }

    /**
     * @param failures appends that failed in the window (records not kept: the answer went out without its record,
     *                 or was refused with a 503 when the log is required)
     */
    public record PredictionLogStats(int failures) {
    }

    /**
     * @param seconds    the window's length
     * @param covered    the seconds of it the monitor has been running (less than {@code seconds} after a start)
     * @param maxSamples the most samples it keeps
     * @param samples    the samples in it
     */
    public record Window(double seconds, double covered, @JsonProperty("max_samples") int maxSamples, int samples) {
    }

    /**
     * @param errorRate       share of requests that failed: a 5xx, or (sentiment) an answer from a fallback
     * @param clientErrorRate share of requests refused with a 4xx (the caller's fault; never alerted on)
     * @param status          requests by status class: {@code 2xx}, {@code 4xx}, {@code 5xx}
     */
    @JsonPropertyOrder({"requests", "requests_per_second", "latency_ms", "error_rate", "client_error_rate", "status"})
    public record FunctionStats(int requests, @JsonProperty("requests_per_second") double requestsPerSecond,
                                @JsonProperty("latency_ms") Stats latencyMs, @JsonProperty("error_rate") double errorRate,
                                @JsonProperty("client_error_rate") double clientErrorRate, Map<String, Integer> status) {
    }

    /**
     * @param answers      sentiment answers (2xx) in the window
     * @param tiers        answers by tier
     * @param fallbacks    answers by the fallback that gave them ({@code none}: the first choice)
     * @param errorRate    share of answers that needed a fallback
     * @param degradedRate share of answers of lesser quality (local model or template fallback)
     * @param cacheHitRate hit rates of the caches over the window, and the baseline before it
     * @param cost         what the answers cost
     * @param failures     failures inside the error boundary by type (several may happen in one request)
     * @param breaker      the worst of {@code breakers} ({@link BreakerStates#worst}): {@code OPEN} when any model's
     *                     breaker is open; null without an LLM
     * @param breakers     each LLM's circuit breaker by model, in tier order: {@code CLOSED}, {@code OPEN},
     *                     {@code HALF_OPEN}; empty without an LLM
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"answers", "tiers", "fallbacks", "error_rate", "degraded_rate", "cache_hit_rate", "cost",
            "failures", "breaker", "breakers"})
    public record SentimentStats(int answers, Map<String, Integer> tiers, Map<String, Integer> fallbacks,
                                 @JsonProperty("error_rate") double errorRate,
                                 @JsonProperty("degraded_rate") double degradedRate,
                                 @JsonProperty("cache_hit_rate") CacheHitRate cacheHitRate, Cost cost,
                                 Map<String, Integer> failures, String breaker, Map<String, String> breakers) {
    }

    /**
     * @param baseline the combined hit rate over the history before the window (null while it has too few answers
     *                 or no hit at all): what a collapse is measured against
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CacheHitRate(double exact, double semantic, double total, Double baseline,
                               @JsonProperty("baseline_answers") int baselineAnswers) {
    }

    /**
     * @param perRequestUsd       statistics of the cost of one answer
     * @param totalUsd            the cost of all answers in the window
     * @param per1000RequestsUsd  the mean cost of 1,000 answers
     * @param perDayUsd           the window's spending rate, projected over 24 hours
     */
    @JsonPropertyOrder({"per_request_usd", "total_usd", "per_1000_requests_usd", "per_day_usd"})
    public record Cost(@JsonProperty("per_request_usd") Stats perRequestUsd, @JsonProperty("total_usd") double totalUsd,
                       @JsonProperty("per_1000_requests_usd") double per1000RequestsUsd,
                       @JsonProperty("per_day_usd") double perDayUsd) {
    }

    /** Returns the statistics of {@code function}, or empty ones when it had no request in the window. */
    public FunctionStats function(String function) {
        FunctionStats f = functions.get(function);
        return f != null ? f : new FunctionStats(0, 0, Stats.EMPTY, 0, 0, Map.of());
    }
}
