package io.bulwark.resilience.embedding;

import java.util.Objects;

/**
 * Embeds at most a fixed number of words of a text: its first {@code head} words and its last {@code tail}
 * words, joined by a space; a text of at most {@code head + tail} words is embedded unchanged. An in-process
 * embedder's cost grows with the text's tokens, so long texts are the tail of its latency; keeping the end keeps a
 * closing clause ("…, but it stopped working after a week"), which often carries a review's judgement.
 */
final class ClippedEmbedder implements Embedder {

    private final Embedder embedder;
    private final int head;
    private final int tail;

    ClippedEmbedder(Embedder embedder, int head, int tail) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (head < 1 || tail < 0) {
            throw new IllegalArgumentException("head must be at least 1 and tail at least 0: " + head + ", " + tail);
        }
        this.head = head;
        this.tail = tail;
    }

    @Override
    public String name() {
        return embedder.name();
    }

    @Override
    public int dimension() {
        return embedder.dimension();
    }

    @Override
    public float[] embed(String text) {
        return embedder.embed(clip(text, head, tail));
    }

    /** Returns {@code text} unchanged when it has at most {@code head + tail} words, else its clipped form. */
    static String clip(String text, int head, int tail) {
        String[] words = text.strip().split("\\s+");
        if (words.length <= head + tail) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < head; i++) {
            b.append(words[i]).append(' ');
        }
        for (int i = words.length - tail; i < words.length; i++) {
            b.append(words[i]).append(' ');
        }
        return b.substring(0, b.length() - 1);
    }

    @Override
    public String toString() {
        return "Clipped(" + embedder + ", first " + head + " and last " + tail + " words)";
    }
}
