package io.bulwark.functions.config;

import io.bulwark.costing.PriceTable;
import io.bulwark.functions.monitoring.Monitor;
import io.bulwark.functions.sentiment.SentimentChain;
import io.bulwark.functions.sentiment.SentimentFunction;
import io.bulwark.functions.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.BoundaryListener;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Breaker;
import io.bulwark.resilience.Outcome;
import io.bulwark.resilience.Sleeper;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.embedding.Embedders;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.sentiment.SentimentProvider;
import io.bulwark.resilience.sentiment.openai.OpenAiEmbedder;
import io.bulwark.resilience.sentiment.openai.OpenAiSentimentProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.Optional;

/**
 * Wires the sentiment function: the local model, the LLM provider when one is configured, and the
 * chain (assembled by {@link SentimentChain}, printed at start-up).
 */
@Configuration(proxyBeanMethods = false)
class SentimentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SentimentConfiguration.class);

    @Bean
    LocalSentimentModel localSentimentModel() {
        long start = System.nanoTime();
        LocalSentimentModel model = LocalSentimentModel.trainDefault();
        log.info("Local sentiment model {} trained in {} ms", model.model(), (System.nanoTime() - start) / 1_000_000);
        return model;
    }

    @Bean
    BoundaryMetrics sentimentBoundaryMetrics() {
        return new BoundaryMetrics();
    }

    @Bean
    SentimentChain sentimentChain(BulwarkProperties props, LocalSentimentModel local, BoundaryMetrics metrics,
                                  Monitor monitor) {
        BulwarkProperties.Llm llm = props.llm();
        Optional<SentimentProvider> cheap = Optional.empty();
        if (llm.enabled()) {
            cheap = Optional.of(OpenAiSentimentProvider.create(llm.baseUrl(), llm.apiKey(), llm.cheapModel(),
                    llm.httpTimeout(), llm.maxTokens(), Clock.systemUTC()));
        }
        BulwarkProperties.Sentiment s = props.sentiment();
        BulwarkProperties.Cache.Semantic sc = props.cache().semantic();
        SentimentChain.Semantic semantic = new SentimentChain.Semantic(sc.enabled(), sc.threshold(),
                sc.maximumSize(), sc.ttl(), sc.guard(), sc.candidates(), sc.exactSearchLimit(), sc.probes(),
                sc.withLocalModel());
        SentimentChain.Settings settings = new SentimentChain.Settings(s.deadline(), s.reserve(), llm.timeout(),
                llm.fallbackTimeout(), s.minimumRetryCall(), props.cache().exact().maximumSize(),
                props.cache().exact().ttl(), props.breaker().toConfig(), semantic);
        boolean needed = sc.enabled() && (llm.enabled() || sc.withLocalModel());
        Optional<Embedder> embedder = needed ? Optional.of(embedder(sc, llm)) : Optional.empty();
        SentimentChain chain = SentimentChain.assemble(settings, local, cheap, embedder, PriceTable.defaults(),
                Clock.systemUTC(), Ticker.system(), Sleeper.system(), new LoggingListener(metrics, monitor));
        log.info("LLM: {}", llm.enabled() ? llm : "none configured (bulwark.llm.base-url is blank): the local model answers");
        log.info("Sentiment chain, outermost first:\nValidate(text: 1..{} characters)\n{}", s.maxLength(), chain.describe());
        return chain;
    }

    private static Embedder embedder(BulwarkProperties.Cache.Semantic sc, BulwarkProperties.Llm llm) {
        if ("openai".equals(sc.embedder())) {
            String baseUrl = sc.embeddingBaseUrl() == null || sc.embeddingBaseUrl().isBlank()
                    ? llm.baseUrl() : sc.embeddingBaseUrl();
            return OpenAiEmbedder.create(baseUrl, llm.apiKey(), sc.embeddingModel(), sc.embeddingDimension(),
                    llm.httpTimeout(), Clock.systemUTC());
        }
        if (sc.lazyLoad()) {
            return Embedders.lazy(Embedders.MINILM, Embedders.MINILM_DIMENSION, SentimentConfiguration::loadMiniLm);
        }
        return loadMiniLm();
    }

    private static Embedder loadMiniLm() {
        long start = System.nanoTime();
        Embedder e = Embedders.miniLm();
        log.info("Embedder {} loaded in {} ms", e.name(), (System.nanoTime() - start) / 1_000_000);
        return e;
    }

    @Bean
    BoundaryMeters sentimentBoundaryMeters(BoundaryMetrics metrics, SentimentChain chain) {
        return new BoundaryMeters(metrics, chain);
    }

    @Bean
    SentimentFunction sentiment(JsonMapper json, SentimentChain chain, BulwarkProperties props) {
        return new SentimentFunction(json, chain, props.sentiment().maxLength());
    }

    /** Counts into the metrics and the monitor's window, and logs what an operator must see: breaker transitions. */
    private record LoggingListener(BoundaryMetrics metrics, Monitor monitor) implements BoundaryListener {
        @Override
        public void onRequest() {
            metrics.onRequest();
        }

        @Override
        public void onFailure(String step, BoundaryFailure failure) {
            metrics.onFailure(step, failure);
            monitor.onFailure(failure.type());
            log.debug("{} failed: {} ({})", step, failure.type().code(), failure.getMessage());
        }

        @Override
        public void onOutcome(Outcome<?> outcome) {
            metrics.onOutcome(outcome);
        }

        @Override
        public void onTransition(Breaker.Transition t) {
            log.warn("Circuit breaker {}: {} -> {}", t.name(), t.from(), t.to());
        }
    }
}
