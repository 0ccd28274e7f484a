package io.bulwark.resilience.embedding;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Loads the real embedder on the first {@link #embed}: start-up stays free of the model load, the first
 * request pays it.
 */
final class LazyEmbedder implements Embedder {

    private final String name;
    private final int dimension;
    private final Supplier<Embedder> loader;
    private volatile Embedder loaded;

    LazyEmbedder(String name, int dimension, Supplier<Embedder> loader) {
        this.name = Objects.requireNonNull(name, "name");
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1: " + dimension);
        }
        this.dimension = dimension;
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[] embed(String text) {
        Embedder e = loaded;
        if (e == null) {
            synchronized (this) {
                e = loaded;
                if (e == null) {
                    e = loader.get();
                    Embedders.requireDimension(e, dimension);
                    loaded = e;
                }
            }
        }
        return e.embed(text);
    }

    @Override
    public String toString() {
        return "Lazy(" + name + (loaded == null ? ", not loaded" : ", loaded") + ")";
    }
}
