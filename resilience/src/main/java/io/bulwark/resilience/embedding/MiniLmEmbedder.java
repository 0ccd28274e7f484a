package io.bulwark.resilience.embedding;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The quantized all-MiniLM-L6-v2 sentence embedder, run in process by ONNX Runtime through langchain4j.
 * The langchain4j model is thread-safe; its own executor is not used because {@link #embed} embeds one text
 * on the calling thread.
 */
final class MiniLmEmbedder implements Embedder {

    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    @Override
    public String name() {
        return Embedders.MINILM;
    }

    @Override
    public int dimension() {
        return Embedders.MINILM_DIMENSION;
    }

    @Override
    public float[] embed(String text) {
        return Embedder.normalise(model.embed(text).content().vector());
    }
}
