package io.bulwark.resilience.cache;

/**
 * A check that a semantic-cache hit is safe to serve for a query: similarity says two texts are about the
 * same thing, not that they deserve the same answer.
 *
 * @param <V> the cached answer
 */
@FunctionalInterface
public interface HitGuard<V> {

    /** Returns true when {@code hit} may be served as the answer to {@code query}. */
    boolean allows(String query, SemanticCache.Hit<V> hit);

    /** Returns the guard that accepts every hit. */
    @SuppressWarnings("unchecked")
    static <V> HitGuard<V> none() {
        return (HitGuard<V>) NoGuard.INSTANCE;
    }

    /** Accepts every hit. */
    enum NoGuard implements HitGuard<Object> {
        INSTANCE;

        @Override
        public boolean allows(String query, SemanticCache.Hit<Object> hit) {
            return true;
        }

        @Override
        public String toString() {
            return "none";
        }
    }
}
