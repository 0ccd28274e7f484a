package io.bulwark.functions.digits;

import io.bulwark.models.digits.DigitModelType;
import io.bulwark.models.digits.DigitService;
import io.bulwark.models.digits.DigitVersions;
import io.bulwark.models.digits.ImageLimits;
import io.bulwark.models.digits.Variant;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.resilience.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wires the digit recogniser: its registry (the shipped v1 installed when empty), the service and two functions. */
@Configuration(proxyBeanMethods = false)
public class DigitsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DigitsConfiguration.class);

    @Bean
    DigitService digitService(DigitsProperties props, io.bulwark.functions.config.BulwarkProperties bulwark,
                              JsonMapper json, Ticker ticker, java.time.Clock clock,
                              io.bulwark.functions.classifier.ClassifierBoundaryProperties boundary) {
        Variant variant;
        try {
            variant = Variant.parse(props.variant(), "bulwark.digits.variant");
        } catch (RequestRejected e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        DigitService service = new DigitService(new DigitVersions(new ModelRegistry(props.registry(), json), json),
                DigitModelType.bundled(new ImageLimits(props.maxImageBytes(), props.maxImagePixels())),
                new DigitService.Settings(props.confidenceThreshold(), variant, DigitService.Settings.DEFAULT_CHUNK,
                        props.maxBatch(), props.maxConcurrent(), props.queueWait()),
                bulwark.classifier().drift().settings(), new io.bulwark.models.VersionBreakers("digits",
                boundary.breaker().toConfig(), clock, ticker));
        long start = ticker.read();
        // Installed (into an empty registry) but not loaded: ONNX Runtime and the version's sessions load on the first
        // digit request (or SnapStart's priming, before the snapshot), not in every start of a runtime that may only
        // ever answer /sentiment. A version that cannot load answers 503 model_unavailable then, as before.
        String promoted = service.install();
        log.info("Digits: registry {}; {} serves, variant {} by default; installed in {} ms, loads on first use",
                props.registry(), promoted, variant.wire(), (ticker.read() - start) / 1_000_000);
        return service;
    }

    @Bean
    DigitsFunction digits(JsonMapper json, DigitService service, Ticker ticker,
                          io.bulwark.functions.classifier.PredictionLogger predictions) {
        return new DigitsFunction(json, service, ticker, predictions);
    }

    @Bean
    DigitsBatchFunction digitsBatch(JsonMapper json, DigitService service, Ticker ticker,
                                    io.bulwark.functions.classifier.PredictionLogger predictions) {
        return new DigitsBatchFunction(json, service, ticker, predictions);
    }
}
