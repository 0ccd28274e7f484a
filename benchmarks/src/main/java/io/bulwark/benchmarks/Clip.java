package io.bulwark.benchmarks;

import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.embedding.Embedders;

/** Parses the benchmarks' clipping option: {@code off}, or {@code HEAD+TAIL} words ({@link Embedders#clipped}). */
final class Clip {

    private Clip() {
    }

    static Embedder apply(String spec, Embedder embedder) {
        if (spec == null || spec.isBlank() || spec.equals("off")) {
            return embedder;
        }
        String[] parts = spec.split("\\+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("clip is 'off' or HEAD+TAIL words, e.g. 24+8: " + spec);
        }
        return Embedders.clipped(embedder, Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
    }
}
