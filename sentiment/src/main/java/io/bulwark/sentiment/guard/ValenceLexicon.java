package io.bulwark.sentiment.guard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A general-purpose polarity lexicon: the prior valence of single English words, as integers (negative leans
 * negative). The default is AFINN-165 (3,352 single words rated −5..+5 by hand; see
 * {@code data/afinn/NOTICE.md} for its source and licence), knowledge independent of the local model.
 */
public final class ValenceLexicon {

    static final String AFINN_RESOURCE = "/data/afinn/labels.json";

    private final Map<String, Integer> valences;

    private ValenceLexicon(Map<String, Integer> valences) {
        this.valences = valences;
    }

    /** Returns a lexicon of the given words (lower-cased; multi-word entries are ignored). */
    public static ValenceLexicon of(Map<String, Integer> valences) {
        Map<String, Integer> m = new HashMap<>();
        valences.forEach((w, v) -> {
            if (w.indexOf(' ') < 0) {
                m.put(w.toLowerCase(Locale.ROOT), Objects.requireNonNull(v, w));
            }
        });
        return new ValenceLexicon(Map.copyOf(m));
    }

    /** Returns AFINN-165, read once from the class path. */
    public static ValenceLexicon afinn165() {
        return Afinn.INSTANCE;
    }

    /** Returns the valence of one lower-case word, 0 when the lexicon does not have it. */
    public int valence(String word) {
        return valences.getOrDefault(word, 0);
    }

    /** Returns the sum of the valences of space-separated lower-case words ("" gives 0). */
    public int sum(String words) {
        int sum = 0;
        int start = 0;
        int n = words.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || words.charAt(i) == ' ') {
                if (i > start) {
                    sum += valence(words.substring(start, i));
                }
                start = i + 1;
            }
        }
        return sum;
    }

    /** Gives every rated word with its valence to {@code action}, in no particular order. */
    public void forEach(BiConsumer<String, Integer> action) {
        valences.forEach(action);
    }

    /** Returns the number of single words the lexicon rates. */
    public int size() {
        return valences.size();
    }

    private static final class Afinn {
        /** One {@code "word": integer} member of the file's flat JSON object (its words need no escapes). */
        private static final Pattern MEMBER = Pattern.compile("\"([^\"\\\\]*)\"\\s*:\\s*(-?\\d+)");

        static final ValenceLexicon INSTANCE = load();

        /**
         * Reads the flat object with a pattern rather than a JSON library: the library's first use costs about a
         * second of class loading in a cold JVM, and the local model reads this file at start-up.
         */
        private static ValenceLexicon load() {
            try (InputStream in = ValenceLexicon.class.getResourceAsStream(AFINN_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing class-path resource " + AFINN_RESOURCE);
                }
                Map<String, Integer> valences = new HashMap<>();
                Matcher m = MEMBER.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (m.find()) {
                    valences.put(m.group(1), Integer.parseInt(m.group(2)));
                }
                if (valences.isEmpty()) {
                    throw new IllegalStateException(AFINN_RESOURCE + " holds no \"word\": valence members");
                }
                return of(valences);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + AFINN_RESOURCE, e);
            }
        }
    }
}
