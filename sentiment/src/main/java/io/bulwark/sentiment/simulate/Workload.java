package io.bulwark.sentiment.simulate;

import io.bulwark.costing.router.ComplexityEstimator;
import io.bulwark.costing.DailyBudget;
import io.bulwark.sentiment.SentimentLabel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A seeded sample of a scenario's traffic: the requests in arrival order, each a fresh sentence of the
 * labelled corpus, a repeat of an earlier one (up to case and spacing), or a paraphrase of an earlier one.
 * Every distinct text maps back to its sentence, so simulated models answer a paraphrase as they answered
 * the original.
 */
public final class Workload {

    /** What a request is. */
    public enum Kind { FRESH, REPEAT, PARAPHRASE }

    /**
     * One request.
     *
     * @param at        its arrival, after the start of the sample
     * @param sentence  the index of its sentence in the corpus (of its distinct text, in a replay)
     * @param label     its known label, or null (a replayed line without one: not scored)
     * @param basis     the label the simulated models err from: the known one, else the local model's
     * @param inputTokens  its input tokens (from the scenario's distribution; counted, in a replay)
     * @param outputTokens the tokens of a free-form answer to it
     */
    public record Request(Duration at, String text, int sentence, SentimentLabel label, SentimentLabel basis,
                          Kind kind, int inputTokens, int outputTokens) {
    }

    private static final String[] PARAPHRASE_PREFIXES = {"Honestly, ", "I have to say, ", "In short: ", "Well, ",
            "My verdict: ", "Simply put, ", "So, ", "Frankly, "};

    private final List<Request> requests;
    private final Map<String, Request> byText;

    private Workload(List<Request> requests) {
        this.requests = List.copyOf(requests);
        Map<String, Request> m = new HashMap<>();
        for (Request r : requests) {
            m.putIfAbsent(r.text(), r);
        }
        this.byText = m;
    }

    /**
     * Draws {@code scenario.sample()} requests from {@code corpus} with the scenario's seed.
     *
     * @param markers tells which sentences carry a negation/contrast/sarcasm cue (for the complexity mix)
     * @throws IllegalArgumentException if the corpus has too few sentences for the fresh requests of the sample
     */
    public static Workload generate(Scenario scenario, List<LabelledQuery> corpus, ComplexityEstimator markers) {
        Random random = new Random(scenario.seed());
        Scenario.Mix mix = scenario.workload();
        int n = scenario.sample();
        double freshShare = 1 - mix.repeatRate() - mix.paraphraseRate();
        if (n * freshShare > 0.95 * corpus.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a sample of %d requests needs about %.0f fresh sentences; the corpus has %d: lower sample",
                    n, n * freshShare, corpus.size()));
        }
        List<Integer> simple = new ArrayList<>();
        List<Integer> complex = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            (markers.features(corpus.get(i).text(), DailyBudget.State.OK).hasMarkers() ? complex : simple).add(i);
        }
        Collections.shuffle(simple, random);
        Collections.shuffle(complex, random);
        double complexShare = Double.isNaN(mix.complexShare())
                ? complex.size() / (double) corpus.size() : mix.complexShare();

        List<Request> out = new ArrayList<>(n);
        List<Request> distinct = new ArrayList<>();
        double seconds = 0;
        double startHour = scenario.traffic().startHour();
        int si = 0;
        int ci = 0;
        for (int i = 0; i < n; i++) {
            double rate = scenario.traffic().ratePerSecond((startHour + seconds / 3600) % 24);
            seconds += -Math.log(1 - random.nextDouble()) / rate;
            Duration at = Duration.ofNanos((long) (seconds * 1e9));
            double r = random.nextDouble();
            Request req;
            if (!distinct.isEmpty() && r < mix.repeatRate()) {
                Request earlier = distinct.get(random.nextInt(distinct.size()));
                String text = random.nextBoolean() ? earlier.text() : earlier.text().toUpperCase(Locale.ROOT) + "  ";
                req = new Request(at, text, earlier.sentence(), earlier.label(), earlier.basis(), Kind.REPEAT,
                        earlier.inputTokens(), earlier.outputTokens());
            } else if (!distinct.isEmpty() && r < mix.repeatRate() + mix.paraphraseRate()) {
                Request earlier = distinct.get(random.nextInt(distinct.size()));
                String base = corpus.get(earlier.sentence()).text();
                String prefix = PARAPHRASE_PREFIXES[random.nextInt(PARAPHRASE_PREFIXES.length)];
                String text = prefix + Character.toLowerCase(base.charAt(0)) + base.substring(1);
                req = new Request(at, text, earlier.sentence(), earlier.label(), earlier.basis(), Kind.PARAPHRASE,
                        earlier.inputTokens(), earlier.outputTokens());
                distinct.add(req);
            } else {
                boolean wantComplex = random.nextDouble() < complexShare;
                int sentence;
                if ((wantComplex && ci < complex.size()) || si >= simple.size()) {
                    sentence = complex.get(ci++);
                } else {
                    sentence = simple.get(si++);
                }
                LabelledQuery q = corpus.get(sentence);
                req = new Request(at, q.text(), sentence, q.label(), q.label(), Kind.FRESH,
                        scenario.tokens().input().sample(random), scenario.tokens().output().sample(random));
                distinct.add(req);
            }
            out.add(req);
        }
        return new Workload(out);
    }

    /**
     * Replays a recorded stream: its lines in order, at their timestamps (relative to the first; a line without one
     * arrives after the previous at the scenario's rate, and a timestamp before the previous one is taken as the
     * previous one); a text seen before (up to case and spacing) is a repeat of it. Input tokens are counted with
     * the tokenizer (the system prompt and the text); an unlabelled line's simulated answers err from
     * {@code unlabelled}'s label and it is left out of the accuracy.
     */
    public static Workload replay(Scenario scenario, TrafficFile traffic,
                                  java.util.function.Function<String, SentimentLabel> unlabelled) {
        Random random = new Random(scenario.seed());
        io.bulwark.costing.TokenEstimator tokenizer = io.bulwark.costing.TokenEstimator.forModel(scenario.reference());
        Map<String, Request> seen = new HashMap<>();
        List<Request> out = new ArrayList<>();
        java.time.Instant first = null;
        double seconds = 0;
        int sentences = 0;
        for (TrafficFile.Line line : traffic.lines()) {
            if (line.at().isPresent()) {
                if (first == null) {
                    first = line.at().get().minusNanos((long) (seconds * 1e9));
                }
                seconds = Math.max(seconds, Duration.between(first, line.at().get()).toNanos() / 1e9);
            } else {
                double rate = scenario.traffic().ratePerSecond((scenario.traffic().startHour() + seconds / 3600) % 24);
                seconds += -Math.log(1 - random.nextDouble()) / rate;
            }
            Duration at = Duration.ofNanos((long) (seconds * 1e9));
            String key = line.text().strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            Request earlier = seen.get(key);
            Request req;
            if (earlier != null) {
                req = new Request(at, line.text(), earlier.sentence(), line.label().orElse(earlier.label()),
                        earlier.basis(), Kind.REPEAT, earlier.inputTokens(), earlier.outputTokens());
            } else {
                SentimentLabel label = line.label().orElse(null);
                req = new Request(at, line.text(), sentences++, label,
                        label != null ? label : unlabelled.apply(line.text()), Kind.FRESH,
                        tokenizer.chatInput(io.bulwark.sentiment.openai.OpenAiSentimentProvider.SYSTEM_PROMPT,
                                line.text()), scenario.tokens().output().sample(random));
                seen.put(key, req);
            }
            out.add(req);
        }
        return new Workload(out);
    }

    /** Returns the requests in arrival order. */
    public List<Request> requests() {
        return requests;
    }

    /** Returns the request that first carried {@code text}, if the workload has it. */
    public Request lookup(String text) {
        return byText.get(text);
    }

    /** Returns the share of requests of each kind. */
    public Map<Kind, Long> kinds() {
        Map<Kind, Long> m = new java.util.EnumMap<>(Kind.class);
        for (Request r : requests) {
            m.merge(r.kind(), 1L, Long::sum);
        }
        return m;
    }

    /** Returns how long the sample lasts, from the start to the last arrival. */
    public Duration span() {
        return requests.isEmpty() ? Duration.ZERO : requests.get(requests.size() - 1).at();
    }
}
