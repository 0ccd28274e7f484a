package io.bulwark.resilience.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A second cache level that a fleet of instances shares (Redis, in the {@code state} module), under each instance's
 * in-memory caches: answers by exact key (the {@link ExactCache#keyOf hash of the normalised text}), and a feed of
 * new entries with their embedding that every instance adds to its own semantic index, so that lookups stay in
 * memory. Values are opaque strings: the domain encodes its answers. Only answers worth repeating are shared (never
 * a degraded one).
 */
public interface CacheShare {

    /**
     * One shared answer: the exact key, the text, its unit-length embedding (null when the writer has no semantic
     * cache) and the encoded answer.
     */
    record Entry(String key, String text, float[] vector, String value) {
    }

    /**
     * Returns the answer shared under {@code key}, if any; waits at most the shared state's time-out and throws a
     * {@link RuntimeException} when it cannot tell (the caller then treats it as a miss).
     */
    Optional<String> get(String key);

    /** Shares {@code entry} for {@code ttl} without waiting for it to be stored; a failure is only counted. */
    void publish(Entry entry, Duration ttl);

    /**
     * Hears the entries that other instances publish with an embedding, from a bounded backlog of recent ones at
     * start and then as they come, on a background thread; entries older than {@code ttl} are skipped.
     */
    void subscribe(Duration ttl, Consumer<Entry> listener);

    /** No fleet: nothing is shared. */
    CacheShare NONE = new CacheShare() {
        @Override
        public Optional<String> get(String key) {
            return Optional.empty();
        }

        @Override
        public void publish(Entry entry, Duration ttl) {
        }

        @Override
        public void subscribe(Duration ttl, Consumer<Entry> listener) {
        }

        @Override
        public String toString() {
            return "none";
        }
    };
}
