package io.bulwark.functions.config;

import io.bulwark.resilience.BreakerConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The {@code bulwark.*} settings. Every one has a default, so the app starts with none given.
 */
@ConfigurationProperties("bulwark")
public record BulwarkProperties(@DefaultValue Llm llm, @DefaultValue Sentiment sentiment,
                                @DefaultValue Cache cache, @DefaultValue Breaker breaker, @DefaultValue Cost cost,
                                @DefaultValue Router router) {

    /**
     * The OpenAI-compatible endpoint. No LLM is used while {@code baseUrl} is blank.
     *
     * @param baseUrl         e.g. {@code https://api.openai.com/v1} or {@code http://127.0.0.1:11434/v1}
     * @param apiKey          the key; never logged (falls back to {@code OPENAI_API_KEY})
     * @param timeout         time limit of the first LLM call, within the deadline
     * @param fallbackTimeout the shorter time limit of the retry after a time-out
     * @param httpTimeout     the HTTP client's own read time-out, a backstop behind the time limits
     */
    public record Llm(String baseUrl, String apiKey, @DefaultValue("gpt-4o-mini") String cheapModel,
                      @DefaultValue("gpt-4o") String strongModel, @DefaultValue("1200ms") Duration timeout,
                      @DefaultValue("500ms") Duration fallbackTimeout, @DefaultValue("10s") Duration httpTimeout,
                      @DefaultValue("20") int maxTokens) {

        /** Returns true when an endpoint is configured. */
        public boolean enabled() {
            return baseUrl != null && !baseUrl.isBlank();
        }

        @Override
        public String toString() {
            return "Llm[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "none" : "****")
                    + ", cheapModel=" + cheapModel + ", strongModel=" + strongModel + "]";
        }
    }

    /**
     * @param deadline         the whole-request deadline
     * @param maxLength        longest accepted text, in characters
     * @param reserve          time kept back from LLM calls for the local and template fallbacks
     * @param minimumRetryCall the least time worth a retry after waiting out a rate limit
     */
    public record Sentiment(@DefaultValue("2s") Duration deadline, @DefaultValue("1000") int maxLength,
                            @DefaultValue("50ms") Duration reserve, @DefaultValue("200ms") Duration minimumRetryCall) {

        public Sentiment {
            if (maxLength < 1) {
                throw new IllegalArgumentException("bulwark.sentiment.max-length must be at least 1: " + maxLength);
            }
        }
    }

    /** The exact-match cache. */
    public record Cache(@DefaultValue Exact exact) {
        public record Exact(@DefaultValue("10000") long maximumSize, @DefaultValue("1h") Duration ttl) {
        }
    }

    /** The circuit breaker of each LLM model. */
    public record Breaker(@DefaultValue("50") float failureRateThreshold, @DefaultValue("20") int slidingWindowSize,
                          @DefaultValue("5") int minimumNumberOfCalls, @DefaultValue("30s") Duration waitInOpenState,
                          @DefaultValue("2") int callsInHalfOpenState) {

        public BreakerConfig toConfig() {
            return new BreakerConfig(failureRateThreshold, slidingWindowSize, minimumNumberOfCalls, waitInOpenState,
                    callsInHalfOpenState);
        }
    }

    /**
     * Prices and the daily budget.
     *
     * @param priceFile         a price file to use instead of the built-in one (blank: built-in)
     * @param dailyBudget       US dollars a UTC day may spend on LLM calls; 0 for no limit
     * @param budgetLowFraction share of the daily budget after which the strong model is avoided
     */
    public record Cost(String priceFile, @DefaultValue("0") double dailyBudget,
                       @DefaultValue("0.8") double budgetLowFraction) {

        public Cost {
            if (!(dailyBudget >= 0)) {
                throw new IllegalArgumentException("bulwark.cost.daily-budget must be 0 (none) or a positive amount: "
                        + dailyBudget);
            }
            if (!(budgetLowFraction > 0 && budgetLowFraction <= 1)) {
                throw new IllegalArgumentException("bulwark.cost.budget-low-fraction must be within (0, 1]: "
                        + budgetLowFraction);
            }
        }
    }

    /**
     * The cost router, which picks each request's first choice: local model, cheap LLM or strong LLM.
     *
     * @param enabled          false: the first choice is always the cheap LLM (the local model without an LLM)
     * @param localConfidence  the local model answers a text without negation/contrast/sarcasm cues when at
     *                         least this sure (above 1: never)
     * @param strongComplexity texts at least this complex go to the strong model (above 1: never)
     */
    public record Router(@DefaultValue("true") boolean enabled, @DefaultValue("0.95") double localConfidence,
                         @DefaultValue("0.5") double strongComplexity) {
    }
}
