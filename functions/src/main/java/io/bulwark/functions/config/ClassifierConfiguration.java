package io.bulwark.functions.config;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierBoundary;
import io.bulwark.models.ClassifierService;
import io.bulwark.functions.classifier.ClassifierBoundaryProperties;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.functions.classifier.AdminAuth;
import io.bulwark.functions.classifier.DatasetsFunction;
import io.bulwark.functions.classifier.EvaluateFunction;
import io.bulwark.functions.classifier.IngestDatasetFunction;
import io.bulwark.functions.classifier.DriftFunction;
import io.bulwark.functions.classifier.JobsCancelFunction;
import io.bulwark.functions.classifier.JobsFunction;
import io.bulwark.functions.classifier.TuneFunction;
import io.bulwark.models.jobs.JobRunner;
import io.bulwark.functions.classifier.AccuracyFunction;
import io.bulwark.functions.classifier.FeedbackFunction;
import io.bulwark.functions.classifier.ModelsFunction;
import io.bulwark.functions.classifier.PredictBatchFunction;
import io.bulwark.functions.classifier.PredictFunction;
import io.bulwark.functions.classifier.PredictionLogger;
import io.bulwark.functions.classifier.PromoteFunction;
import io.bulwark.functions.classifier.RollbackFunction;
import io.bulwark.functions.classifier.TrainFunction;
import io.bulwark.models.dataset.DatasetSettings;
import io.bulwark.models.dataset.DatasetStore;
import io.bulwark.models.dataset.HttpSource;
import io.bulwark.models.dataset.JdbcSource;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.state.S3RegistryStorage;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.resilience.Ticker;
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
 * Wires the penguin classifier: the registry (the shipped v1 copied into it at start-up when it is empty), the service,
 * the admin token, and the classifier's functions.
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
                new ModelTrainer<>(PenguinModelType.bundled(), clock), settings, cache, c.drift().settings(),
                c.feedback().settings(c.accuracyAlertMargin()));
        long start = ticker.read();
        // An empty registry gets the shipped v1 (a copy, not a training: see ClassifierService.ensureInitialVersion).
        // The serving version is not loaded here: the first /predict (or the readiness probe, or SnapStart's priming
        // before the snapshot) loads it, so a start that only answers /sentiment does not load Tribuo's model. One
        // that cannot load answers 503 model_unavailable then, and readiness is down, as before.
        String promoted = service.ensureInitialVersion();
        log.info("Classifier: registry {} has {}; {} is promoted, {} serves by default; installed in {} ms, loads on "
                        + "first use", registry.location(), registry.versions(), promoted,
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

    /**
     * The error boundary around /predict and /predict_batch: deadline, a breaker per version, bulkhead, fallback
     * versions, uncertain.
     */
    @Bean
    ClassifierBoundary<Penguin> classifierBoundary(ClassifierService<Penguin> service,
                                                   ClassifierBoundaryProperties boundary, Ticker ticker,
                                                   Clock clock) {
        ClassifierBoundary<Penguin> b = ClassifierBoundary.of(service, boundary.settings(), ticker, clock);
        log.info("Classifier boundary: {}", b.describe());
        return b;
    }

    @Bean
    PredictFunction<Penguin> predict(JsonMapper json, ClassifierBoundary<Penguin> boundary, PredictionLogger logger,
                                     Ticker ticker, BulwarkProperties props) {
        return new PredictFunction<>(json, boundary, logger, ticker, props.classifier().shadowVersion());
    }

    @Bean
    PredictBatchFunction<Penguin> predictBatch(JsonMapper json, ClassifierBoundary<Penguin> boundary,
                                               PredictionLogger logger, BulwarkProperties props, Ticker ticker) {
        return new PredictBatchFunction<>(json, boundary, logger, props.classifier().maxBatchRows(), ticker);
    }

    @Bean
    TrainFunction train(JsonMapper json, ClassifierService<Penguin> service, AdminAuth auth,
                        DatasetStore<Penguin> datasets) {
        return new TrainFunction(json, service, auth, datasets);
    }

    /**
     * The dataset versions, beside the model versions: {@code <registry>/datasets/}; with a registry on S3, on this
     * instance's disk ({@code java.io.tmpdir/bulwark-datasets}): datasets are not shared by a fleet yet.
     */
    @Bean
    DatasetStore<Penguin> datasetStore(BulwarkProperties props, ClassifierService<Penguin> service, JsonMapper json,
                                       Clock clock) {
        java.nio.file.Path root = props.classifier().s3()
                ? java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "bulwark-datasets")
                : java.nio.file.Path.of(props.classifier().registry()).resolve("datasets");
        return new DatasetStore<>(root, service.type(), json, clock,
                props.datasets().toSettings().maxRows());
    }

    @Bean
    IngestDatasetFunction<Penguin> ingestDataset(JsonMapper json, ClassifierService<Penguin> service, AdminAuth auth,
                                                 DatasetStore<Penguin> store, BulwarkProperties props) {
        DatasetSettings settings = props.datasets().toSettings();
        log.info("Datasets: {} in {}; connections {}; HTTP hosts allowed {}", store.list().size(), store.root(),
                settings.connections().keySet(), settings.allowedHosts());
        return new IngestDatasetFunction<>(json, service, auth, store, new JdbcSource(settings),
                new HttpSource(settings), settings.rejectedShown());
    }

    @Bean
    DatasetsFunction<Penguin> datasets(JsonMapper json, ClassifierService<Penguin> service, AdminAuth auth,
                                       DatasetStore<Penguin> store, BulwarkProperties props) {
        return new DatasetsFunction<>(json, service, auth, store, props.datasets().toSettings().rejectedShown());
    }

    @Bean
    EvaluateFunction<Penguin> evaluate(JsonMapper json, ClassifierService<Penguin> service,
                                       DatasetStore<Penguin> datasets, BulwarkProperties props) {
        return new EvaluateFunction<>(json, service, datasets, props.classifier().maxBatchRows());
    }

    @Bean
    ModelsFunction models(JsonMapper json, ClassifierService<Penguin> service) {
        return new ModelsFunction(json, service);
    }

    @Bean
    DriftFunction drift(JsonMapper json, ClassifierService<Penguin> service,
                        org.springframework.beans.factory.ObjectProvider<io.bulwark.models.digits.DigitService> digits) {
        return new DriftFunction(json, service, digits.getIfAvailable());
    }

    @Bean
    FeedbackFunction feedback(JsonMapper json, ClassifierService<Penguin> service, PredictionLogger logger,
                              org.springframework.beans.factory.ObjectProvider<io.bulwark.models.digits.DigitService>
                                      digits) {
        return new FeedbackFunction(json, service, logger, digits.getIfAvailable());
    }

    @Bean
    AccuracyFunction accuracy(JsonMapper json, ClassifierService<Penguin> service,
                              org.springframework.beans.factory.ObjectProvider<io.bulwark.models.digits.DigitService>
                                      digits) {
        return new AccuracyFunction(json, service, digits.getIfAvailable());
    }

    /**
     * Checks the retraining policy on a daemon thread when it is enabled (bulwark.classifier.retrain.enabled); a check
     * that throws is logged and the next one still runs.
     */
    @Bean(destroyMethod = "shutdownNow")
    java.util.concurrent.ScheduledExecutorService retrainSchedule(BulwarkProperties props,
                                                                  ClassifierService<Penguin> service, Clock clock) {
        java.util.concurrent.ScheduledExecutorService schedule = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "bulwark-retrain");
                    t.setDaemon(true);
                    return t;
                });
        BulwarkProperties.Retrain r = props.classifier().retrain();
        io.bulwark.models.retrain.RetrainPolicy policy = r.policy();
        if (!policy.enabled()) {
            return schedule;
        }
        log.info("Continual learning on: {} checked every {}", policy, r.checkEvery());
        long every = r.checkEvery().toMillis();
        schedule.scheduleWithFixedDelay(() -> {
            try {
                ClassifierService.Retrained done = service.retrainIfDue(policy, clock.instant());
                if (done.trained() != null) {
                    log.info("Retrained on {}: {}", done.trigger(), done.trained().message());
                }
            } catch (RuntimeException e) {
                log.error("Retraining check failed", e);
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        return schedule;
    }

    /** Runs tuning off the request thread; stopped with the context. */
    @Bean(destroyMethod = "close")
    JobRunner jobRunner(BulwarkProperties props, Clock clock) {
        BulwarkProperties.Jobs j = props.jobs();
        return new JobRunner(j.workers(), j.maxQueued(), j.maxKept(), clock);
    }

    @Bean
    TuneFunction tune(JsonMapper json, ClassifierService<Penguin> service, AdminAuth auth, JobRunner jobs,
                      Ticker ticker) {
        return new TuneFunction(json, service, auth, jobs, ticker);
    }

    @Bean
    JobsFunction jobs(JsonMapper json, JobRunner jobs) {
        return new JobsFunction(json, jobs);
    }

    @Bean
    JobsCancelFunction jobsCancel(JsonMapper json, ClassifierService<Penguin> service, AdminAuth auth,
                                  JobRunner jobs) {
        return new JobsCancelFunction(json, service, auth, jobs);
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
