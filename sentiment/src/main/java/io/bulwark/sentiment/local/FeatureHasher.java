package io.bulwark.sentiment.local;

import io.bulwark.sentiment.guard.ValenceLexicon;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a text into hashed feature indices in one pass over its characters, without building strings,
 * regular expressions or token lists:
 * <ul>
 *   <li>tokens are maximal runs of letters and digits, lower-cased; an apostrophe between letters is
 *       dropped ({@code didn't} hashes as {@code didnt});</li>
 *   <li>every token gives a unigram feature and, with the token before it in the same clause, a bigram
 *       feature; clause punctuation ({@code . , ; : ! ? ( )}) starts a new clause;</li>
 *   <li>after a negator ({@code not}, {@code no}, {@code never}, any {@code n't} contraction, ...) the
 *       following tokens are marked as negated (they hash differently) until clause punctuation or a
 *       contrast word ({@code but}, {@code however}, ...);</li>
 *   <li>with a lexicon, a token the lexicon rates also gives one feature for its valence (−5..+5, sign
 *       flipped in a negation scope), shared by every word of that valence: what the model learns about
 *       "+3 words" from the training sentences carries over to +3 words they never contain ("happy" in a
 *       restaurant corpus that only ever says "loved").</li>
 * </ul>
 * Tokens are hashed with 32-bit FNV-1a as their characters are read; feature indices are the
 * MurmurHash3 finaliser of the (marked) token or bigram hash, masked to {@code 2^bits}. Immutable and
 * thread-safe.
 */
final class FeatureHasher {

    /** Receives the index of every feature of a text, repeated as often as it occurs. */
    @FunctionalInterface
    interface Sink {
        void accept(int index);
    }

    static final int MIN_BITS = 10;
    static final int MAX_BITS = 24;

    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;
    private static final int NEGATED_SALT = 0x5bd1e995;
    private static final int BIGRAM_SALT = 0x27d4eb2f;
    private static final int BIGRAM_MULTIPLIER = 0x9e3779b1;
    private static final int VALENCE_SALT = 0x68e31da4;
    /** Marks "no previous token in this clause". */
    private static final int NONE = 0;

    /** Tokens (apostrophes removed) that open a negation scope, besides any {@code n't} contraction. */
    static final String[] NEGATORS = {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot", "without",
        "hardly", "barely", "dont", "didnt", "doesnt", "isnt", "wasnt", "werent", "arent", "cant", "couldnt",
        "wouldnt", "shouldnt", "wont", "aint", "havent", "hasnt", "hadnt", "neednt", "mustnt"
    };
    /** Tokens that close a negation scope. */
    static final String[] CONTRASTS = {"but", "however", "although", "though", "yet", "except", "whereas"};

    private static final int[] NEGATOR_HASHES = sortedHashes(NEGATORS);
    private static final int[] CONTRAST_HASHES = sortedHashes(CONTRASTS);
    private static final boolean[] ASCII_WORD = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            ASCII_WORD[c] = true;
            ASCII_WORD[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            ASCII_WORD[c] = true;
        }
    }

    private final int bits;
    private final int mask;
    /** The lexicon's words as token hashes, sorted; {@link #valences} holds their valences in the same order. */
    private final int[] ratedHashes;
    private final int[] valences;

    /** A hasher without a lexicon. */
    FeatureHasher(int bits) {
        this(bits, null);
    }

    /** A hasher that adds a valence feature for every word {@code lexicon} rates (null: none). */
    FeatureHasher(int bits, ValenceLexicon lexicon) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("hash bits must be within " + MIN_BITS + ".." + MAX_BITS + ": " + bits);
        }
        this.bits = bits;
        this.mask = (1 << bits) - 1;
        Map<Integer, Integer> rated = new TreeMap<>();
        if (lexicon != null) {
            // As the tokenizer reads them: lower case, apostrophes dropped; a word with any other character
            // (a hyphen, a space) never is one token, so it is left out.
            lexicon.forEach((word, valence) -> {
                String token = word.replace("'", "");
                if (valence != 0 && !token.isEmpty() && token.chars().allMatch(c -> isWordChar((char) c))) {
                    rated.put(tokenHash(token), valence);
                }
            });
        }
        this.ratedHashes = rated.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.valences = rated.values().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Returns the number of hash bits. */
    int bits() {
        return bits;
    }

    /** Returns the number of distinct feature indices, {@code 2^bits}. */
    int dimension() {
        return mask + 1;
    }

    /** Feeds every feature index of {@code text} to {@code sink}; an empty or null text has none. */
    void hash(CharSequence text, Sink sink) {
        if (text == null) {
            return;
        }
        int n = text.length();
        int h = FNV_OFFSET;
        int length = 0;
        int apostropheAt = -1;
        char last = 0;
        char beforeLast = 0;
        int previous = NONE;
        boolean negated = false;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : ' ';
            if (isWordChar(c)) {
                char lower = c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c);
                h = (h ^ lower) * FNV_PRIME;
                beforeLast = last;
                last = lower;
                length++;
                continue;
            }
            if ((c == '\'' || c == '\u2019') && length > 0 && i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                apostropheAt = length;
                continue;
            }
            if (length > 0) {
                if (Arrays.binarySearch(CONTRAST_HASHES, h) >= 0) {
                    negated = false;
                }
                int marked = negated ? h ^ NEGATED_SALT : h;
                sink.accept(fmix(marked) & mask);
                if (previous != NONE) {
                    sink.accept(fmix(previous * BIGRAM_MULTIPLIER + marked + BIGRAM_SALT) & mask);
                }
                previous = marked == NONE ? 1 : marked;
                int rated = ratedHashes.length == 0 ? -1 : Arrays.binarySearch(ratedHashes, h);
                if (rated >= 0) {
                    int valence = negated ? -valences[rated] : valences[rated];
                    sink.accept(fmix(VALENCE_SALT + valence) & mask);
                }
                if (Arrays.binarySearch(NEGATOR_HASHES, h) >= 0
                        || (apostropheAt == length - 1 && last == 't' && beforeLast == 'n')) {
                    negated = true;
                }
                h = FNV_OFFSET;
                length = 0;
                apostropheAt = -1;
                last = 0;
                beforeLast = 0;
            }
            if (isClauseBreak(c)) {
                negated = false;
                previous = NONE;
            }
        }
    }

    private static boolean isWordChar(char c) {
        return c < 128 ? ASCII_WORD[c] : Character.isLetterOrDigit(c);
    }

    private static boolean isClauseBreak(char c) {
        return switch (c) {
            case '.', ',', ';', ':', '!', '?', '(', ')' -> true;
            default -> false;
        };
    }

    /** The 32-bit FNV-1a hash of a lower-case word, as {@link #hash} computes it for a token. */
    static int tokenHash(String word) {
        int h = FNV_OFFSET;
        for (int i = 0; i < word.length(); i++) {
            h = (h ^ word.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    /** The MurmurHash3 32-bit finaliser: spreads every input bit over the output. */
    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int[] sortedHashes(String[] words) {
        int[] hashes = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            hashes[i] = tokenHash(words[i]);
        }
        Arrays.sort(hashes);
        return hashes;
    }
}
