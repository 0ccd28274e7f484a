package io.bulwark.sentiment.guard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words one text has and the other lacks, both ways (lower case; letters, digits and inner apostrophes),
 * each side joined by spaces: "I was very impressed" against "I was very unimpressed" gives
 * {@code impressed} and {@code unimpressed}.
 */
record WordDifference(String onlyInFirst, String onlyInSecond) {

    static WordDifference of(String first, String second) {
        List<String> a = words(first);
        List<String> b = words(second);
        Set<String> inA = new HashSet<>(a);
        Set<String> inB = new HashSet<>(b);
        return new WordDifference(join(new ArrayList<>(new java.util.LinkedHashSet<>(a)), inB),
                join(new ArrayList<>(new java.util.LinkedHashSet<>(b)), inA));
    }

    /** Prefixes that negate a word: "comfortable" → "uncomfortable", "satisfied" → "dissatisfied". */
    static final List<String> NEGATING_PREFIXES = List.of("un", "dis", "in", "im", "ir", "il", "non");

    /** Returns true when a word only one side has is the other side's word with a negating prefix. */
    boolean negatesByPrefix() {
        Set<String> first = Set.of(onlyInFirst.isEmpty() ? new String[0] : onlyInFirst.split(" "));
        Set<String> second = Set.of(onlyInSecond.isEmpty() ? new String[0] : onlyInSecond.split(" "));
        return prefixed(first, second) || prefixed(second, first);
    }

    private static boolean prefixed(Set<String> words, Set<String> bases) {
        for (String w : words) {
            for (String prefix : NEGATING_PREFIXES) {
                if (w.length() > prefix.length() + 2 && w.startsWith(prefix)
                        && bases.contains(w.substring(prefix.length()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String join(List<String> words, Set<String> other) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (!other.contains(w)) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(w);
            }
        }
        return sb.toString();
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder w = new StringBuilder();
        for (int i = 0; i <= lower.length(); i++) {
            char c = i < lower.length() ? lower.charAt(i) : ' ';
            boolean inner = (c == '\'' || c == '\u2019') && w.length() > 0 && i + 1 < lower.length()
                    && Character.isLetter(lower.charAt(i + 1));
            if (Character.isLetterOrDigit(c) || inner) {
                w.append(c == '\u2019' ? '\'' : c);
            } else if (w.length() > 0) {
                out.add(w.toString());
                w.setLength(0);
            }
        }
        return out;
    }
}
