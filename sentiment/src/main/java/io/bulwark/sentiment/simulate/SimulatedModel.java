package io.bulwark.sentiment.simulate;

import io.bulwark.costing.TokenEstimator;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.TokenUsage;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A seeded stand-in for an LLM, with a scenario's quality, latency and failure profile. It spends simulated
 * time, not real time: a call advances {@link SimulatedTime} by a log-normal time to the first token (fitted to
 * the profile's p50 and p95) plus the time to generate its output tokens and, when that overruns the deadline it was given, advances to the deadline and times out.
 *
 * <p>Its label for a sentence is fixed for the run: the corpus's label with probability {@code accuracy},
 * else the opposite one. The draw deciding an error is shared with the other models with probability
 * {@code errorCorrelation}, so that models err on the same sentences as real ones do. Repeats and paraphrases
 * of a sentence get the same label. It reports the scenario's input tokens and either the free-form answer's
 * tokens or, with short output, the tokens of the JSON it answers, counted with the model's tokenizer.
 *
 * <p>A malformed answer comes with its token count (the provider bills it); a 429 or a 5xx with none. With a
 * prompt cache, calls after the first report the shared prefix as cached input while the cache is warm.
 *
 * <p>A small fake written for the simulator; the chaos module's fakes can stand in for it.
 */
public final class SimulatedModel implements SentimentProvider {

    private final Scenario.ModelProfile profile;
    private final Workload workload;
    private final SimulatedTime time;
    private final long seed;
    private final double errorCorrelation;
    private final boolean shortOutput;
    private final TokenEstimator tokens;
    private final Random random;
    private final double mu;
    private final double sigma;
    private final int cachedPrefixTokens;
    private java.time.Instant lastCall;
    private long cachedTokensReported;

    /** How long a provider keeps a prompt prefix cached without use: OpenAI says 5 to 10 minutes. */
    static final Duration PROMPT_CACHE_IDLE = Duration.ofMinutes(5);

    public SimulatedModel(Scenario.ModelProfile profile, Workload workload, SimulatedTime time, long seed,
                          double errorCorrelation, boolean shortOutput) {
        this(profile, workload, time, seed, errorCorrelation, shortOutput, 0);
    }

    /**
     * @param cachedPrefixTokens tokens at the start of every prompt that the provider's prompt cache serves once it is
     *                           warm (the first call, and any after {@link #PROMPT_CACHE_IDLE} without one, are
     *                           misses); 0 for no prompt cache
     */
    public SimulatedModel(Scenario.ModelProfile profile, Workload workload, SimulatedTime time, long seed,
                          double errorCorrelation, boolean shortOutput, int cachedPrefixTokens) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.workload = Objects.requireNonNull(workload, "workload");
        this.time = Objects.requireNonNull(time, "time");
        this.seed = seed;
        this.errorCorrelation = errorCorrelation;
        this.shortOutput = shortOutput;
        this.tokens = TokenEstimator.forModel(profile.name());
        this.random = new Random(seed ^ profile.name().hashCode());
        this.mu = Math.log(profile.p50Ms());
        this.sigma = (Math.log(profile.p95Ms()) - mu) / 1.6448536;
        if (cachedPrefixTokens < 0) {
            throw new IllegalArgumentException("cachedPrefixTokens must not be negative");
        }
        this.cachedPrefixTokens = cachedPrefixTokens;
    }

    @Override
    public String model() {
        return profile.name();
    }

    @Override
    public synchronized Sentiment classify(String text, Deadline deadline) {
        Workload.Request request = workload.lookup(text);
        if (request == null) {
            throw new Unavailable("the simulated " + profile.name() + " knows no request with this text");
        }
        SentimentLabel label = labelFor(request.sentence(), request.basis());
        double confidence = 0.9;
        int output = shortOutput
                ? tokens.count("{\"sentiment\": \"" + label.wire() + "\", \"confidence\": " + confidence + "}")
                : request.outputTokens();
        double latencyMs = Math.exp(mu + sigma * random.nextGaussian()) + 1000.0 * output / profile.outputTokensPerSecond();
        double failure = random.nextDouble();
        Duration latency = Duration.ofNanos((long) (latencyMs * 1e6));
        Duration remaining = deadline.remaining();
        if (latency.compareTo(remaining) > 0) {
            time.advance(remaining);
            throw new TimedOut(profile.name() + " (simulated) took longer than " + remaining.toMillis() + " ms");
        }
        java.time.Instant sent = time.clock().instant();
        time.advance(latency);
        if (failure < profile.rateLimited()) {
            throw new RateLimited("simulated 429", profile.retryAfterMs() > 0
                    ? Duration.ofMillis((long) profile.retryAfterMs()) : null);
        }
        failure -= profile.rateLimited();
        if (failure < profile.unavailable()) {
            throw new Unavailable("simulated 503");
        }
        failure -= profile.unavailable();
        boolean warm = lastCall != null && Duration.between(lastCall, sent).compareTo(PROMPT_CACHE_IDLE) <= 0;
        lastCall = sent;
        cachedTokensReported += warm ? Math.min(cachedPrefixTokens, request.inputTokens()) : 0;
        TokenUsage usage = new TokenUsage(request.inputTokens(), output,
                warm ? Math.min(cachedPrefixTokens, request.inputTokens()) : 0);
        if (failure < profile.malformed()) {
            // The provider answered, off contract, and counted the tokens: billed like a good answer.
            throw new MalformedResponse("simulated answer outside the output contract", usage.billed());
        }
        return new Sentiment(label, confidence, usage);
    }

    /** Returns the cached input tokens this model has reported so far. */
    public synchronized long cachedTokensReported() {
        return cachedTokensReported;
    }

    /** Returns this model's label for the sentence whose corpus label is {@code gold}; the same every time. */
    public SentimentLabel labelFor(int sentence, SentimentLabel gold) {
        return labelFor(seed, errorCorrelation, profile.name(), profile.accuracy(), sentence, gold);
    }

    /**
     * Returns the label a model of {@code accuracy} gives the sentence: the same draws as the model of the run, so a
     * higher accuracy only turns wrong answers right. The sensitivity table asks it with other accuracies.
     */
    static SentimentLabel labelFor(long seed, double errorCorrelation, String model, double accuracy, int sentence,
                                   SentimentLabel gold) {
        SplittableRandom shared = new SplittableRandom(seed * 31 + sentence);
        SplittableRandom own = new SplittableRandom((seed * 31 + sentence) ^ ((long) model.hashCode() << 32));
        double u = own.nextDouble() < errorCorrelation ? shared.nextDouble() : own.nextDouble();
        if (u < accuracy) {
            return gold;
        }
        return gold == SentimentLabel.POSITIVE ? SentimentLabel.NEGATIVE : SentimentLabel.POSITIVE;
    }
}
