package io.bulwark.functions.config;

import io.bulwark.models.ClassifierService;
import io.bulwark.functions.monitoring.AlertEvaluator;
import io.bulwark.functions.monitoring.AlertRule;
import io.bulwark.functions.monitoring.AlertRules;
import io.bulwark.functions.monitoring.AlertSink;
import io.bulwark.functions.monitoring.BreakerStates;
import io.bulwark.functions.monitoring.EmfMetrics;
import io.bulwark.functions.monitoring.FunctionMeters;
import io.bulwark.functions.monitoring.Monitor;
import io.bulwark.functions.monitoring.Summary;
import io.bulwark.functions.monitoring.Recommendations;
import io.bulwark.functions.monitoring.RequestLog;
import io.bulwark.functions.monitoring.Summary;
import io.bulwark.models.drift.DriftReport;
import io.bulwark.models.feedback.LiveAccuracy;
import io.bulwark.functions.monitoring.WebhookSink;
import io.bulwark.sentiment.SentimentChain;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires monitoring: the {@link Monitor} and Micrometer meters hear every function call (the dispatcher reports them,
 * attached here to each function bean), the alert rules are evaluated on a schedule, and readiness includes the
 * models being loaded.
 */
@Configuration(proxyBeanMethods = false)
class MonitoringConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MonitoringConfiguration.class);

    @Bean
    Monitor monitor(MonitoringProperties props, ObjectProvider<SentimentChain> chain,
                    ObjectProvider<ClassifierService<?>> classifier,
                    ObjectProvider<io.bulwark.models.digits.DigitService> digits, Clock clock, Fleet fleet,
                    ObjectProvider<io.bulwark.models.ClassifierBoundary<?>> boundary) {
        // The chain reports its failures to the monitor, so the monitor reads the chain's breakers lazily.
        return new Monitor(props.settings(), clock, () -> chain.getObject().breakerStates(),
                () -> withDigitDrift(classifierStats(classifier.getObject()), digits.getIfAvailable()),
                () -> fleet.shared().map(s -> new Summary.SharedStateStats(true, s.health().available(),
                        s.health().failures())).orElse(Summary.SharedStateStats.NONE),
                () -> digitModel(digits.getIfAvailable()),
                () -> modelBreakers(boundary.getIfAvailable(), digits.getIfAvailable()));
    }

    /** The promoted digit version's live accuracy, or none while no digit version is promoted. */
    static Summary.DigitModel digitModel(io.bulwark.models.digits.DigitService digits) {
        if (digits == null) {
            return Summary.DigitModel.NONE;
        }
        try {
            String version = digits.resolve(null);
            LiveAccuracy a = digits.feedback().accuracy(version);
            return new Summary.DigitModel(version, a.verdict(), a.liveAccuracy(), a.heldOutAccuracy(),
                    a.measured() ? a.drop() : null, a.feedback());
        } catch (RuntimeException e) {
            return Summary.DigitModel.NONE;
        }
    }

    /** Each classifier version's and digit variant's circuit-breaker state by name (those used so far). */
    static Map<String, String> modelBreakers(io.bulwark.models.ClassifierBoundary<?> boundary,
                                             io.bulwark.models.digits.DigitService digits) {
        Map<String, String> states = new java.util.TreeMap<>();
        if (boundary != null) {
            states.putAll(boundary.breakerStates());
        }
        if (digits != null) {
            states.putAll(digits.breakerStates());
        }
        return states;
    }

    /** The serving version's drift, or none while no version can serve. */
    static Summary.ClassifierStats classifierStats(ClassifierService<?> classifier) {
        try {
            String serving = classifier.serving();
            DriftReport r = classifier.drift(serving);
            LiveAccuracy a = classifier.feedback().accuracy(serving);
            return new Summary.ClassifierStats(r.version(), r.verdict(), r.window().size(), r.drifted(), a.verdict(),
                    a.measured() ? a.drop() : null, a.feedback());
        } catch (RuntimeException e) {
            return Summary.ClassifierStats.NONE;
        }
    }

    /**
     * Adds the digit recogniser's drift to the classifier's, so the one {@code drift} alert watches both: its drifted
     * features (named {@code digits.<feature>}) join the penguins', and the verdict is drift if either drifts.
     */
    static Summary.ClassifierStats withDigitDrift(Summary.ClassifierStats penguins,
                                                  io.bulwark.models.digits.DigitService digits) {
        if (digits == null) {
            return penguins;
        }
        DriftReport d;
        try {
            d = digits.drift();
        } catch (RuntimeException e) {
            return penguins;
        }
        if (!d.drifting()) {
            return penguins;
        }
        List<String> drifted = new ArrayList<>(penguins.drifted());
        d.drifted().forEach(f -> drifted.add("digits." + f));
        return new Summary.ClassifierStats(penguins.version(), DriftReport.DRIFT, Math.max(penguins.driftWindow(),
                d.window().size()), drifted, penguins.accuracy(), penguins.accuracyDrop(), penguins.feedback());
    }

    @Bean
    AlertEvaluator alertEvaluator(MonitoringProperties props, BulwarkProperties bulwark, Monitor monitor,
                                  JsonMapper json, Clock clock) {
        List<AlertSink> sinks = new ArrayList<>();
        if (props.webhookUrl() != null && !props.webhookUrl().toString().isBlank()) {
            sinks.add(new WebhookSink(props.webhookUrl(), props.webhookTimeout(), json));
        }
        List<AlertRule> rules = props.rules(AlertRules.defaults(bulwark.classifier().accuracyAlertMargin(),
                bulwark.classifier().feedback().minFeedback()));
        AlertEvaluator evaluator = new AlertEvaluator(rules, monitor, clock, sinks, props.historyOrDefault());
        log.info("Alert rules (evaluated every {} over a {} window): {}{}", props.evaluateEvery(), props.window(),
                rules.stream().map(r -> r.name() + ": " + r.condition() + " (min " + r.minRequests() + " requests)").toList(),
                sinks.isEmpty() ? "" : "; transitions posted to " + sinks);
        return evaluator;
    }

    @Bean
    Recommendations recommendations(BulwarkProperties props, SentimentChain chain) {
        Double threshold = chain.semanticStats().isPresent() ? props.cache().semantic().threshold() : null;
        return new Recommendations(Recommendations.Targets.defaults(threshold));
    }

    /** Evaluates the rules on a daemon thread; an evaluation that throws is logged and the next one still runs. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService alertSchedule(MonitoringProperties props, Monitor monitor, AlertEvaluator evaluator) {
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulwark-alerts");
            t.setDaemon(true);
            return t;
        });
        long every = props.evaluateEvery().toMillis();
        schedule.scheduleWithFixedDelay(() -> {
            try {
                monitor.tick();
                evaluator.evaluate();
            } catch (RuntimeException e) {
                log.error("Alert evaluation failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return schedule;
    }

    /** Hears every function call (as the monitor does) for the Micrometer meters. */
    @Bean
    FunctionMeters functionMeters(MeterRegistry registry) {
        return new FunctionMeters(registry);
    }

    /** Counts the digit answers by variant, degradation, fallback and result, for Prometheus. */
    @Bean
    io.bulwark.functions.monitoring.DigitMeters digitMeters(MeterRegistry registry) {
        return new io.bulwark.functions.monitoring.DigitMeters(registry);
    }

    /**
     * Publishes each classifier version's and digit variant's circuit breaker ({@code bulwark.breaker.open}, tags
     * {@code function} predict or digits and {@code model}) once a call has used it: versions come and go at run time.
     */
    @Bean
    io.bulwark.functions.monitoring.ModelBreakerMeters modelBreakerMeters(MeterRegistry registry,
            ObjectProvider<io.bulwark.models.ClassifierBoundary<?>> boundary,
            ObjectProvider<io.bulwark.models.digits.DigitService> digits) {
        return new io.bulwark.functions.monitoring.ModelBreakerMeters(registry,
                () -> modelBreakers(boundary.getIfAvailable(), null),
                () -> modelBreakers(null, digits.getIfAvailable()));
    }

    /** Writes each function call's log line. */
    @Bean
    RequestLog requestLog() {
        return new RequestLog();
    }

    /**
     * Hears every function call for CloudWatch (EMF lines on standard output): on by default on AWS Lambda
     * ({@link CloudDefaults}). The breakers are read after sentiment calls only, so a cold instance serving another
     * function does not build the chain for them.
     */
    @Bean
    @ConditionalOnBooleanProperty("bulwark.metrics.emf.enabled")
    EmfMetrics emfMetrics(MetricsProperties metrics, ObjectProvider<SentimentChain> chain, Clock clock,
                          JsonMapper json, ObjectProvider<io.bulwark.models.ClassifierBoundary<?>> boundary,
                          ObjectProvider<io.bulwark.models.digits.DigitService> digits) {
        log.info("CloudWatch EMF metrics on standard output, namespace {}", metrics.emf().namespace());
        return new EmfMetrics(metrics.emf().namespace(), clock, () -> chain.getObject().breakerStates(),
                EmfMetrics.STDOUT, json, () -> modelBreakers(boundary.getIfAvailable(), null),
                () -> modelBreakers(null, digits.getIfAvailable()));
    }

    @Bean
    MeterBinder monitoringMeters(AlertEvaluator evaluator, SentimentChain chain,
                                 ClassifierService<?> classifier,
                                 ObjectProvider<io.bulwark.models.ClassifierBoundary<?>> boundaries,
                                 ObjectProvider<io.bulwark.models.digits.DigitService> digitServices) {
        return registry -> {
            // Shadow predictions (bulwark.classifier.shadow-version) by outcome: never thrown, counted here.
            io.bulwark.models.ClassifierBoundary<?> boundary = boundaries.getIfAvailable();
            if (boundary != null) {
                Map<String, java.util.function.ToDoubleFunction<io.bulwark.models.ClassifierBoundary<?>>> outcomes =
                        new java.util.LinkedHashMap<>();
                outcomes.put("answered", b -> b.shadowStats().answered());
                outcomes.put("failed", b -> b.shadowStats().failed());
                outcomes.put("timed_out", b -> b.shadowStats().timedOut());
                outcomes.put("skipped", b -> b.shadowStats().skipped());
                outcomes.forEach((outcome, read) -> io.micrometer.core.instrument.FunctionCounter
                        .builder("bulwark.classifier.shadow", boundary, read).tag("function", "predict")
                        .tag("outcome", outcome).description("shadow predictions by outcome (answered, failed,"
                                + " timed_out, skipped for want of a free bulkhead place)").register(registry));
            }
            // The promoted digit version's live accuracy, as the penguins' below (read through the provider: the
            // digit service may be made lazily).
            Gauge.builder("bulwark.accuracy.live", digitServices, p -> {
                        Summary.DigitModel m = digitModel(p.getIfAvailable());
                        return m.liveAccuracy() == null ? Double.NaN : m.liveAccuracy();
                    }).tag("function", "digits").description("the promoted digit version's accuracy on its last"
                            + " feedback labels; NaN without feedback").register(registry);
            Gauge.builder("bulwark.accuracy.feedback", digitServices, p -> digitModel(p.getIfAvailable()).feedback())
                    .tag("function", "digits").description("feedback labels the promoted digit version's live"
                            + " accuracy rests on").register(registry);
            // The chain's models are fixed once it is built: one gauge per model and state.
            for (String model : chain.breakerStates().keySet()) {
                for (String state : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
                    Gauge.builder("bulwark.breaker.state", chain, c -> state.equals(c.breakerStates().get(model)) ? 1 : 0)
                            .tag("function", "sentiment").tag("model", model)
                            .tag("state", state.toLowerCase(java.util.Locale.ROOT))
                            .description("1 for the current state of the model's LLM circuit breaker")
                            .register(registry);
                }
            }
            for (AlertRule rule : evaluator.rules()) {
                Gauge.builder("bulwark.alerts.firing", evaluator, e -> e.alerts().firing().stream()
                                .anyMatch(s -> s.rule().equals(rule.name())) ? 1 : 0)
                        .tag("rule", rule.name()).description("1 while the alert rule is firing").register(registry);
            }
            // The serving version's drift, read off its report (computed again only when its window changed).
            Gauge.builder("bulwark.drift.drifted.features", classifier, c -> driftFigure(c, r -> r.drifted().size()))
                    .tag("function", "predict").description("features of the serving classifier version that drifted;"
                            + " NaN while its drift window is below its minimum").register(registry);
            Gauge.builder("bulwark.drift.window.size", classifier, c -> c.drift(c.serving()).window().size())
                    .tag("function", "predict").description("served inputs in the serving version's drift window")
                    .register(registry);
            for (String feature : classifier.driftFeatureNames()) {
                for (String test : List.of("ks", "chi_square", "psi")) {
                    Gauge.builder("bulwark.drift.statistic", classifier, c -> driftFigure(c, r -> r.features().stream()
                                    .filter(f -> f.feature().equals(feature)).flatMap(f -> f.tests().stream())
                                    .filter(t -> t.test().equals(test)).mapToDouble(DriftReport.Test::statistic)
                                    .findFirst().orElse(Double.NaN)))
                            .tag("function", "predict").tag("feature", feature).tag("test", test)
                            .description("a drift test's statistic for one feature of the serving version")
                            .register(registry);
                }
            }
            Gauge.builder("bulwark.accuracy.live", classifier, c -> {
                        LiveAccuracy a = c.feedback().accuracy(c.serving());
                        return a.liveAccuracy() == null ? Double.NaN : a.liveAccuracy();
                    }).tag("function", "predict").description("the serving classifier version's accuracy on its last"
                            + " feedback labels; NaN without feedback").register(registry);
            Gauge.builder("bulwark.accuracy.feedback", classifier, c -> c.feedback().accuracy(c.serving()).feedback())
                    .tag("function", "predict").description("feedback labels the serving version's live accuracy rests on")
                    .register(registry);
            Gauge.builder("bulwark.model.promoted.version", classifier,
                            c -> Double.parseDouble(c.promoted().substring(1)))
                    .tag("function", "predict").description("the number N of the promoted classifier version vN")
                    .register(registry);
        };
    }

    /** A figure of the serving version's drift report, NaN while it has no verdict. */
    private static double driftFigure(ClassifierService<?> classifier,
                                      java.util.function.ToDoubleFunction<DriftReport> figure) {
        DriftReport r = classifier.drift(classifier.serving());
        return DriftReport.DRIFT.equals(r.verdict()) || DriftReport.NO_DRIFT.equals(r.verdict())
                ? figure.applyAsDouble(r) : Double.NaN;
    }

    /**
     * Readiness: the classifier's serving version and the local sentiment model are loaded. The LLM breakers are
     * details, not readiness: with a breaker open the fallbacks still answer.
     */
    @Bean
    HealthIndicator modelsHealthIndicator(ClassifierService<?> classifier, SentimentChain chain,
                                          BulwarkProperties props) {
        return () -> {
            try {
                ClassifierService.Selected serving = classifier.select(null);
                Map<String, String> breakers = chain.breakerStates();
                String worst = BreakerStates.worst(breakers);
                return Health.up()
                        .withDetail("classifier", Map.of("serving", serving.version(), "promoted", classifier.promoted()))
                        .withDetail("sentiment", Map.of("llm", props.llm().enabled() ? props.llm().cheapModel() : "none",
                                "breaker", worst == null ? "none" : worst, "breakers", breakers,
                                "semantic_cache", chain.semanticStats().isPresent()))
                        .build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("classifier", "no servable version: " + e.getMessage()).build();
            }
        };
    }
}
