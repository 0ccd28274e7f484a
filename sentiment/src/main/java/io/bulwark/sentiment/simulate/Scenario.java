package io.bulwark.sentiment.simulate;

import io.bulwark.costing.YamlFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cost-simulation scenario, read from YAML (see {@code examples/seed-003.yaml} for every key): the traffic,
 * the workload's tokens, repeats, paraphrases and complexity, the simulated models' quality, latency and
 * failures, the prices, an optional daily budget, and the strategies to compare. The same file and seed give
 * the same report.
 *
 * @param sample     requests simulated per strategy; the month is extrapolated from them
 * @param reference  the model shown beside each strategy (its own accuracy on the labels, the agreement with it)
 * @param errorCorrelation 0..1: how much the simulated models err on the same sentences (0 independent,
 *                   1 the weaker model errs wherever the stronger one does)
 * @param priceFile  a price file, relative to the scenario's folder; empty for the built-in one
 */
public record Scenario(String name, String description, long seed, int sample, int daysPerMonth, Traffic traffic,
                       Tokens tokens, Mix workload, Map<String, ModelProfile> models, String reference,
                       double errorCorrelation, Optional<Path> priceFile, Budget budget, Platform platform,
                       int promptCacheMinTokens, Batch batch, List<Strategy> strategies) {

    /**
     * The shortest prefix a provider's prompt cache serves: OpenAI caches prompts from 1,024 tokens on
     * (platform.openai.com/docs/guides/prompt-caching); Anthropic from 1,024 (2,048 for Haiku models).
     */
    public static final int DEFAULT_PROMPT_CACHE_MIN_TOKENS = 1024;

    /**
     * Where the function runs and what it is billed for besides tokens: every request spends its time in the chain
     * (LLM waits included) plus {@code overheadMs} inside a function of {@code memoryMb}, behind {@code gateway}.
     * The report prices the same durations on the other platforms of the price file for comparison.
     *
     * @param function   a function platform of the price file, e.g. {@code aws-lambda-arm64}
     * @param gateway    a gateway of the price file ({@code none} for no separate charge)
     * @param overheadMs assumed time per request outside the chain (reading the event, JSON, the log line)
     * @param container  the always-on alternative the report compares with
     */
    public record Platform(String function, int memoryMb, String gateway, double overheadMs, Container container) {
        public static final String DEFAULT_FUNCTION = "aws-lambda-x86";
        public static final int DEFAULT_MEMORY_MB = 1024;
        public static final String DEFAULT_GATEWAY = "aws-api-gateway-http";
        public static final double DEFAULT_OVERHEAD_MS = 2;

        public Platform {
            if (memoryMb < 128 || memoryMb > 10_240) {
                throw new IllegalArgumentException("platform.memory_mb must be within 128..10240: " + memoryMb);
            }
            if (!(overheadMs >= 0)) {
                throw new IllegalArgumentException("platform.overhead_ms must not be negative: " + overheadMs);
            }
        }

        /** The defaults: Lambda x86 at 1,024 MB behind an HTTP API, Fargate tasks of 0.5 vCPU / 1 GB. */
        public static Platform defaults() {
            return new Platform(DEFAULT_FUNCTION, DEFAULT_MEMORY_MB, DEFAULT_GATEWAY, DEFAULT_OVERHEAD_MS,
                    Container.defaults());
        }
    }

    /**
     * An always-on container service: tasks of {@code vcpu} and {@code memoryGb}, each serving {@code concurrency}
     * requests at once (the chain mostly waits on LLMs), at least {@code minimumTasks} (two, for availability).
     */
    public record Container(String name, double vcpu, double memoryGb, int concurrency, int minimumTasks) {
        public Container {
            if (!(vcpu > 0) || !(memoryGb > 0) || concurrency < 1 || minimumTasks < 0) {
                throw new IllegalArgumentException("platform.container needs vcpu > 0, memory_gb > 0, concurrency ≥ 1 "
                        + "and minimum_tasks ≥ 0");
            }
        }

        static Container defaults() {
            return new Container("aws-fargate-x86", 0.5, 1, 100, 2);
        }
    }

    /** Requests per day and how they are spread over it. */
    public record Traffic(long requestsPerDay, String shape, double peakToMean, double startHour) {
        public Traffic {
            if (!shape.equals("flat") && !shape.equals("diurnal")) {
                throw new IllegalArgumentException("traffic.shape must be flat or diurnal, not " + shape);
            }
            if (!(peakToMean >= 1 && peakToMean <= 2)) {
                throw new IllegalArgumentException("traffic.peak_to_mean must be within 1..2: " + peakToMean);
            }
            if (!(startHour >= 0 && startHour < 24)) {
                throw new IllegalArgumentException("traffic.start_hour must be within 0..24: " + startHour);
            }
        }

        /** Returns the arrival rate per second at {@code hourOfDay}. */
        public double ratePerSecond(double hourOfDay) {
            double mean = requestsPerDay / 86_400.0;
            if (shape.equals("flat")) {
                return mean;
            }
            // Peak at 15:00, trough at 03:00.
            return mean * (1 + (peakToMean - 1) * Math.sin(2 * Math.PI * (hourOfDay - 9) / 24));
        }
    }

    /** A non-negative amount drawn per request: a normal around {@code mean} with {@code sd}, cut at 1. */
    public record Distribution(double mean, double sd) {
        public Distribution {
            if (!(mean >= 1) || !(sd >= 0)) {
                throw new IllegalArgumentException("a token distribution needs mean ≥ 1 and sd ≥ 0: " + mean + ", " + sd);
            }
        }

        int sample(java.util.Random random) {
            if (sd == 0) {
                return (int) Math.round(mean);
            }
            return (int) Math.max(1, Math.round(mean + sd * random.nextGaussian()));
        }
    }

    /**
     * Tokens of a query and of a free-form answer (the seed's chatbot); short answers are counted instead.
     *
     * @param sharedPrefix tokens of the input that every request shares (the system prompt, sent first): what a
     *                     provider's prompt cache can serve at its cached-input price
     */
    public record Tokens(Distribution input, Distribution output, int sharedPrefix) {
        public Tokens {
            if (sharedPrefix < 0 || sharedPrefix > input.mean()) {
                throw new IllegalArgumentException("tokens.shared_prefix must be within 0..tokens.input.mean: "
                        + sharedPrefix);
            }
        }
    }

    /**
     * The workload's shape.
     *
     * @param repeatRate     share of requests that repeat an earlier query word for word (up to case and spacing)
     * @param paraphraseRate share of requests that rephrase an earlier query
     * @param complexShare   share of fresh queries with a negation/contrast/sarcasm cue; NaN keeps the corpus's own
     */
    public record Mix(double repeatRate, double paraphraseRate, double complexShare) {
        public Mix {
            if (repeatRate + paraphraseRate >= 1) {
                throw new IllegalArgumentException("repeat_rate + paraphrase_rate must be below 1");
            }
        }
    }

    /**
     * A simulated model.
     *
     * @param accuracy    probability that it gives the corpus's label
     * @param p50Ms       median time to the first token (log-normal, with {@code p95Ms})
     * @param outputTokensPerSecond generation speed: each output token adds {@code 1 / outputTokensPerSecond}
     * @param rateLimited probability of a 429 (with {@code retryAfterMs}, or none if 0)
     * @param unavailable probability of a 5xx or a broken connection
     * @param malformed   probability of an answer outside the output contract
     */
    public record ModelProfile(String name, double accuracy, double p50Ms, double p95Ms, double outputTokensPerSecond,
                               double rateLimited, double retryAfterMs, double unavailable, double malformed) {
        public ModelProfile {
            if (!(p50Ms > 0) || !(p95Ms >= p50Ms)) {
                throw new IllegalArgumentException("models." + name + ": latency needs 0 < p50 ≤ p95");
            }
            if (!(outputTokensPerSecond > 0)) {
                throw new IllegalArgumentException("models." + name + ": output_tokens_per_second must be positive");
            }
            if (rateLimited + unavailable + malformed >= 1) {
                throw new IllegalArgumentException("models." + name + ": failure probabilities must sum below 1");
            }
        }
    }

    /** A daily budget; strategies with {@code budget: true} are held to it. */
    public record Budget(double dailyUsd, double lowFraction) {
        public Budget {
            if (!(dailyUsd >= 0)) {
                throw new IllegalArgumentException("budget.daily_usd must not be negative: " + dailyUsd
                        + " (write the US dollars a day may spend, or 0 for no budget)");
            }
        }
    }

    /**
     * One way of serving the workload.
     *
     * @param cheap          the cheap model, or null
     * @param strong         the strong model, or null
     * @param router         whether the cost router picks each first choice (else: cheap, else strong)
     * @param shortOutput    whether answers are the short classification JSON (else free-form answers of
     *                       {@code tokens.output})
     * @param budget         whether the scenario's daily budget applies
     * @param timing         the chain's deadline and time limits for this strategy
     * @param promptCache    whether the shared prefix is served from the provider's prompt cache (priced at the
     *                       cached-input rate, where the model has one and the prefix is long enough)
     * @param batchShare     share of requests that can wait and go through the provider's batch API (0: none)
     */
    public record Strategy(String name, String cheap, String strong, boolean exactCache, boolean semanticCache,
                           boolean router, boolean shortOutput, boolean budget, double localConfidence,
                           double strongComplexity, Timing timing, boolean promptCache, double batchShare) {
        public Strategy {
            Objects.requireNonNull(name, "name");
            if (cheap == null && strong == null) {
                throw new IllegalArgumentException("strategy '" + name + "' needs a cheap or a strong model");
            }
            if (!(batchShare >= 0 && batchShare <= 1)) {
                throw new IllegalArgumentException("strategy '" + name + "': batch_share must be within 0..1");
            }
        }
    }

    /**
     * The provider's batch API: requests that can wait are sent in a batch, answered within {@code turnaroundHours}
     * (OpenAI's Batch API promises 24 hours and usually answers sooner), at the price file's batch discount.
     */
    public record Batch(double turnaroundHours) {
        public static final double DEFAULT_TURNAROUND_HOURS = 24;

        public Batch {
            if (!(turnaroundHours > 0)) {
                throw new IllegalArgumentException("batch_turnaround_hours must be positive: " + turnaroundHours);
            }
        }
    }

    /**
     * The chain's deadline and time limits, in milliseconds; 0 keeps the application's default.
     */
    public record Timing(long deadlineMs, long llmTimeoutMs, long fallbackTimeoutMs) {
        public static final Timing DEFAULTS = new Timing(0, 0, 0);

        Timing over(Timing base) {
            return new Timing(deadlineMs > 0 ? deadlineMs : base.deadlineMs,
                    llmTimeoutMs > 0 ? llmTimeoutMs : base.llmTimeoutMs,
                    fallbackTimeoutMs > 0 ? fallbackTimeoutMs : base.fallbackTimeoutMs);
        }
    }

    /** Loads a scenario file. */
    public static Scenario load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scenario " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad scenario " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a scenario; a relative price file is resolved against {@code folder}. */
    public static Scenario parse(String yaml, Path folder) {
        Object root = YamlFiles.load(yaml);
        Node top = Node.of(root, "")
                .only("name", "description", "seed", "sample", "days_per_month", "traffic", "tokens", "workload",
                        "models", "reference", "error_correlation", "prices", "budget", "chain", "platform",
                        "prompt_cache_min_tokens", "batch_turnaround_hours", "strategies");
        Timing chain = timing(top.nodeOrEmpty("chain"), Timing.DEFAULTS);
        Node t = top.node("traffic").only("requests_per_day", "shape", "peak_to_mean", "start_hour");
        Traffic traffic = new Traffic(t.positiveLong("requests_per_day", 1), t.string("shape", "flat"),
                t.number("peak_to_mean", 1), t.number("start_hour", 9));
        Node tk = top.node("tokens").only("input", "output", "shared_prefix");
        Tokens tokens = new Tokens(distribution(tk.node("input")), distribution(tk.node("output")),
                (int) tk.number("shared_prefix", 0));
        Node w = top.nodeOrEmpty("workload").only("repeat_rate", "paraphrase_rate", "complex_share");
        Mix mix = new Mix(w.share("repeat_rate", 0), w.share("paraphrase_rate", 0),
                w.has("complex_share") ? w.share("complex_share", 0) : Double.NaN);
        Map<String, ModelProfile> models = new LinkedHashMap<>();
        top.node("models").children().forEach((name, m) -> {
            m.only("accuracy", "latency_ms", "output_tokens_per_second", "failures");
            Node lat = m.node("latency_ms").only("p50", "p95");
            Node f = m.nodeOrEmpty("failures").only("rate_limited", "retry_after_ms", "unavailable", "malformed");
            models.put(name, new ModelProfile(name, m.share("accuracy", 1), lat.number("p50"), lat.number("p95"),
                    m.number("output_tokens_per_second", 1e9), f.share("rate_limited", 0), f.number("retry_after_ms", 0), f.share("unavailable", 0),
                    f.share("malformed", 0)));
        });
        String reference = top.string("reference");
        if (!models.containsKey(reference)) {
            throw new IllegalArgumentException("reference '" + reference + "' is not among models " + models.keySet());
        }
        Optional<Path> prices = top.has("prices") ? Optional.of(folder.resolve(top.string("prices"))) : Optional.empty();
        Node b = top.nodeOrEmpty("budget").only("daily_usd", "low_fraction");
        Budget budget = new Budget(b.number("daily_usd", 0), b.share("low_fraction", 0.8));
        Node pf = top.nodeOrEmpty("platform").only("function", "memory_mb", "gateway", "overhead_ms", "container");
        Platform dp = Platform.defaults();
        Node pc = pf.nodeOrEmpty("container").only("name", "vcpu", "memory_gb", "concurrency", "minimum_tasks");
        Container dc = dp.container();
        Platform platform = new Platform(pf.string("function", dp.function()),
                (int) pf.number("memory_mb", dp.memoryMb()), pf.string("gateway", dp.gateway()),
                pf.number("overhead_ms", dp.overheadMs()), new Container(pc.string("name", dc.name()),
                pc.number("vcpu", dc.vcpu()), pc.number("memory_gb", dc.memoryGb()),
                (int) pc.number("concurrency", dc.concurrency()), (int) pc.number("minimum_tasks", dc.minimumTasks())));
        List<Strategy> strategies = new ArrayList<>();
        for (Node s : top.list("strategies")) {
            s.only("name", "cheap", "strong", "exact_cache", "semantic_cache", "router", "short_output", "budget",
                    "local_confidence", "strong_complexity", "deadline_ms", "llm_timeout_ms", "fallback_timeout_ms",
                    "prompt_cache", "batch_share");
            String cheap = s.has("cheap") ? s.string("cheap") : null;
            String strong = s.has("strong") ? s.string("strong") : null;
            for (String model : new String[]{cheap, strong}) {
                if (model != null && !models.containsKey(model)) {
                    throw new IllegalArgumentException(s.where() + " names model '" + model + "', not among "
                            + models.keySet());
                }
            }
            boolean useBudget = s.bool("budget", false);
            if (useBudget && budget.dailyUsd() <= 0) {
                throw new IllegalArgumentException(s.where() + " asks for the budget but budget.daily_usd is not set");
            }
            strategies.add(new Strategy(s.string("name"), cheap, strong, s.bool("exact_cache", false),
                    s.bool("semantic_cache", false), s.bool("router", false), s.bool("short_output", false),
                    useBudget, s.number("local_confidence", 0.95), s.number("strong_complexity", 0.5),
                    timing(s, Timing.DEFAULTS).over(chain), s.bool("prompt_cache", false),
                    s.share("batch_share", 0)));
        }
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("strategies must name at least one strategy");
        }
        long sample = top.positiveLong("sample", 1000);
        return new Scenario(top.string("name"), top.string("description", ""), (long) top.number("seed", 1),
                (int) sample, (int) top.positiveLong("days_per_month", 30), traffic, tokens, mix,
                java.util.Collections.unmodifiableMap(models),
                reference, top.share("error_correlation", 0.5), prices, budget, platform,
                (int) top.positiveLong("prompt_cache_min_tokens", DEFAULT_PROMPT_CACHE_MIN_TOKENS),
                new Batch(top.number("batch_turnaround_hours", Batch.DEFAULT_TURNAROUND_HOURS)), List.copyOf(strategies));
    }

    private static Timing timing(Node n, Timing base) {
        long deadline = (long) n.number("deadline_ms", 0);
        long llm = (long) n.number("llm_timeout_ms", 0);
        long fallback = (long) n.number("fallback_timeout_ms", 0);
        if (deadline < 0 || llm < 0 || fallback < 0) {
            throw new IllegalArgumentException(n.where() + ": times must not be negative");
        }
        return new Timing(deadline, llm, fallback).over(base);
    }

    private static Distribution distribution(Node n) {
        n.only("mean", "sd");
        return new Distribution(n.number("mean"), n.number("sd", 0));
    }

    /** Returns this scenario with another sample size (a replay's is its file's). */
    public Scenario withSample(int sample) {
        if (sample < 1) {
            throw new IllegalArgumentException("a sample needs at least one request");
        }
        return new Scenario(name, description, seed, sample, daysPerMonth, traffic, tokens, workload, models, reference,
                errorCorrelation, priceFile, budget, platform, promptCacheMinTokens, batch, strategies);
    }

    /** Returns the requests of a month at the scenario's volume. */
    public long monthlyRequests() {
        return traffic.requestsPerDay() * daysPerMonth;
    }
}
