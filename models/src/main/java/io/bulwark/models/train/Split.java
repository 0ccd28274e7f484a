package io.bulwark.models.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Labelled rows divided into a training part and a held-out part.
 *
 * @param seed         the seed that chose the held-out rows
 * @param testFraction the held-out fraction asked for
 * @param <I>          the input
 */
public record Split<I>(List<Labelled<I>> train, List<Labelled<I>> test, long seed, double testFraction) {

    public Split {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    /**
     * Splits {@code rows} stratified by label: each label's rows (in their order) are shuffled with one
     * {@link Random} seeded with {@code seed}, labels taken in alphabetical order, and the first
     * {@code round(testFraction × n)} of each are held out. The same rows and seed always give the same split.
     */
    public static <I> Split<I> stratified(List<Labelled<I>> rows, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1): " + testFraction);
        }
        Map<String, List<Labelled<I>>> byLabel = new TreeMap<>();
        rows.forEach(r -> byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r));
        Random random = new Random(seed);
        List<Labelled<I>> train = new ArrayList<>();
        List<Labelled<I>> test = new ArrayList<>();
        for (List<Labelled<I>> group : byLabel.values()) {
            Collections.shuffle(group, random);
            int held = (int) Math.round(testFraction * group.size());
            test.addAll(group.subList(0, held));
            train.addAll(group.subList(held, group.size()));
        }
        return new Split<>(train, test, seed, testFraction);
    }

    /** Returns the count of rows per label, labels in alphabetical order. */
    public static Map<String, Integer> countByLabel(List<? extends Labelled<?>> rows) {
        Map<String, Integer> counts = new TreeMap<>();
        rows.forEach(r -> counts.merge(r.label(), 1, Integer::sum));
        return counts;
    }
}
