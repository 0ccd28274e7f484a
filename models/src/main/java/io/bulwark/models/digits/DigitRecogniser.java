package io.bulwark.models.digits;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One version of the digit network loaded in ONNX Runtime, one session per {@link Variant}: turns a batch of
 * {@link DigitImage}s into ten probabilities each. Thread-safe (ONNX Runtime sessions are); each call runs on
 * the calling thread ({@value #THREADS} intra-op thread), so concurrency comes from concurrent requests and is
 * bounded by the caller.
 */
public final class DigitRecogniser implements AutoCloseable {

    static final int THREADS = 1;

    private final String version;
    private final Map<Variant, OrtSession> sessions;
    private final Map<Variant, Integer> sizes;

    private DigitRecogniser(String version, Map<Variant, OrtSession> sessions, Map<Variant, Integer> sizes) {
        this.version = version;
        this.sessions = sessions;
        this.sizes = sizes;
    }

    /**
     * Loads the given variants' ONNX bytes.
     *
     * @throws LoadFailure when a graph is not one ONNX Runtime can run with the expected input and output
     */
    public static DigitRecogniser load(String version, Map<Variant, byte[]> graphs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<Variant, OrtSession> sessions = new EnumMap<>(Variant.class);
        Map<Variant, Integer> sizes = new EnumMap<>(Variant.class);
        try {
            for (Map.Entry<Variant, byte[]> e : graphs.entrySet()) {
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.setIntraOpNumThreads(THREADS);
                    options.setInterOpNumThreads(1);
                    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    OrtSession session = env.createSession(e.getValue(), options);
                    sessions.put(e.getKey(), session);
                    if (!session.getInputNames().contains(OnnxCnn.INPUT)
                            || !session.getOutputNames().contains(OnnxCnn.OUTPUT)) {
                        throw new LoadFailure(version, e.getKey(), "the graph does not map '" + OnnxCnn.INPUT
                                + "' to '" + OnnxCnn.OUTPUT + "'", null);
                    }
                    sizes.put(e.getKey(), e.getValue().length);
                }
            }
        } catch (OrtException | RuntimeException e) {
            sessions.values().forEach(DigitRecogniser::closeQuietly);
            if (e instanceof LoadFailure f) {
                throw f;
            }
            throw new LoadFailure(version, null, "ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
        return new DigitRecogniser(version, sessions, sizes);
    }

    /** The version these graphs belong to. */
    public String version() {
        return version;
    }

    /** Returns true when {@code variant} was loaded. */
    public boolean has(Variant variant) {
        return sessions.containsKey(variant);
    }

    /** The size of a variant's ONNX file, in bytes. */
    public int bytes(Variant variant) {
        return sizes.get(variant);
    }

    /** Returns the ten probabilities ("0" … "9") of each image, in order. */
    public float[][] probabilities(List<DigitImage> images, Variant variant) {
        OrtSession session = sessions.get(variant);
        if (session == null) {
            throw new IllegalArgumentException(version + " has no " + variant.wire() + " variant");
        }
        float[] batch = new float[images.size() * DigitImage.PIXELS];
        for (int i = 0; i < images.size(); i++) {
            images.get(i).copyTo(batch, i * DigitImage.PIXELS);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch),
                new long[]{images.size(), DigitImage.PIXELS});
             OrtSession.Result result = session.run(Map.of(OnnxCnn.INPUT, input))) {
            return (float[][]) result.get(0).getValue();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + version + " " + variant.wire() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Returns the most likely digit of each row of probabilities. */
    public static int argmax(float[] probabilities) {
        int best = 0;
        for (int d = 1; d < probabilities.length; d++) {
            if (probabilities[d] > probabilities[best]) {
                best = d;
            }
        }
        return best;
    }

    @Override
    public void close() {
        sessions.values().forEach(DigitRecogniser::closeQuietly);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // closing frees native memory; nothing to do if it fails
        }
    }

    /** A version's graph that cannot serve. */
    public static final class LoadFailure extends RuntimeException {
        private final String version;
        private final Variant variant;

        LoadFailure(String version, Variant variant, String why, Throwable cause) {
            super("digit model " + version + (variant == null ? "" : " " + variant.wire()) + " cannot be loaded: "
                    + why, cause);
            this.version = version;
            this.variant = variant;
        }

        public String version() {
            return version;
        }

        public Variant variant() {
            return variant;
        }
    }
}
