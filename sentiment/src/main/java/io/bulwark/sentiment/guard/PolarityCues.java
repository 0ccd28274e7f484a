package io.bulwark.sentiment.guard;

import java.util.Locale;
import java.util.Set;

/**
 * Counts the words that can turn a sentence's sentiment around: negators ({@code not}, {@code never},
 * {@code no}, any {@code n't} contraction, ...) and contrast words ({@code but}, {@code however}, ...).
 * Embeddings hardly see them ("I would recommend it" and "I would not recommend it" are about as similar as
 * true paraphrases), so the guard compares them directly.
 */
record PolarityCues(int negations, int contrasts) {

    /** Negators, apostrophes removed; any word ending in {@code n't} counts as well. */
    static final Set<String> NEGATORS = Set.of(
            "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot", "without",
            "hardly", "barely", "scarcely", "dont", "didnt", "doesnt", "isnt", "wasnt", "werent", "arent", "cant",
            "couldnt", "wouldnt", "shouldnt", "wont", "aint", "havent", "hasnt", "hadnt", "neednt", "mustnt");
    static final Set<String> CONTRASTS = Set.of(
            "but", "however", "although", "though", "yet", "except", "whereas", "despite", "nevertheless",
            "nonetheless", "otherwise", "instead");

    /** Returns the cues of {@code text}. */
    static PolarityCues of(String text) {
        int negations = 0;
        int contrasts = 0;
        StringBuilder word = new StringBuilder();
        boolean apostropheT = false;
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i <= lower.length(); i++) {
            char c = i < lower.length() ? lower.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
                continue;
            }
            boolean apostrophe = c == '\'' || c == '\u2019';
            if (apostrophe && word.length() > 0 && i + 1 < lower.length()
                    && Character.isLetter(lower.charAt(i + 1))) {
                apostropheT = word.charAt(word.length() - 1) == 'n' && lower.charAt(i + 1) == 't';
                continue; // "didn't" is read as "didnt"
            }
            if (word.length() > 0) {
                String w = word.toString();
                if (NEGATORS.contains(w) || (apostropheT && w.endsWith("nt"))) {
                    negations++;
                } else if (CONTRASTS.contains(w)) {
                    contrasts++;
                }
                word.setLength(0);
                apostropheT = false;
            }
        }
        return new PolarityCues(negations, contrasts);
    }
}
