package io.bulwark.benchmarks;

import io.bulwark.sentiment.local.LabelledText;
import io.bulwark.sentiment.SentimentLabel;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rule-generated variants of a labelled sentence, for measuring a semantic cache: a paraphrase that keeps the
 * sentiment, a negation that turns it around, and a contrast clause that turns it around. The labels of the
 * generated sentences follow from the rules (negation flips, a "but" clause of the other polarity wins); a
 * rule that does not apply gives no variant.
 */
final class SentenceVariants {

    /** Auxiliaries that take "not" after them, first match wins. */
    private static final Pattern AUXILIARY = Pattern.compile(
            "\\b(is|was|are|were|would|will|could|should|has been|have been|does|do|did)\\b(?! not\\b)",
            Pattern.CASE_INSENSITIVE);
    /** Negated auxiliaries and what they become without the negation. */
    private static final Pattern NEGATED = Pattern.compile(
            "\\b(isn't|wasn't|aren't|weren't|wouldn't|won't|couldn't|shouldn't|doesn't|don't|didn't|can't|cannot)\\b"
                    + "|\\b(is|was|are|were|would|will|could|should|does|do|did|can) not\\b",
            Pattern.CASE_INSENSITIVE);
    /**
     * Sentiment words (positive first) and their opposites; the first one found in a sentence whose polarity
     * is the sentence's label is swapped.
     */
    private static final String[][] ANTONYMS = {
            {"great", "terrible"}, {"good", "bad"}, {"excellent", "awful"}, {"love", "hate"}, {"loved", "hated"},
            {"best", "worst"}, {"happy", "unhappy"}, {"recommend", "discourage"}, {"works", "fails"},
            {"worked", "failed"}, {"nice", "poor"}, {"perfect", "useless"}, {"fine", "broken"},
            {"comfortable", "uncomfortable"}, {"easy", "difficult"}, {"pleased", "disappointed"},
            {"satisfied", "dissatisfied"}, {"well", "badly"}, {"impressed", "unimpressed"}, {"cool", "lame"}};
    private static final Pattern WORD = Pattern.compile("\\b[A-Za-z]+\\b");
    private static final List<String> PRAISE = List.of("but overall I am very happy with it.",
            "but in the end it works great.", "but I would still buy it again.");
    private static final List<String> COMPLAINT = List.of("but it stopped working after a week.",
            "but overall I am disappointed.", "but I would not buy it again.");

    private SentenceVariants() {
    }

    /** "Honestly, " in front: the same meaning and sentiment. */
    static LabelledText paraphrase(LabelledText t) {
        String s = t.text().strip();
        return new LabelledText("Honestly, " + Character.toLowerCase(s.charAt(0)) + s.substring(1), t.label());
    }

    /** Adds "not" after the first auxiliary, or removes the first negation; flips the label. */
    static Optional<LabelledText> negated(LabelledText t) {
        String s = t.text();
        Matcher neg = NEGATED.matcher(s);
        String out = null;
        if (neg.find()) {
            String word = neg.group(1) != null ? neg.group(1) : neg.group(2);
            out = s.substring(0, neg.start()) + positiveForm(word) + s.substring(neg.end());
        } else {
            Matcher aux = AUXILIARY.matcher(s);
            if (aux.find()) {
                out = s.substring(0, aux.end()) + " not" + s.substring(aux.end());
            }
        }
        return Optional.ofNullable(out).map(o -> new LabelledText(o, flip(t.label())));
    }

    /**
     * Swaps the first sentiment word for its opposite ("great" → "terrible", "disappointed" → "pleased"): no
     * negator or contrast word is added, so only a judgement of the words themselves can tell. Flips the label.
     * <p>
     * Only a word whose own polarity is the sentence's label is swapped: flipping the label is right only if
     * the swapped word carries the sentence's judgement. A positive word in a negative sentence (or the
     * reverse) does not — it is negated, restricted or outweighed by another clause ("none of which worked and
     * I ended up ... wiping out all my data", "it only worked once", "breaks really easy") — and the rule cannot
     * tell what swapping it does to the label, so such a word is passed over.
     */
    static Optional<LabelledText> antonym(LabelledText t) {
        Matcher m = WORD.matcher(t.text());
        int labelSide = t.label() == SentimentLabel.POSITIVE ? 0 : t.label() == SentimentLabel.NEGATIVE ? 1 : -1;
        while (m.find()) {
            String w = m.group();
            for (String[] pair : ANTONYMS) {
                for (int side = 0; side < 2; side++) {
                    if (side == labelSide && pair[side].equalsIgnoreCase(w)) {
                        String other = pair[1 - side];
                        if (Character.isUpperCase(w.charAt(0))) {
                            other = Character.toUpperCase(other.charAt(0)) + other.substring(1);
                        }
                        return Optional.of(new LabelledText(t.text().substring(0, m.start()) + other
                                + t.text().substring(m.end()), flip(t.label())));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Appends a "but" clause of the other polarity; the label becomes the clause's. */
    static LabelledText contrasted(LabelledText t, int index) {
        String s = t.text().strip().replaceAll("[.!?]+$", "");
        boolean positive = t.label() == SentimentLabel.POSITIVE;
        List<String> clauses = positive ? COMPLAINT : PRAISE;
        return new LabelledText(s + ", " + clauses.get(index % clauses.size()), flip(t.label()));
    }

    private static String positiveForm(String negated) {
        String w = negated.toLowerCase();
        String base = switch (w) {
            case "won't" -> "will";
            case "can't", "cannot" -> "can";
            default -> w.endsWith("n't") ? w.substring(0, w.length() - 3) : w;
        };
        return Character.isUpperCase(negated.charAt(0))
                ? Character.toUpperCase(base.charAt(0)) + base.substring(1) : base;
    }

    private static SentimentLabel flip(SentimentLabel l) {
        return l == SentimentLabel.POSITIVE ? SentimentLabel.NEGATIVE : SentimentLabel.POSITIVE;
    }
}
