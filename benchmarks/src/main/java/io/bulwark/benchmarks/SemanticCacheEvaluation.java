package io.bulwark.benchmarks;

import io.bulwark.sentiment.local.LabelledText;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.local.SentimentCorpus;
import io.bulwark.resilience.cache.HitGuard;
import io.bulwark.sentiment.guard.PolarityGuard;
import io.bulwark.sentiment.guard.PolarityGuard.Checks;
import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.embedding.Embedders;
import io.bulwark.sentiment.SentimentLabel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * How often does the semantic cache serve the wrong sentiment? On the held-out amazon sentences (never used
 * to train or tune the local model): the cache is filled with a seeded half of them under their true labels,
 * then queried with the other half and with rule-generated variants of the cached half (a paraphrase, a
 * negation, a contrast, an antonym; see {@link SentenceVariants}). For each threshold and guard: hits, hit rate, and
 * wrong labels among the hits.
 *
 * <pre>
 * java [-Dshow.wrong=true] -cp benchmarks/target/benchmarks.jar io.bulwark.benchmarks.SemanticCacheEvaluation [seed]
 * </pre>
 */
public final class SemanticCacheEvaluation {

    static final double[] THRESHOLDS = {0.80, 0.85, 0.88, 0.90, 0.92, 0.95};
    /** {@code -Dshow.wrong=true} prints the wrong hits at 0.90 of the default guard (or {@code -Dshow.guard}). */
    static final boolean SHOW_WRONG = Boolean.getBoolean("show.wrong");
    static final String DEFAULT_GUARD = "cues + label + words " + PolarityGuard.DEFAULT_MAX_WORD_EVIDENCE
            + " + lexicon " + PolarityGuard.DEFAULT_MAX_LEXICON_SHIFT;
    static final String SHOWN_GUARD = System.getProperty("show.guard", DEFAULT_GUARD);
    static final double[] WORD_EVIDENCE = {0.5, 1.0, 2.0, 4.0};
    static final double[] LEXICON_SHIFT = {0.0, 1.0, 2.0, 3.0};

    private SemanticCacheEvaluation() {
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        List<LabelledText> amazon = new ArrayList<>(SentimentCorpus.heldOut());
        Collections.shuffle(amazon, new Random(seed));
        List<LabelledText> fill = amazon.subList(0, amazon.size() / 2);
        List<LabelledText> rest = amazon.subList(amazon.size() / 2, amazon.size());

        Map<String, List<LabelledText>> queries = new LinkedHashMap<>();
        queries.put("other half", rest);
        List<LabelledText> paraphrased = new ArrayList<>();
        List<LabelledText> negated = new ArrayList<>();
        List<LabelledText> contrasted = new ArrayList<>();
        List<LabelledText> antonyms = new ArrayList<>();
        for (int i = 0; i < fill.size(); i++) {
            paraphrased.add(SentenceVariants.paraphrase(fill.get(i)));
            SentenceVariants.negated(fill.get(i)).ifPresent(negated::add);
            SentenceVariants.antonym(fill.get(i)).ifPresent(antonyms::add);
            contrasted.add(SentenceVariants.contrasted(fill.get(i), i));
        }
        queries.put("paraphrased (same label)", paraphrased);
        queries.put("negated (label flipped)", negated);
        queries.put("contrasted (label flipped)", contrasted);
        queries.put("antonym (label flipped)", antonyms);

        LocalSentimentModel local = LocalSentimentModel.trainDefault();
        Embedder memo = memoised(Clip.apply(System.getProperty("clip", "off"), Embedders.miniLm()));
        long start = System.nanoTime();
        fill.forEach(t -> memo.embed(t.text()));
        queries.values().forEach(q -> q.forEach(t -> memo.embed(t.text())));
        System.out.printf(Locale.ROOT, "seed %d: %d cached, queries: %s; embedded in %.1f s%n", seed, fill.size(),
                sizes(queries), (System.nanoTime() - start) / 1e9);

        Map<String, Function<Double, HitGuard<SentimentLabel>>> guards = new LinkedHashMap<>();
        guards.put("off", t -> HitGuard.none());
        ToDoubleFunction<String> p = local::positiveProbability;
        ToDoubleFunction<String> ev = local::evidence;
        double off = Double.POSITIVE_INFINITY;
        double maxWords = PolarityGuard.DEFAULT_MAX_WORD_EVIDENCE;
        double maxShift = PolarityGuard.DEFAULT_MAX_LEXICON_SHIFT;
        guards.put("cues", t -> PolarityGuard.of(p, ev, l -> l, new Checks(true, false, off, off)));
        guards.put("label", t -> PolarityGuard.of(p, ev, l -> l, new Checks(false, true, off, off)));
        guards.put("words " + maxWords, t -> PolarityGuard.of(p, ev, l -> l,
                new Checks(false, false, maxWords, off)));
        guards.put("lexicon " + maxShift, t -> PolarityGuard.of(p, ev, l -> l,
                new Checks(false, false, off, maxShift)));
        guards.put("cues + label", t -> PolarityGuard.of(p, ev, l -> l, new Checks(true, true, off, off)));
        for (double words : WORD_EVIDENCE) {
            guards.put("cues + label + words " + words, t -> PolarityGuard.of(p, ev, l -> l,
                    new Checks(true, true, words, off)));
        }
        guards.put("cues + label + lexicon " + maxShift, t -> PolarityGuard.of(p, ev, l -> l,
                new Checks(true, true, off, maxShift)));
        for (double shift : LEXICON_SHIFT) {
            guards.put("cues + label + words " + maxWords + " + lexicon " + shift, t -> PolarityGuard.of(p, ev,
                    l -> l, new Checks(true, true, maxWords, shift)));
        }

        System.out.println();
        System.out.println("| threshold | guard | query set | queries | hits | hit rate | wrong among hits |");
        System.out.println("|---|---|---|---:|---:|---:|---:|");
        for (double threshold : THRESHOLDS) {
            for (Map.Entry<String, Function<Double, HitGuard<SentimentLabel>>> g : guards.entrySet()) {
                SemanticCache<SentimentLabel> cache = SemanticCache.<SentimentLabel>builder().embedder(memo)
                        .threshold(threshold).guard(g.getValue().apply(threshold)).maintenance(Runnable::run).build();
                fill.forEach(t -> cache.add(t.text(), t.label()));
                int allQueries = 0;
                int allHits = 0;
                int allWrong = 0;
                for (Map.Entry<String, List<LabelledText>> q : queries.entrySet()) {
                    int hits = 0;
                    int wrong = 0;
                    for (LabelledText t : q.getValue()) {
                        Optional<SemanticCache.Hit<SentimentLabel>> hit = cache.findSimilar(t.text());
                        if (hit.isPresent()) {
                            hits++;
                            boolean bad = hit.get().value() != t.label();
                            wrong += bad ? 1 : 0;
                            if (bad && SHOW_WRONG && g.getKey().equals(SHOWN_GUARD) && threshold == 0.90) {
                                System.out.printf(Locale.ROOT, "  wrong [%s, %.3f]: %s  <=  %s (%s)%n", g.getKey(),
                                        hit.get().similarity(), t.text(), hit.get().cachedQuery(), hit.get().value());
                            }
                        }
                    }
                    row(threshold, g.getKey(), q.getKey(), q.getValue().size(), hits, wrong);
                    allQueries += q.getValue().size();
                    allHits += hits;
                    allWrong += wrong;
                }
                row(threshold, g.getKey(), "**all**", allQueries, allHits, allWrong);
            }
        }
        similarities(memo, fill, negated, paraphrased);
    }

    private static void row(double threshold, String guard, String set, int queries, int hits, int wrong) {
        System.out.printf(Locale.ROOT, "| %.2f | %s | %s | %d | %d | %.1f%% | %d (%s) |%n", threshold, guard, set,
                queries, hits, 100.0 * hits / queries, wrong,
                hits == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * wrong / hits));
    }

    /** The mean cosine of each negated and paraphrased variant to its source sentence. */
    private static void similarities(Embedder memo, List<LabelledText> fill, List<LabelledText> negated,
                                     List<LabelledText> paraphrased) {
        double para = 0;
        for (int i = 0; i < fill.size(); i++) {
            para += dot(memo.embed(fill.get(i).text()), memo.embed(paraphrased.get(i).text()));
        }
        double neg = 0;
        int n = 0;
        for (LabelledText source : fill) {
            Optional<LabelledText> v = SentenceVariants.negated(source);
            if (v.isPresent()) {
                neg += dot(memo.embed(source.text()), memo.embed(v.get().text()));
                n++;
            }
        }
        System.out.printf(Locale.ROOT, "%nmean cosine to the source sentence: paraphrased %.3f, negated %.3f (%d)%n",
                para / fill.size(), neg / n, negated.size());
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static Map<String, Integer> sizes(Map<String, List<LabelledText>> queries) {
        Map<String, Integer> out = new LinkedHashMap<>();
        queries.forEach((k, v) -> out.put(k, v.size()));
        return out;
    }

    /** Embeds each distinct text once: the runs differ only in threshold and guard. */
    static Embedder memoised(Embedder e) {
        Map<String, float[]> memo = new HashMap<>();
        return new Embedder() {
            @Override
            public String name() {
                return e.name();
            }

            @Override
            public int dimension() {
                return e.dimension();
            }

            @Override
            public synchronized float[] embed(String text) {
                return memo.computeIfAbsent(text, e::embed).clone();
            }
        };
    }
}
