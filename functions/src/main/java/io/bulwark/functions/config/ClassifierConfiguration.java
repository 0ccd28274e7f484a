package io.bulwark.functions.config;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.functions.classifier.AdminAuth;
import io.bulwark.functions.classifier.ModelsFunction;
import io.bulwark.functions.classifier.PredictBatchFunction;
import io.bulwark.functions.classifier.PredictFunction;
import io.bulwark.functions.classifier.PredictionLogger;
import io.bulwark.functions.classifier.PromoteFunction;
import io.bulwark.functions.classifier.RollbackFunction;
import io.bulwark.functions.classifier.TrainFunction;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.state.S3RegistryStorage;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.resilience.cache.ExactCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;

/**
 * Wires the penguin classifier: the registry (v1 trained into it at start-up when it is empty), the service,
 * the admin token, and the six functions.
 */
@Configuration(proxyBeanMethods = false)
class ClassifierConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClassifierConfiguration.class);

    @Bean
    ClassifierService<Penguin> classifierService(BulwarkProperties props, JsonMapper json, Clock clock, Ticker ticker) {
        BulwarkProperties.Classifier c = props.classifier();
        ClassifierSettings settings = new ClassifierSettings(c.confidenceThreshold(), c.defaultVersion(),
                ClassifierSettings.AutoPromote.valueOf(c.autoPromote().strip().toUpperCase(Locale.ROOT).replace('-', '_')),
                c.promoteMetric(), c.splitSeed(), c.testFraction(), c.seed());
        ModelRegistry registry = c.s3()
                ? new ModelRegistry(S3RegistryStorage.open(c.registry(), c.registryEndpoint(), c.registryPoll()), json)
                : new ModelRegistry(java.nio.file.Path.of(c.registry()), json);
        ExactCache<Answer> cache = ExactCache.create(props.cache().exact().maximumSize(), props.cache().exact().ttl(),
                ticker);
        ClassifierService<Penguin> service = new ClassifierService<>(registry,
                new ModelTrainer<>(PenguinModelType.bundled(), clock), settings, cache);
        long start = ticker.read();
        String promoted = service.ensureInitialVersion();
        try {
            service.select(null); // load the serving version now, not on the first request
        } catch (RequestRejected e) {
            // One unreadable model file must not keep the other functions from starting: /predict answers 503
            // (and readiness is down) until an admin promotes, rolls back or trains.
            log.error("Classifier: {}; /predict and /predict_batch answer 503 until another version is promoted, "
                    + "rolled back to or trained; the other functions serve", e.getMessage());
            return service;
        }
        log.info("Classifier: registry {} has {}; {} is promoted, {} serves by default; ready in {} ms",
                registry.location(), registry.versions(), promoted,
                settings.defaultVersion() != null ? settings.defaultVersion() : promoted,
                (ticker.read() - start) / 1_000_000);
        return service;
    }

    /**
     * The admin token. With none configured a random one is generated and shown once the runner has started: train,
     * promote and rollback stay usable on a laptop, while nobody who cannot read this process's output can call them.
     */
    @Bean
    AdminToken adminToken(BulwarkProperties props) {
        return AdminToken.of(props.adminToken(), new SecureRandom());
    }

    @Bean
    AdminAuth adminAuth(AdminToken token) {
        return new AdminAuth(token.value());
    }

    @Bean
    PredictionLogger classifierPredictionLogger(PredictionLog predictionLog, BulwarkProperties props, Clock clock) {
        return new PredictionLogger(predictionLog, props.predictionLog().redactInputs(),
                props.predictionLog().required(), clock);
    }

    @Bean
    PredictFunction<Penguin> predict(JsonMapper json, ClassifierService<Penguin> service, PredictionLogger logger,
                                     Ticker ticker) {
        return new PredictFunction<>(json, service, logger, ticker);
    }

    @Bean
    PredictBatchFunction<Penguin> predictBatch(JsonMapper json, ClassifierService<Penguin> service,
                                               PredictionLogger logger, BulwarkProperties props, Ticker ticker) {
        return new PredictBatchFunction<>(json, service, logger, props.classifier().maxBatchRows(), ticker);
    }

    @Bean
    TrainFunction train(JsonMapper json, ClassifierService<Penguin> service, AdminAuth auth) {
        return new TrainFunction(json, service, auth);
    }

    @Bean
    ModelsFunction models(JsonMapper json, ClassifierService<Penguin> service) {
        return new ModelsFunction(json, service);
    }

    @Bean
    PromoteFunction promote(JsonMapper json, ClassifierService<Penguin> service, AdminAuth auth) {
        return new PromoteFunction(json, service, auth);
    }

    @Bean
    RollbackFunction rollback(JsonMapper json, ClassifierService<Penguin> service, AdminAuth auth) {
        return new RollbackFunction(json, service, auth);
    }
}
