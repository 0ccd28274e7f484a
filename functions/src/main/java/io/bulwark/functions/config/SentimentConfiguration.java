package io.bulwark.functions.config;

import io.bulwark.costing.BudgetStore;
import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.costing.router.CostRouter;
import io.bulwark.costing.router.RouterConfig;
import io.bulwark.functions.monitoring.Monitor;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.costing.FileBudgetStore;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.functions.sentiment.SentimentFunction;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.BoundaryListener;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Breaker;
import io.bulwark.resilience.Outcome;
import io.bulwark.resilience.Sleeper;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.limit.RateLimiter;
import io.bulwark.resilience.embedding.Embedders;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.openai.OpenAiEmbedder;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import io.bulwark.sentiment.LlmChoice;
import io.bulwark.sentiment.anthropic.AnthropicSentimentProvider;
import io.bulwark.resilience.Cooldowns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * Wires the sentiment function: the local model, the LLM provider when one is configured, and the
 * chain (assembled by {@link SentimentChain}, printed at start-up).
 */
@Configuration(proxyBeanMethods = false)
class SentimentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SentimentConfiguration.class);

    @Bean
    LocalSentimentModel localSentimentModel(Ticker ticker) {
        long start = ticker.read();
        // The shipped model (written by ShipModels: what trainDefault() gives, checked by LocalSentimentModelTest):
        // read in milliseconds where training took a few hundred at every start.
        LocalSentimentModel model = LocalSentimentModel.shipped();
        log.info("Local sentiment model {} loaded (shipped) in {} ms", model.model(), (ticker.read() - start) / 1_000_000);
        return model;
    }

    @Bean
    BoundaryMetrics sentimentBoundaryMetrics() {
        return new BoundaryMetrics();
    }

    @Bean
    PriceTable priceTable(BulwarkProperties props) {
        String file = props.cost().priceFile();
        PriceTable prices;
        try {
            prices = file == null || file.isBlank() ? PriceTable.defaults() : PriceTable.load(Path.of(file));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new InvalidConfiguration("bulwark.cost.price-file", e.getMessage(), "Fix the file (the bundled "
                    + "io/bulwark/costing/prices.yaml shows the format), or unset bulwark.cost.price-file "
                    + "(BULWARK_COST_PRICE_FILE) to use the bundled prices.", e);
        }
        log.info("Prices: {}", prices);
        List<String> models = new ArrayList<>(List.of(props.llm().cheapModel(), props.llm().strongModel()));
        if (!props.llm().providers().isEmpty()) {
            models.clear();
            props.llm().providers().forEach(p -> {
                p.cheap().ifPresent(m -> models.add(p.name() + ":" + m));
                p.strong().ifPresent(m -> models.add(p.name() + ":" + m));
            });
        }
        for (String model : models) {
            if (props.llm().enabled() && model != null && !model.isBlank() && prices.price(model).isEmpty()) {
                log.warn("No price for model {} in {}: its calls are recorded as costing nothing", model, prices);
            }
        }
        return prices;
    }

    @Bean
    CostLedger costLedger(PriceTable prices, BulwarkProperties props, Clock clock, Fleet fleet) {
        BulwarkProperties.Cost c = props.cost();
        BudgetStore store = c.budgetFile() == null || c.budgetFile().isBlank() ? BudgetStore.NONE
                : new FileBudgetStore(Path.of(c.budgetFile()));
        // With a fleet, the budget is counted in Redis (the budget file is for a single instance).
        DailyBudget budget = c.dailyBudget() <= 0 ? DailyBudget.unlimited(clock)
                : fleet.shared().map(s -> DailyBudget.shared(c.dailyBudget(), c.budgetLowFraction(), clock,
                s.spending())).orElseGet(() -> DailyBudget.of(c.dailyBudget(), c.budgetLowFraction(), clock, store));
        return new CostLedger(prices, budget);
    }

    @Bean
    RouterMeters routerMeters() {
        return new RouterMeters();
    }

    @Bean
    SentimentChain sentimentChain(BulwarkProperties props, LocalSentimentModel local, BoundaryMetrics metrics,
                                  CostLedger ledger, RouterMeters routerMeters, Monitor monitor, Clock clock,
                                  Ticker ticker, Sleeper sleeper, Fleet fleet) {
        BulwarkProperties.Llm llm = props.llm();
        BulwarkProperties.Router r = props.router();
        BulwarkProperties.Sentiment s = props.sentiment();
        BulwarkProperties.Cache.Semantic sc = props.cache().semantic();
        SentimentChain.Semantic semantic = new SentimentChain.Semantic(sc.enabled(), sc.threshold(),
                sc.maximumSize(), sc.ttl(), sc.guard(), sc.candidates(), sc.exactSearchLimit(), sc.probes(),
                sc.withLocalModel());
        SentimentChain.Settings settings = new SentimentChain.Settings(s.deadline(), s.reserve(), llm.timeout(),
                llm.fallbackTimeout(), s.minimumRetryCall(), props.cache().exact().maximumSize(),
                props.cache().exact().ttl(), props.breaker().toConfig(), semantic);
        SentimentChain.Builder chain = SentimentChain.builder()
                .settings(settings)
                .localModel(local)
                .ledger(ledger)
                .routingListener(routerMeters::record)
                .clock(clock)
                .ticker(ticker)
                .sleeper(sleeper)
                .listener(new LoggingListener(metrics, monitor))
                .rateLimiter(fleet.shared().map(f -> f.rateLimiter(llm.rateLimits(), ticker))
                        .orElseGet(() -> RateLimiter.inProcess(llm.rateLimits(), ticker)));
        if (props.state().breakerNews()) {
            fleet.shared().ifPresent(f -> chain.breakerNews(f.breakerNews()));
        }
        if (!llm.providers().isEmpty()) {
            // Several providers: each tier is the list of those naming a model for it, in the configured order.
            List<LlmChoice> cheap = choices(llm, BulwarkProperties.Llm.Provider::cheap, clock);
            List<LlmChoice> strong = r.enabled() ? choices(llm, BulwarkProperties.Llm.Provider::strong, clock)
                    : List.of();
            if (!cheap.isEmpty()) {
                chain.cheapLlms(cheap);
            }
            if (!strong.isEmpty()) {
                chain.strongLlms(strong);
            }
        } else if (llm.enabled()) {
            chain.cheapLlm(warmedUp(OpenAiSentimentProvider.create(llm.baseUrl(), llm.apiKey(),
                    llm.cheapModel(), llm.httpTimeout(), llm.maxTokens(), clock)));
            if (r.enabled() && llm.strongModel() != null && !llm.strongModel().isBlank()) {
                chain.strongLlm(warmedUp(OpenAiSentimentProvider.create(llm.baseUrl(), llm.apiKey(),
                        llm.strongModel(), llm.httpTimeout(), llm.maxTokens(), clock)));
            }
        }
        chain.cooldowns(fleet.shared().map(f -> f.cooldowns(ticker, clock))
                        .orElseGet(() -> Cooldowns.inProcess(ticker)))
                .defaultCooldown(llm.cooldown())
                .reaskSameChoice(llm.reaskSameChoice())
                .sameChoiceRetry(llm.retry().toPolicy())
                .random(llm.seed() != null ? new Random(llm.seed()) : new Random());
        if (llm.hedge().cheap()) {
            chain.hedge(io.bulwark.resilience.Tier.LLM_CHEAP, llm.hedge().toPolicy());
        }
        if (llm.hedge().strong()) {
            chain.hedge(io.bulwark.resilience.Tier.LLM_STRONG, llm.hedge().toPolicy());
        }
        if (r.enabled()) {
            chain.router(new RouterConfig(r.localConfidence(), r.strongComplexity()));
        }
        Embedder embedder = null;
        if (sc.enabled() && (llm.enabled() || sc.withLocalModel())) {
            embedder = embedder(sc, llm, clock, ticker);
            chain.embedder(embedder);
        }
        // Semantic entries are shared among instances of the same embedder only: vectors of two cannot be compared.
        String embedderName = embedder != null ? embedder.name() : "none";
        fleet.shared().ifPresent(f -> chain.cacheShare(f.cacheShare(embedderName)));
        SentimentChain built = chain.build();
        log.info("LLM: {}", llm.enabled() ? llm : "none configured (bulwark.llm.base-url and bulwark.llm.providers"
                + " are unset): the local model answers");
        log.info("Sentiment chain, outermost first:\nValidate(text: 1..{} characters)\n{}", s.maxLength(), built.describe());
        return built;
    }

    /** The (provider, model) choices of one tier: the providers naming a model for it, in the configured order. */
    private static List<LlmChoice> choices(BulwarkProperties.Llm llm,
                                           Function<BulwarkProperties.Llm.Provider, Optional<String>> tier,
                                           Clock clock) {
        List<LlmChoice> choices = new ArrayList<>();
        for (BulwarkProperties.Llm.Provider p : llm.providers()) {
            Optional<String> model = tier.apply(p);
            if (model.isEmpty()) {
                continue;
            }
            SentimentProvider client = switch (p.kind()) {
                case BulwarkProperties.Llm.Provider.ANTHROPIC -> {
                    AnthropicSentimentProvider a = AnthropicSentimentProvider.create(p.baseUrl(), p.apiKey(),
                            model.get(), llm.httpTimeout(), llm.maxTokens(), clock);
                    warmedUp(p.name() + ":" + a.model(), a::warmUp);
                    yield a;
                }
                default -> {
                    OpenAiSentimentProvider o = OpenAiSentimentProvider.create(p.baseUrl(), p.apiKey(), model.get(),
                            llm.httpTimeout(), llm.maxTokens(), clock);
                    warmedUp(p.name() + ":" + o.model(), o::warmUp);
                    yield o;
                }
            };
            choices.add(new LlmChoice(p.name(), client, p.weight()));
        }
        return choices;
    }

    private static void warmedUp(String name, java.util.function.Supplier<java.time.Duration> warmUp) {
        try {
            log.info("LLM client {} warmed up in {} ms (against a local canned answer; the LLM was not called)",
                    name, warmUp.get().toMillis());
        } catch (RuntimeException e) {
            log.warn("LLM client {} warm-up failed ({}); the first LLM call may time out", name, e.toString());
        }
    }

    /** Found by the chaos suite: a cold client's first call overran the LLM time limit. */
    private static OpenAiSentimentProvider warmedUp(OpenAiSentimentProvider provider) {
        try {
            log.info("LLM client {} warmed up in {} ms (against a local canned answer; the LLM was not called)",
                    provider.model(), provider.warmUp().toMillis());
        } catch (RuntimeException e) {
            log.warn("LLM client {} warm-up failed ({}); the first LLM call may time out", provider.model(),
                    e.toString());
        }
        return provider;
    }

    private static Embedder embedder(BulwarkProperties.Cache.Semantic sc, BulwarkProperties.Llm llm, Clock clock,
                                     Ticker ticker) {
        if ("openai".equals(sc.embedder())) {
            // with several providers, the first OpenAI-compatible one embeds unless embedding-base-url says otherwise
            Optional<BulwarkProperties.Llm.Provider> openAi = llm.providers().stream()
                    .filter(p -> BulwarkProperties.Llm.Provider.OPENAI.equals(p.kind())).findFirst();
            String defaultUrl = openAi.map(BulwarkProperties.Llm.Provider::baseUrl).orElse(llm.baseUrl());
            String apiKey = openAi.map(BulwarkProperties.Llm.Provider::apiKey).orElse(llm.apiKey());
            String baseUrl = sc.embeddingBaseUrl() == null || sc.embeddingBaseUrl().isBlank()
                    ? defaultUrl : sc.embeddingBaseUrl();
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new InvalidConfiguration("bulwark.cache.semantic.embedding-base-url", "the openai embedder has"
                        + " no endpoint", "Set bulwark.cache.semantic.embedding-base-url, or use the minilm embedder.",
                        null);
            }
            return OpenAiEmbedder.create(baseUrl, apiKey, sc.embeddingModel(), sc.embeddingDimension(),
                    llm.httpTimeout(), clock);
        }
        Embedder miniLm = sc.lazyLoad()
                ? Embedders.lazy(Embedders.MINILM, Embedders.MINILM_DIMENSION, () -> loadMiniLm(ticker))
                : loadMiniLm(ticker);
        // In process, an embedding takes the cores: beyond the bound a request skips the semantic cache (a miss).
        int bound = sc.embedConcurrencyOrProcessors();
        return bound == 0 ? miniLm : Embedders.bounded(miniLm, bound);
    }

    private static Embedder loadMiniLm(Ticker ticker) {
        long start = ticker.read();
        Embedder e = Embedders.miniLm();
        log.info("Embedder {} loaded in {} ms", e.name(), (ticker.read() - start) / 1_000_000);
        return e;
    }

    @Bean
    BoundaryMeters sentimentBoundaryMeters(BoundaryMetrics metrics, SentimentChain chain) {
        return new BoundaryMeters(metrics, chain);
    }

    @Bean
    CostMeters costMeters(CostLedger ledger) {
        return new CostMeters(ledger);
    }

    @Bean
    SentimentFunction sentiment(JsonMapper json, SentimentChain chain, BulwarkProperties props,
                                PredictionLog predictions, Clock clock) {
        return new SentimentFunction(json, chain, props.sentiment().maxLength(), predictions,
                props.predictionLog().redactInputs(), clock);
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
