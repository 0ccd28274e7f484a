package io.bulwark.resilience.embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MiniLmEmbedderTest {

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Test
    void should_embed_as_langchain4j_own_model_does_whatever_the_thread_settings() {
        String text = "The battery died after a week, but support replaced it at once.";
        float[] reference = Embedder.normalise(new dev.langchain4j.model.embedding.onnx.allminilml6v2q
                .AllMiniLmL6V2QuantizedEmbeddingModel().embed(text).content().vector());

        for (Embedder e : new Embedder[] {Embedders.miniLm(), Embedders.miniLm(1, false), Embedders.miniLm(2, true)}) {
            float[] v = e.embed(text);
            assertThat(v).hasSize(Embedders.MINILM_DIMENSION);
            assertThat(cosine(v, reference)).as("same model, same pooling: the same vector").isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void should_place_paraphrases_closer_than_opposites() {
        Embedder e = Embedders.miniLm();
        float[] good = e.embed("I love this phone, it works great");
        float[] paraphrase = e.embed("I really love this phone, it works very well");
        float[] other = e.embed("The train to Leeds was cancelled again this morning");

        assertThat(cosine(good, paraphrase)).isGreaterThan(cosine(good, other) + 0.3);
    }

    @Test
    void should_refuse_a_negative_thread_count() {
        assertThatThrownBy(() -> Embedders.miniLm(-1, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intraOpThreads");
    }
}
