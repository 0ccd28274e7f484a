package io.bulwark.resilience.embedding;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClippedEmbedderTest {

    /** Records what it was asked to embed; its vector is the text's length in the first dimension. */
    private static final class Recording implements Embedder {
        final List<String> seen = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public float[] embed(String text) {
            seen.add(text);
            return Embedder.normalise(new float[]{text.length(), 1});
        }
    }

    @Test
    void aTextWithinTheLimitIsEmbeddedExactlyAsGiven() {
        Recording inner = new Recording();
        Embedder clipped = Embedders.clipped(inner, 3, 2);
        String text = "  great  phone,\tloved it ";

        clipped.embed(text);

        assertThat(inner.seen).containsExactly(text);
        assertThat(clipped.name()).isEqualTo("recording");
        assertThat(clipped.dimension()).isEqualTo(2);
    }

    @Test
    void aLongerTextKeepsItsFirstAndLastWords() {
        Recording inner = new Recording();
        Embedder clipped = Embedders.clipped(inner, 3, 2);

        clipped.embed("the screen is bright and sharp, but it stopped working");
        Embedders.clipped(inner, 2, 0).embed("one two three");

        assertThat(inner.seen).containsExactly("the screen is stopped working", "one two");
    }

    @Test
    void refusesALimitWithoutHead() {
        assertThatThrownBy(() -> Embedders.clipped(new Recording(), 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head");
        assertThatThrownBy(() -> Embedders.clipped(new Recording(), 4, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tail");
    }
}
