package io.bulwark.resilience.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bulwark.resilience.Ticker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A bounded, expiring cache of answers keyed by a hash of the normalised text (Unicode NFKC,
 * lower case, runs of white space collapsed, trimmed), so that texts differing only in case or
 * spacing share an entry. Thread-safe.
 */
public final class ExactCache<V> {

    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    /** A 128-bit prefix of the SHA-256 of the normalised text: collisions are negligible and keys small. */
    record Key(long high, long low) {
    }

    private final Cache<Key, V> cache;

    private ExactCache(Cache<Key, V> cache) {
        this.cache = cache;
    }

    /** Returns a cache of at most {@code maximumSize} entries, each kept for {@code ttl} after it was written. */
    public static <V> ExactCache<V> create(long maximumSize, Duration ttl, Ticker ticker) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be at least 1: " + maximumSize);
        }
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        Objects.requireNonNull(ticker, "ticker");
        Cache<Key, V> cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(ttl)
                .ticker(ticker::read)
                .executor(Runnable::run)
                .build();
        return new ExactCache<>(cache);
    }

    /** Returns the value cached for {@code text}, if any. */
    public Optional<V> get(String text) {
        return Optional.ofNullable(cache.getIfPresent(key(text)));
    }

    /** Caches {@code value} for {@code text}. */
    public void put(String text, V value) {
        cache.put(key(text), Objects.requireNonNull(value, "value"));
    }

    /** Returns the approximate number of entries. */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Returns the text as the cache sees it. */
    public static String normalise(String text) {
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder(nfkc.length());
        boolean space = false;
        for (int i = 0; i < nfkc.length(); i++) {
            char c = nfkc.charAt(i);
            if (Character.isWhitespace(c)) {
                space = sb.length() > 0;
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Returns the key of {@code text} as 32 hex digits: the same for every text that normalises alike. */
    public static String keyOf(String text) {
        Key k = key(text);
        return String.format(Locale.ROOT, "%016x%016x", k.high(), k.low());
    }

    static Key key(String text) {
        byte[] digest = sha256().digest(normalise(text).getBytes(StandardCharsets.UTF_8));
        return new Key(toLong(digest, 0), toLong(digest, 8));
    }

    private static long toLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return v;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
