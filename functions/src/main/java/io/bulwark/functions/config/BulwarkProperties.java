package io.bulwark.functions.config;

import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.router.RouterConfig;
import io.bulwark.functions.sentiment.SentimentFunction;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.drift.DriftSettings;
import io.bulwark.models.feedback.FeedbackSettings;
import io.bulwark.models.predictionlog.PostgresSettings;
import io.bulwark.models.retrain.RetrainPolicy;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.ErrorBoundary;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code bulwark.*} settings. Every one has a default, so the app starts with none given. A default that a library
 * also needs lives in that library as a named constant and is filled in here when the property is not set, so it is
 * written once.
 * <p>
 * The {@code @param} tags of these records are the properties' descriptions in the configuration metadata IDEs read
 * ({@code META-INF/spring-configuration-metadata.json}), copied as they are: plain text, no Javadoc tags. A default
 * filled in from a library constant is repeated in {@code additional-spring-configuration-metadata.json};
 * ConfigurationMetadataTest checks the two agree.
 *
 * @param llm           the OpenAI-compatible endpoint and its models
 * @param sentiment     the sentiment function's deadline and limits
 * @param cache         the exact-match and semantic caches
 * @param breaker       the circuit breaker of each LLM model
 * @param cost          prices and the daily budget
 * @param router        the cost router
 * @param classifier    the penguin classifier
 * @param predictionLog the prediction log shared by the functions
 * @param datasets      where POST /datasets may read from, and its caps
 * @param state         the state a fleet of instances shares on Redis (budget, rate limits, breaker news)
 * @param adminToken    the bearer token of the operator endpoints, never logged; unset or empty: one is generated at
 *                      start-up and shown once
 * @param jobs          the runner of long work (POST /tune)
 */
@ConfigurationProperties("bulwark")
public record BulwarkProperties(@DefaultValue Llm llm, @DefaultValue Sentiment sentiment,
                                @DefaultValue Cache cache, @DefaultValue Breaker breaker, @DefaultValue Cost cost,
                                @DefaultValue Router router, @DefaultValue Classifier classifier,
                                @DefaultValue PredictionLog predictionLog, @DefaultValue State state,
                                String adminToken, @DefaultValue Datasets datasets, @DefaultValue Jobs jobs) {

    /**
     * The runner of long work (POST /tune), in process.
     *
     * @param workers   jobs run at once
     * @param maxQueued jobs waiting for a worker; a submission past them is refused with 503 jobs_busy
     * @param maxKept   finished jobs kept for GET /jobs (the oldest dropped first)
     */
    public record Jobs(Integer workers, Integer maxQueued, Integer maxKept) {

        public Jobs {
            workers = or(workers, io.bulwark.models.jobs.JobRunner.DEFAULT_WORKERS);
            maxQueued = or(maxQueued, io.bulwark.models.jobs.JobRunner.DEFAULT_MAX_QUEUED);
            maxKept = or(maxKept, io.bulwark.models.jobs.JobRunner.DEFAULT_MAX_KEPT);
        }
    }

    @Override
    public String toString() {
        return "BulwarkProperties[llm=" + llm + ", sentiment=" + sentiment + ", cache=" + cache + ", breaker=" + breaker
                + ", cost=" + cost + ", router=" + router + ", classifier=" + classifier + ", predictionLog="
                + predictionLog + ", state=" + state + ", adminToken="
                + (adminToken == null || adminToken.isBlank() ? "none" : "****") + ", datasets=" + datasets + ", jobs=" + jobs + "]";
    }

    /**
     * Datasets (POST /datasets): the databases and hosts they may come from, and the caps of one ingest.
     *
     * @param connections   the databases a jdbc source may name, by name: url (a JDBC URL, SQLite or PostgreSQL), user
     *                      and password; credentials come from here (or a secret in the environment), never from a
     *                      request
     * @param http          HTTP(S) sources
     * @param maxRows       most rows one ingest reads, accepted and rejected (413 beyond)
     * @param queryTimeout  the time a dataset query may run
     * @param rejectedShown rejected rows listed in an answer (every one is kept in the version's report)
     */
    public record Datasets(java.util.Map<String, Connection> connections, @DefaultValue Http http, Long maxRows,
                           Duration queryTimeout, Integer rejectedShown) {

        public Datasets {
            maxRows = or(maxRows, io.bulwark.models.dataset.DatasetSettings.DEFAULT_MAX_ROWS);
            queryTimeout = or(queryTimeout, io.bulwark.models.dataset.DatasetSettings.DEFAULT_QUERY_TIMEOUT);
            rejectedShown = or(rejectedShown, io.bulwark.models.dataset.DatasetSettings.DEFAULT_REJECTED_SHOWN);
        }

        /**
         * A database a jdbc source may name.
         *
         * @param url      the JDBC URL, e.g. jdbc:sqlite:/data/lab.db or jdbc:postgresql://db:5432/lab
         * @param user     the user, if the database wants one
         * @param password the password, never logged
         */
        public record Connection(String url, String user, String password) {
            @Override
            public String toString() {
                return "Connection[url=" + url + ", user=" + user + ", password="
                        + (password == null || password.isEmpty() ? "none" : "****") + "]";
            }
        }

        /**
         * HTTP(S) dataset sources.
         *
         * @param allowedHosts  the hosts a URL may name (host or host:port); a name admits public addresses only,
         *                      a loopback, link-local or private address must be listed itself (or localhost); empty:
         *                      no HTTP source
         * @param maxBytes      most bytes a source may send (413 beyond)
         * @param timeout       time a fetch may take, connection to last byte
         * @param maxRedirects  redirects followed, each checked against the allowed hosts
         */
        public record Http(java.util.List<String> allowedHosts, DataSize maxBytes, Duration timeout,
                           Integer maxRedirects) {
            public Http {
                maxBytes = or(maxBytes, DataSize.ofBytes(io.bulwark.models.dataset.DatasetSettings.DEFAULT_MAX_BYTES));
                timeout = or(timeout, io.bulwark.models.dataset.DatasetSettings.DEFAULT_HTTP_TIMEOUT);
                maxRedirects = or(maxRedirects, io.bulwark.models.dataset.DatasetSettings.DEFAULT_MAX_REDIRECTS);
            }
        }

        /** Returns the library's settings, checked. */
        public io.bulwark.models.dataset.DatasetSettings toSettings() {
            java.util.Map<String, io.bulwark.models.dataset.DatasetSettings.JdbcConnection> c = new java.util.TreeMap<>();
            if (connections != null) {
                connections.forEach((name, v) -> c.put(name, new io.bulwark.models.dataset.DatasetSettings.JdbcConnection(
                        v.url(), v.user(), v.password())));
            }
            return new io.bulwark.models.dataset.DatasetSettings(c,
                    http.allowedHosts() == null ? java.util.List.of() : http.allowedHosts(), maxRows,
                    http.maxBytes().toBytes(), http.timeout(), http.maxRedirects(), queryTimeout, rejectedShown);
        }
    }

    /**
     * The state a fleet of instances shares (see the README, "Running many instances"). Blank redis-url: every
     * instance keeps its own, in process (the default).
     *
     * @param redisUrl    the Redis that the fleet shares, e.g. redis://host:6379 or rediss://user:password@host:6380;
     *                    blank: in-process state, nothing shared
     * @param keyPrefix   put before every Redis key and channel, so that several deployments can share one Redis
     * @param timeout     the longest a request waits for one Redis command before it decides from in-process state
     * @param retry       after a failed Redis command, how long requests skip Redis (and how often a lost connection
     *                    is re-opened)
     * @param breakerNews tell the other instances when an LLM's circuit breaker opens, and open this instance's when
     *                    theirs did
     */
    public record State(String redisUrl, String keyPrefix, Duration timeout, Duration retry,
                        @DefaultValue("true") boolean breakerNews) {

        public State {
            keyPrefix = or(keyPrefix, io.bulwark.state.StateConfig.DEFAULT_KEY_PREFIX);
            timeout = or(timeout, io.bulwark.state.StateConfig.DEFAULT_TIMEOUT);
            retry = or(retry, io.bulwark.state.StateConfig.DEFAULT_RETRY);
        }

        /** Returns true when a Redis is configured. */
        public boolean shared() {
            return redisUrl != null && !redisUrl.isBlank();
        }

        /** Returns the library's configuration; only when {@link #shared()}. */
        public io.bulwark.state.StateConfig toConfig() {
            return new io.bulwark.state.StateConfig(redisUrl, keyPrefix, timeout, retry);
        }

        @Override
        public String toString() {
            return shared() ? toConfig() + (breakerNews ? ", breaker news" : ", no breaker news")
                    : "in process (bulwark.state.redis-url is blank)";
        }
    }

    /**
     * The penguin classifier.
     *
     * @param registry            the model registry: a directory (created if missing), or s3://bucket/prefix on
     *                              S3-compatible storage shared by every instance; v1 is trained into it when empty
     * @param registryEndpoint    with an s3:// registry, the endpoint of an S3-compatible server (MinIO, Ceph, ...);
     *                              blank: AWS S3 (credentials and region from the default AWS chain)
     * @param registryPoll        with an s3:// registry, how often each instance reads the promotion pointer (by its
     *                              ETag): a promotion or rollback reaches every instance within it
     * @param defaultVersion      the version serving requests without an X-Model-Version header; blank for the
     *                            promoted one
     * @param confidenceThreshold below it, the answer is "uncertain" with a best guess
     * @param autoPromote         when a newly trained version is promoted: if-not-worse, always or never
     * @param promoteMetric       what if-not-worse compares, e.g. macro_f1 or accuracy; unset: the model type's first
     *                            metric (macro_f1 for penguins)
     * @param splitSeed           seed of the train/held-out split every version shares
     * @param testFraction        share of the data held out for measuring every version
     * @param seed                algorithm seed when /train gives none
     * @param maxBatchRows        most rows /predict_batch takes in one request
     * @param drift               how the inputs each version serves are compared with its training features
     * @param feedback            how POST /feedback labels are joined to served predictions and measured
     * @param accuracyAlertMargin the accuracy-drop alert fires when the serving version's live accuracy is more than
     *                            this below its held-out accuracy
     * @param retrain             continual learning: when a challenger is trained on the training data plus the
     *                            labelled feedback (off by default)
     * @param shadowVersion       a version (e.g. a challenger not promoted) that also answers every /predict in the
     *                            shadow of the serving one, its answers only logged (predict_shadow); blank: none
     */
    public record Classifier(@DefaultValue("model-registry") String registry, String registryEndpoint,
                             Duration registryPoll, String defaultVersion,
                             Double confidenceThreshold, @DefaultValue("if-not-worse") String autoPromote,
                             String promoteMetric, Long splitSeed, Double testFraction, Long seed,
                             @DefaultValue("100000") int maxBatchRows, @DefaultValue Drift drift,
                             @DefaultValue Feedback feedback, Double accuracyAlertMargin,
                             @DefaultValue Retrain retrain, String shadowVersion) {

        public Classifier {
            registryPoll = or(registryPoll, io.bulwark.state.S3RegistryStorage.DEFAULT_POLL);
            if (registry == null || registry.isBlank()) {
                throw new IllegalArgumentException("bulwark.classifier.registry must be a directory or s3://bucket/prefix");
            }
            confidenceThreshold = or(confidenceThreshold, ClassifierSettings.DEFAULT_CONFIDENCE_THRESHOLD);
            splitSeed = or(splitSeed, TrainingSpec.DEFAULT_SEED);
            testFraction = or(testFraction, TrainingSpec.DEFAULT_TEST_FRACTION);
            seed = or(seed, TrainingSpec.DEFAULT_SEED);
            accuracyAlertMargin = or(accuracyAlertMargin, FeedbackSettings.DEFAULT_ALERT_MARGIN);
            if (maxBatchRows < 1) {
                throw new IllegalArgumentException("bulwark.classifier.max-batch-rows must be at least 1: " + maxBatchRows);
            }
        }

        /** Returns true when the registry is on S3-compatible storage. */
        public boolean s3() {
            return registry.startsWith("s3://");
        }
    }

    /**
     * Continual learning: a challenger trained on the training data plus the labelled feedback, promoted only under
     * the promotion rule.
     *
     * @param enabled        run the policy at all
     * @param onDrift        retrain when the serving version's inputs drifted
     * @param onAccuracyDrop retrain when its live accuracy fell below its held-out accuracy by the margin
     * @param everyFeedback  retrain every this many new feedback labels; 0: not on count alone
     * @param schedule       retrain this long after the last retrain or start-up; unset: not on time alone
     * @param minNewLabels   new feedback labels any retrain needs
     * @param cooldown       the least time between two retrains
     * @param checkEvery     how often the policy is checked
     */
    public record Retrain(@DefaultValue("false") boolean enabled, @DefaultValue("true") boolean onDrift,
                          @DefaultValue("true") boolean onAccuracyDrop, @DefaultValue("0") int everyFeedback,
                          Duration schedule, Integer minNewLabels, Duration cooldown,
                          @DefaultValue("30s") Duration checkEvery) {

        public Retrain {
            minNewLabels = or(minNewLabels, RetrainPolicy.DEFAULT_MIN_NEW_LABELS);
            cooldown = or(cooldown, RetrainPolicy.DEFAULT_COOLDOWN);
            if (checkEvery.toMillis() < 10) {
                throw new IllegalArgumentException("bulwark.classifier.retrain.check-every must be at least 10ms: "
                        + checkEvery);
            }
        }

        /** Returns the policy, checked. */
        public RetrainPolicy policy() {
            return new RetrainPolicy(enabled, onDrift, onAccuracyDrop, everyFeedback, schedule, minNewLabels, cooldown);
        }
    }

    /**
     * Feedback (POST /feedback) and live accuracy (GET /accuracy).
     *
     * @param maxIndexed  served predictions remembered for feedback; feedback on an older one is refused as unknown
     * @param window      the most recent feedback labels live accuracy is measured on, per version
     * @param minFeedback feedback labels a version needs before its live accuracy is compared (and alerted on)
     * @param maxLabelled labelled inputs kept for retraining
     */
    public record Feedback(Integer maxIndexed, Integer window, Integer minFeedback, Integer maxLabelled) {

        public Feedback {
            maxIndexed = or(maxIndexed, FeedbackSettings.DEFAULT_MAX_INDEXED);
            window = or(window, FeedbackSettings.DEFAULT_WINDOW);
            minFeedback = or(minFeedback, FeedbackSettings.DEFAULT_MIN_FEEDBACK);
            maxLabelled = or(maxLabelled, FeedbackSettings.DEFAULT_MAX_LABELLED);
        }

        /** Returns the settings, checked. */
        public FeedbackSettings settings(double alertMargin) {
            return new FeedbackSettings(maxIndexed, window, minFeedback, maxLabelled, alertMargin);
        }
    }

    /**
     * Drift detection (GET /drift, the drift alert): each version's last served inputs against its training profile.
     *
     * @param window       the most recent inputs kept per version, the window compared
     * @param minWindow    inputs a window needs before it gets a verdict
     * @param alpha        the false-alarm rate a whole window may take; each feature's test needs a p-value below
     *                     alpha divided by the number of features
     * @param psiThreshold a feature also needs a population stability index at least this large to drift
     * @param maxVersions  versions whose windows are kept
     */
    public record Drift(Integer window, Integer minWindow, Double alpha, Double psiThreshold, Integer maxVersions) {

        public Drift {
            window = or(window, DriftSettings.DEFAULT_WINDOW);
            minWindow = or(minWindow, DriftSettings.DEFAULT_MIN_WINDOW);
            alpha = or(alpha, DriftSettings.DEFAULT_ALPHA);
            psiThreshold = or(psiThreshold, DriftSettings.DEFAULT_PSI_THRESHOLD);
            maxVersions = or(maxVersions, DriftSettings.DEFAULT_MAX_VERSIONS);
        }

        /** Returns the settings, checked. */
        public DriftSettings settings() {
            return new DriftSettings(window, minWindow, alpha, psiThreshold, maxVersions);
        }
    }

    /**
     * The prediction log shared by the functions.
     *
     * @param backend      where predictions are recorded: jsonl, csv, sqlite, postgres or none
     * @param path         the file; blank for logs/predictions.jsonl (or .csv, .db)
     * @param redactInputs keep only the input's hash, not the input itself
     * @param sync         force every append to the disk (survives power loss as well as a crash; slower)
     * @param maxSize      jsonl and csv: rotate the file before a record would take it past this size; 0: never
     * @param maxFiles     jsonl and csv: rotated files kept (predictions.jsonl.1 newest), older ones deleted
     * @param required     true: a prediction whose record cannot be written is refused (503
     *                     prediction_log_unavailable); false: it is answered, and the failure counted and warned.
     *                     The postgres backend writes after the answer: a record it drops never refuses a request
     * @param postgres     the postgres backend's database and queue
     */
    public record PredictionLog(@DefaultValue("jsonl") String backend, String path,
                                @DefaultValue("false") boolean redactInputs, @DefaultValue("false") boolean sync,
                                DataSize maxSize, Integer maxFiles, @DefaultValue("false") boolean required,
                                @DefaultValue Postgres postgres) {

        public PredictionLog {
            maxSize = or(maxSize, DataSize.ofBytes(
                    io.bulwark.models.predictionlog.PredictionLog.Options.DEFAULT_MAX_SIZE_BYTES));
            maxFiles = or(maxFiles, io.bulwark.models.predictionlog.PredictionLog.Options.DEFAULT_MAX_FILES);
        }

        /** Returns the file logs' options, checked. */
        public io.bulwark.models.predictionlog.PredictionLog.Options options() {
            return new io.bulwark.models.predictionlog.PredictionLog.Options(sync, maxSize.toBytes(), maxFiles);
        }

        /** Returns true when the backend is PostgreSQL. */
        public boolean isPostgres() {
            return "postgres".equalsIgnoreCase(backend.strip());
        }

        /**
         * The PostgreSQL prediction log ({@code backend=postgres}): records are queued in memory and written in
         * batches by one thread; a record is acknowledged when its batch commits.
         *
         * @param url           the JDBC URL, e.g. jdbc:postgresql://db.internal:5432/bulwark (a schema by
         *                      ?currentSchema=...); the table predictions is created or migrated at start
         * @param username      the database role
         * @param password      the role's password; never logged
         * @param queueCapacity records waiting in memory for the writer; when full, a new record is dropped and
         *                      counted (bulwark.prediction_log.dropped), the request answered all the same. Also the
         *                      bound of what a kill -9 of the app can lose (plus one batch being written)
         * @param batchSize     records inserted and committed in one transaction at most
         */
        public record Postgres(String url, String username, String password, Integer queueCapacity,
                               Integer batchSize) {

            public Postgres {
                queueCapacity = or(queueCapacity, PostgresSettings.DEFAULT_QUEUE_CAPACITY);
                batchSize = or(batchSize, PostgresSettings.DEFAULT_BATCH_SIZE);
            }

            /** Returns the settings, checked (a blank or non-PostgreSQL URL is refused). */
            public PostgresSettings settings() {
                return new PostgresSettings(url == null ? "" : url, username, password, queueCapacity, batchSize);
            }

            @Override
            public String toString() {
                return "Postgres[url=" + url + ", username=" + username + ", password="
                        + (password == null || password.isEmpty() ? "(none)" : "(set)") + ", queueCapacity="
                        + queueCapacity + ", batchSize=" + batchSize + "]";
            }
        }
    }

    /**
     * The OpenAI-compatible endpoint. No LLM is used while {@code baseUrl} is blank.
     *
     * @param baseUrl         the endpoint, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1; blank: no LLM
     * @param apiKey          the endpoint's key; never logged (application.properties falls back to OPENAI_API_KEY)
     * @param cheapModel      the model of the llm-cheap tier
     * @param strongModel     the model of the llm-strong tier, chosen by the cost router for complex texts
     * @param timeout         time limit of the first LLM call, within the deadline
     * @param fallbackTimeout the shorter time limit of the retry after a time-out
     * @param httpTimeout     the HTTP client's own read time-out, a backstop behind the time limits
     * @param maxTokens       output tokens asked of the model for one answer
     * @param limits          rate limits by model id, shared by the fleet when bulwark.state.redis-url is set: rpm
     *                        (requests a minute) and tpm (tokens a minute, the prompt and the most output tokens); 0 or
     *                        unset: no limit; a call over a limit goes to the next cheaper tier at once
     * @param providers       several LLM providers instead of base-url, in order: name, kind (openai or anthropic),
     *                        base-url, api-key, models.cheap and models.strong, weight (share of first choices among
     *                        healthy providers; 0: backup only), limits (by model id: rpm, tpm); each tier is the list
     *                        of the providers that name a model for it, and model_used says provider:model
     * @param cooldown        how long a provider's model that answered 429 without Retry-After is skipped when its
     *                        tier has another choice (with Retry-After: that long)
     * @param reaskSameChoice whether a malformed answer is asked again of the same provider's model when its tier has
     *                        no other choice left (the next provider is always asked first)
     * @param seed            seed of the weighted draw of each request's first provider; unset: a random seed
     * @param hedge           hedged requests, per tier, off by default: a first call that has not answered by the
     *                        tier's recent p90 gets a second call to the tier's next healthy provider
     * @param retry           asking the same provider's model again, when its tier has no other choice left, after
     *                        a malformed answer or a 429 whose wait the deadline cannot hold
     */
    public record Llm(String baseUrl, String apiKey, @DefaultValue("gpt-4o-mini") String cheapModel,
                      @DefaultValue("gpt-4o") String strongModel, Duration timeout, Duration fallbackTimeout,
                      Duration httpTimeout, Integer maxTokens, Map<String, Limit> limits, List<Provider> providers,
                      Duration cooldown, Boolean reaskSameChoice, Long seed, Hedge hedge, Retry retry) {

        /** The kind of API a provider speaks. */
        public static final List<String> KINDS = List.of(Provider.OPENAI, Provider.ANTHROPIC);

        /**
         * One provider of bulwark.llm.providers.
         *
         * @param name    the provider's name, in model_used (name:model), metrics and logs
         * @param kind    openai (any OpenAI-compatible endpoint: OpenAI, Azure OpenAI v1, vLLM, Ollama) or anthropic
         * @param baseUrl the endpoint; for anthropic unset means https://api.anthropic.com/v1
         * @param apiKey  the provider's key, never logged
         * @param models  the provider's model of each tier
         * @param weight  share of first choices among the tier's healthy providers; 0: backup only
         * @param limits  rate limits by model id of this provider
         */
        public record Provider(String name, @DefaultValue("openai") String kind, String baseUrl, String apiKey,
                               @DefaultValue Models models, @DefaultValue("1") int weight, Map<String, Limit> limits) {

            public static final String OPENAI = "openai";
            public static final String ANTHROPIC = "anthropic";

            public Provider {
                limits = limits == null ? Map.of() : Map.copyOf(limits);
                kind = kind == null ? OPENAI : kind.strip().toLowerCase(java.util.Locale.ROOT);
                models = models == null ? new Models(null, null) : models;
                if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
                    throw new IllegalArgumentException("bulwark.llm.providers[n].name must be set, with letters,"
                            + " digits, '.', '-' or '_' only: " + name);
                }
                if (!KINDS.contains(kind)) {
                    throw new IllegalArgumentException("bulwark.llm.providers[n].kind of " + name + " must be one of "
                            + KINDS + ": " + kind);
                }
                if (OPENAI.equals(kind) && (baseUrl == null || baseUrl.isBlank())) {
                    throw new IllegalArgumentException("bulwark.llm.providers[n].base-url of " + name
                            + " must be set for an openai provider");
                }
                if (blank(models.cheap()) && blank(models.strong())) {
                    throw new IllegalArgumentException("bulwark.llm.providers[n].models of " + name
                            + " must name a cheap or a strong model");
                }
                if (weight < 0) {
                    throw new IllegalArgumentException("bulwark.llm.providers[n].weight of " + name
                            + " must not be negative: " + weight);
                }
            }

            /** Returns the provider's model of the cheap tier, if it has one. */
            public java.util.Optional<String> cheap() {
                return blank(models.cheap()) ? java.util.Optional.empty() : java.util.Optional.of(models.cheap());
            }

            /** Returns the provider's model of the strong tier, if it has one. */
            public java.util.Optional<String> strong() {
                return blank(models.strong()) ? java.util.Optional.empty() : java.util.Optional.of(models.strong());
            }

            @Override
            public String toString() {
                return name + "[" + kind + " " + baseUrl + ", apiKey=" + (blank(apiKey) ? "none" : "****")
                        + ", cheap=" + models.cheap() + ", strong=" + models.strong() + ", weight=" + weight + "]";
            }
        }

        /**
         * Hedged requests (bulwark.llm.hedge.*).
         *
         * @param cheap      whether the llm-cheap tier hedges (it needs two providers naming a cheap model)
         * @param strong     whether the llm-strong tier hedges
         * @param maxShare   the most hedges per request of a tier, 0..1 (0: none)
         * @param minSamples successful calls a tier must have seen before it hedges (its p90 is noise before)
         * @param window     how many recent successful calls of a tier the p90 is read from
         */
        public record Hedge(Boolean cheap, Boolean strong, Double maxShare, Integer minSamples, Integer window) {
            public Hedge {
                cheap = or(cheap, false);
                strong = or(strong, false);
                maxShare = or(maxShare, io.bulwark.resilience.Hedge.DEFAULT_MAX_SHARE);
                minSamples = or(minSamples, io.bulwark.resilience.Hedge.DEFAULT_MIN_SAMPLES);
                window = or(window, io.bulwark.resilience.Hedge.DEFAULT_WINDOW);
                new io.bulwark.resilience.Hedge(maxShare, minSamples, window); // refuses bad values at start-up
            }

            /** Returns the library's policy. */
            public io.bulwark.resilience.Hedge toPolicy() {
                return new io.bulwark.resilience.Hedge(maxShare, minSamples, window);
            }
        }

        /**
         * Same-choice retries (see {@link io.bulwark.resilience.SameChoiceRetry}): when a tier has no other choice
         * left, a malformed answer and a 429 whose Retry-After the deadline cannot hold are asked again of the same
         * provider's model, within the deadline, up to max-attempts calls, while its retry budget allows.
         *
         * @param enabled      on by default
         * @param maxAttempts  calls of the same provider's model per request, the first included
         * @param budgetTokens each provider's model's retry budget: a failed call takes a token, retries stop at half
         * @param tokenRatio   the tokens an answer gives back: retries go on while more than 1 call in (1 + ratio)
         *                     answers
         */
        public record Retry(Boolean enabled, Integer maxAttempts, Double budgetTokens, Double tokenRatio) {
            public Retry {
                enabled = or(enabled, true);
                maxAttempts = or(maxAttempts, io.bulwark.resilience.SameChoiceRetry.DEFAULT_MAX_ATTEMPTS);
                budgetTokens = or(budgetTokens, io.bulwark.resilience.SameChoiceRetry.DEFAULT_BUDGET_TOKENS);
                tokenRatio = or(tokenRatio, io.bulwark.resilience.SameChoiceRetry.DEFAULT_TOKEN_RATIO);
                new io.bulwark.resilience.SameChoiceRetry(enabled, maxAttempts, budgetTokens, tokenRatio); // refuses bad values
            }

            /** Returns the library's policy. */
            public io.bulwark.resilience.SameChoiceRetry toPolicy() {
                return new io.bulwark.resilience.SameChoiceRetry(enabled, maxAttempts, budgetTokens, tokenRatio);
            }
        }

        /**
         * A provider's model of each tier.
         *
         * @param cheap  the model of the llm-cheap tier at this provider (an Azure OpenAI deployment name)
         * @param strong the model of the llm-strong tier at this provider
         */
        public record Models(String cheap, String strong) {
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }

        /**
         * A model's rate limit.
         *
         * @param rpm requests a minute; 0: none
         * @param tpm tokens a minute; 0: none
         */
        public record Limit(@DefaultValue("0") long rpm, @DefaultValue("0") long tpm) {
            public Limit {
                if (rpm < 0 || tpm < 0) {
                    throw new IllegalArgumentException("bulwark.llm.limits.<model>.rpm and .tpm must be 0 (none) or"
                            + " positive: " + rpm + ", " + tpm);
                }
            }
        }

        /**
         * Returns the limits as the libraries take them: by model id for base-url, by provider:model for the
         * providers.
         */
        public Map<String, io.bulwark.resilience.limit.RateLimit> rateLimits() {
            Map<String, io.bulwark.resilience.limit.RateLimit> m = new java.util.TreeMap<>();
            limits.forEach((model, l) -> m.put(model, new io.bulwark.resilience.limit.RateLimit(l.rpm(), l.tpm())));
            for (Provider p : providers) {
                p.limits().forEach((model, l) -> m.put(p.name() + ":" + model,
                        new io.bulwark.resilience.limit.RateLimit(l.rpm(), l.tpm())));
            }
            return m;
        }

        public Llm {
            limits = limits == null ? Map.of() : Map.copyOf(limits);
            providers = providers == null ? List.of() : List.copyOf(providers);
            cooldown = or(cooldown, io.bulwark.resilience.Failover.DEFAULT_COOLDOWN);
            reaskSameChoice = or(reaskSameChoice, false);
            hedge = hedge == null ? new Hedge(null, null, null, null, null) : hedge;
            retry = retry == null ? new Retry(null, null, null, null) : retry;
            if (!providers.isEmpty() && baseUrl != null && !baseUrl.isBlank()) {
                throw new IllegalArgumentException("set either bulwark.llm.base-url (one provider) or"
                        + " bulwark.llm.providers, not both");
            }
            if (providers.stream().map(Provider::name).distinct().count() != providers.size()) {
                throw new IllegalArgumentException("bulwark.llm.providers names must differ: "
                        + providers.stream().map(Provider::name).toList());
            }
            timeout = or(timeout, SentimentChain.Settings.DEFAULT_LLM_TIMEOUT);
            fallbackTimeout = or(fallbackTimeout, SentimentChain.Settings.DEFAULT_FALLBACK_TIMEOUT);
            httpTimeout = or(httpTimeout, OpenAiSentimentProvider.DEFAULT_HTTP_TIMEOUT);
            maxTokens = or(maxTokens, OpenAiSentimentProvider.DEFAULT_MAX_TOKENS);
        }

        /** Returns true when an endpoint is configured: base-url or providers. */
        public boolean enabled() {
            return baseUrl != null && !baseUrl.isBlank() || !providers.isEmpty();
        }

        @Override
        public String toString() {
            if (!providers.isEmpty()) {
                return "Llm[providers=" + providers + (limits.isEmpty() && rateLimits().isEmpty() ? ""
                        : ", limits=" + rateLimits()) + "]";
            }
            return "Llm[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "none" : "****")
                    + ", cheapModel=" + cheapModel + ", strongModel=" + strongModel
                    + (limits.isEmpty() ? "" : ", limits=" + rateLimits()) + "]";
        }
    }

    /**
     * The sentiment function.
     *
     * @param deadline         the whole-request deadline every step respects
     * @param maxLength        longest accepted text, in characters
     * @param reserve          time kept back from LLM calls for the local and template fallbacks
     * @param minimumRetryCall the least time worth a retry after waiting out a rate limit
     */
    public record Sentiment(Duration deadline, Integer maxLength, Duration reserve, Duration minimumRetryCall) {

        public Sentiment {
            deadline = or(deadline, ErrorBoundary.DEFAULT_DEADLINE);
            maxLength = or(maxLength, SentimentFunction.DEFAULT_MAX_LENGTH);
            reserve = or(reserve, SentimentChain.Settings.DEFAULT_RESERVE);
            minimumRetryCall = or(minimumRetryCall, SentimentChain.Settings.DEFAULT_MINIMUM_RETRY_CALL);
            if (maxLength < 1) {
                throw new IllegalArgumentException("bulwark.sentiment.max-length must be at least 1: " + maxLength);
            }
        }
    }

    /**
     * The exact-match and semantic caches.
     *
     * @param exact    the cache of answers by exact text
     * @param semantic the cache of answers by similar meaning
     */
    public record Cache(@DefaultValue Exact exact, @DefaultValue Semantic semantic) {

        /**
         * The exact-match cache.
         *
         * @param maximumSize most entries kept
         * @param ttl         how long an entry lives after it is written
         */
        public record Exact(Long maximumSize, Duration ttl) {
            public Exact {
                maximumSize = or(maximumSize, ExactCache.DEFAULT_MAXIMUM_SIZE);
                ttl = or(ttl, ExactCache.DEFAULT_TTL);
            }
        }

        /**
         * The semantic cache (see the README, "Semantic cache").
         *
         * @param enabled            whether the chain has one (in front of an LLM; see with-local-model)
         * @param threshold          the least cosine similarity of a hit
         * @param maximumSize        most entries kept
         * @param ttl                how long an entry lives after it is written
         * @param guard              whether hits must pass the polarity guard
         * @param candidates         how many of the most similar entries the guard may consider
         * @param exactSearchLimit   entries up to which lookups scan everything; then the index partitions
         * @param probes             partitions scanned per lookup once partitioned
         * @param withLocalModel     keep the cache when the local model is the first choice (no LLM)
         * @param lazyLoad           load the in-process embedder on the first request instead of at start-up
         * @param embedder           minilm (in process) or openai (an OpenAI-compatible endpoint)
         * @param embeddingBaseUrl   the endpoint of the openai embedder; blank: bulwark.llm.base-url
         * @param embeddingModel     the model of the openai embedder
         * @param embeddingDimension the dimension of the openai embedder's vectors
         */
        public record Semantic(@DefaultValue("true") boolean enabled, Double threshold, Long maximumSize,
                               Duration ttl, @DefaultValue("true") boolean guard, Integer candidates,
                               Integer exactSearchLimit, Integer probes,
                               @DefaultValue("false") boolean withLocalModel, @DefaultValue("false") boolean lazyLoad,
                               @DefaultValue("minilm") String embedder, String embeddingBaseUrl,
                               @DefaultValue("text-embedding-3-small") String embeddingModel,
                               @DefaultValue("1536") int embeddingDimension, Integer embedConcurrency) {

            public Semantic {
                if (embedConcurrency != null && embedConcurrency < 0) {
                    throw new IllegalArgumentException("bulwark.cache.semantic.embed-concurrency must be 0 (no bound)"
                            + " or more: " + embedConcurrency);
                }
                threshold = or(threshold, SemanticCache.DEFAULT_THRESHOLD);
                maximumSize = or(maximumSize, SemanticCache.DEFAULT_MAXIMUM_SIZE);
                ttl = or(ttl, SemanticCache.DEFAULT_TTL);
                candidates = or(candidates, SemanticCache.DEFAULT_CANDIDATES);
                exactSearchLimit = or(exactSearchLimit, SemanticCache.DEFAULT_EXACT_SEARCH_LIMIT);
                probes = or(probes, SemanticCache.DEFAULT_PROBES);
                if (!(threshold > 0.0 && threshold <= 1.0)) {
                    throw new IllegalArgumentException("bulwark.cache.semantic.threshold must be within (0, 1]: "
                            + threshold);
                }
                if (!"minilm".equals(embedder) && !"openai".equals(embedder)) {
                    throw new IllegalArgumentException("bulwark.cache.semantic.embedder must be minilm or openai: "
                            + embedder);
                }
            }

            /** In-process embeddings run at once: as set, else one per processor; 0 = no bound. */
            public int embedConcurrencyOrProcessors() {
                return embedConcurrency != null ? embedConcurrency : Runtime.getRuntime().availableProcessors();
            }
        }
    }

    /**
     * The circuit breaker of each LLM model: it judges the provider's health (time-outs, 5xx, connection failures).
     * Rate limits and invalid requests do not count as failures, nor do malformed answers unless count-malformed.
     *
     * @param failureRateThreshold % of failed calls in the window that opens the breaker
     * @param slidingWindowSize    calls in the window
     * @param minimumNumberOfCalls calls before the failure rate counts
     * @param waitInOpenState      time open before the trial calls
     * @param callsInHalfOpenState trial calls while half open
     * @param countMalformed       whether malformed answers count as failures (default false)
     */
    public record Breaker(Float failureRateThreshold, Integer slidingWindowSize, Integer minimumNumberOfCalls,
                          Duration waitInOpenState, Integer callsInHalfOpenState, Boolean countMalformed) {

        public Breaker {
            failureRateThreshold = or(failureRateThreshold, BreakerConfig.DEFAULT_FAILURE_RATE_THRESHOLD);
            slidingWindowSize = or(slidingWindowSize, BreakerConfig.DEFAULT_SLIDING_WINDOW_SIZE);
            minimumNumberOfCalls = or(minimumNumberOfCalls, BreakerConfig.DEFAULT_MINIMUM_NUMBER_OF_CALLS);
            waitInOpenState = or(waitInOpenState, BreakerConfig.DEFAULT_WAIT_IN_OPEN_STATE);
            callsInHalfOpenState = or(callsInHalfOpenState, BreakerConfig.DEFAULT_CALLS_IN_HALF_OPEN_STATE);
            countMalformed = or(countMalformed, BreakerConfig.DEFAULT_COUNT_MALFORMED);
        }

        public BreakerConfig toConfig() {
            return new BreakerConfig(failureRateThreshold, slidingWindowSize, minimumNumberOfCalls, waitInOpenState,
                    callsInHalfOpenState, countMalformed);
        }
    }

    /**
     * Prices and the daily budget.
     *
     * @param priceFile         a price file to use instead of the built-in one (blank: built-in)
     * @param dailyBudget       US dollars a UTC day may spend on LLM calls; 0 for no limit
     * @param budgetLowFraction share of the daily budget after which the strong model is avoided
     * @param budgetFile        where the day's spending is kept across restarts, with a daily budget (blank: in
     *                          memory only)
     */
    public record Cost(String priceFile, @DefaultValue("0") double dailyBudget,
                       Double budgetLowFraction,
                       @DefaultValue("logs/daily-budget.json") String budgetFile) {

        public Cost {
            budgetLowFraction = or(budgetLowFraction, DailyBudget.DEFAULT_LOW_FRACTION);
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
    public record Router(@DefaultValue("true") boolean enabled, Double localConfidence, Double strongComplexity) {

        public Router {
            localConfidence = or(localConfidence, RouterConfig.DEFAULT_LOCAL_CONFIDENCE);
            strongComplexity = or(strongComplexity, RouterConfig.DEFAULT_STRONG_COMPLEXITY);
        }
    }

    /** Returns {@code value}, or the library's default when the property is not set. */
    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
