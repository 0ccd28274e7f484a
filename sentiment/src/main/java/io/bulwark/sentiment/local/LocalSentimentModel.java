package io.bulwark.sentiment.local;

import io.bulwark.resilience.Deadline;
import io.bulwark.sentiment.guard.ValenceLexicon;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.TokenUsage;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The in-process sentiment model: a logistic regression over hashed, lower-cased unigrams and bigrams
 * with negation scope marking, plus one valence feature per word AFINN-165 rates (see
 * {@link FeatureHasher}), each text's feature vector scaled to unit length. It answers POSITIVE or NEGATIVE (the training data is binary) with the model's probability for
 * that label as the confidence (0.5..1), and never costs tokens.
 *
 * <p>Trained on the yelp + imdb sentences it is right about 87% of the time on the held-out amazon
 * sentences (see {@code LocalSentimentModelTest} for the measured figures).
 *
 * <p>Immutable once trained, so one instance serves any number of threads. A call reads the text once,
 * allocates one small accumulator and takes about a microsecond for a 100-character sentence; it ignores
 * the deadline because it finishes far inside any cancellation latency. A null, empty or word-less text
 * has no evidence either way: its probability is {@link #NO_EVIDENCE} and the answer POSITIVE with
 * confidence 0.5, a coin flip the caller can recognise.
 */
public final class LocalSentimentModel implements SentimentProvider {

    /** The model identifier reported as {@code model_used}. */
    public static final String MODEL_ID = "local-logreg-v2";

    /**
     * The probability given to a text without any word. The bias alone is no answer for it: with every
     * feature vector scaled to unit length the bias only means something together with the words, and
     * here it would say NEGATIVE with 0.76 confidence about nothing.
     */
    public static final double NO_EVIDENCE = 0.5;

    private final FeatureHasher hasher;
    private final float[] weights;
    private final float bias;
    private final TrainingConfig config;
    private final int trainingSize;

    private LocalSentimentModel(FeatureHasher hasher, float[] weights, float bias, TrainingConfig config,
                                int trainingSize) {
        this.hasher = hasher;
        this.weights = weights;
        this.bias = bias;
        this.config = config;
        this.trainingSize = trainingSize;
    }

    /** The class-path resource of the shipped default model, written by {@link #write} (README, "Shipped models"). */
    public static final String SHIPPED_RESOURCE = "/io/bulwark/sentiment/local/" + MODEL_ID + ".model";
    /** The first bytes of a written model, with the format's version. */
    private static final String MAGIC = "bulwark-local-sentiment-1";

    /** A model read back from its file, with the SHA-256 of the data it was trained on (as written). */
    public record Stored(LocalSentimentModel model, String dataSha256) {
    }

    /**
     * Returns the shipped default model: what {@link #trainDefault()} trains, read from {@link #SHIPPED_RESOURCE}
     * instead of trained (milliseconds instead of a few hundred at start-up). {@code LocalSentimentModelTest} checks
     * that it is the model training gives, on the bundled data of this build.
     *
     * @throws IllegalStateException when the resource is missing or unreadable
     */
    public static LocalSentimentModel shipped() {
        try (InputStream in = LocalSentimentModel.class.getResourceAsStream(SHIPPED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the shipped local sentiment model is not on the class path: "
                        + SHIPPED_RESOURCE);
            }
            return read(in).model();
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new IllegalStateException("the shipped local sentiment model cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes this model: a header (format, model id, training configuration, training size, data SHA-256), the bias
     * and the non-zero weights as (index, weight) pairs, gzipped. Floats are written exactly, so {@link #read} gives
     * back a model that answers bit for bit as this one.
     */
    public void write(OutputStream out, String dataSha256) throws IOException {
        Objects.requireNonNull(dataSha256, "dataSha256");
        java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out);
        DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(gzip, 1 << 16));
        data.writeUTF(MAGIC);
        data.writeUTF(MODEL_ID);
        data.writeLong(config.seed());
        data.writeInt(config.epochs());
        data.writeDouble(config.learningRate());
        data.writeDouble(config.l2());
        data.writeInt(config.hashBits());
        data.writeBoolean(config.lexicon());
        data.writeInt(trainingSize);
        data.writeUTF(dataSha256);
        data.writeFloat(bias);
        int nonZero = 0;
        for (float w : weights) {
            if (w != 0f) {
                nonZero++;
            }
        }
        data.writeInt(nonZero);
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != 0f) {
                data.writeInt(i);
                data.writeFloat(weights[i]);
            }
        }
        data.flush();
        gzip.finish();
    }

    /**
     * Reads a model {@link #write} wrote.
     *
     * @throws IllegalArgumentException when the bytes are not such a model (another format, another model id, an
     *                                  index outside the feature space)
     */
    public static Stored read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(
                new java.util.zip.GZIPInputStream(in, 1 << 16), 1 << 16));
        String magic = data.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IllegalArgumentException("not a local sentiment model file (" + MAGIC + "): " + magic);
        }
        String id = data.readUTF();
        if (!MODEL_ID.equals(id)) {
            throw new IllegalArgumentException("the file holds model " + id + ", this code serves " + MODEL_ID);
        }
        TrainingConfig config = new TrainingConfig(data.readLong(), data.readInt(), data.readDouble(),
                data.readDouble(), data.readInt(), data.readBoolean());
        int trainingSize = data.readInt();
        String sha = data.readUTF();
        float bias = data.readFloat();
        FeatureHasher hasher = new FeatureHasher(config.hashBits(), config.lexicon() ? ValenceLexicon.afinn165() : null);
        float[] weights = new float[hasher.dimension()];
        int nonZero = data.readInt();
        for (int k = 0; k < nonZero; k++) {
            int index = data.readInt();
            if (index < 0 || index >= weights.length) {
                throw new IllegalArgumentException("weight index " + index + " outside 0.." + (weights.length - 1));
            }
            weights[index] = data.readFloat();
        }
        return new Stored(new LocalSentimentModel(hasher, weights, bias, config, trainingSize), sha);
    }

    /** The bias, for the test that compares the shipped model with a trained one. */
    float bias() {
        return bias;
    }

    /** A copy of the weights, for the test that compares the shipped model with a trained one. */
    float[] weights() {
        return weights.clone();
    }

    /**
     * Trains the default model on the bundled yelp + imdb sentences ({@link SentimentCorpus#training()})
     * with {@link TrainingConfig#defaults()}. Takes well under half a second.
     */
    public static LocalSentimentModel trainDefault() {
        return train(SentimentCorpus.training(), TrainingConfig.defaults());
    }

    /** Trains on {@code examples} with the default configuration and the given seed. */
    public static LocalSentimentModel train(List<LabelledText> examples, long seed) {
        return train(examples, TrainingConfig.defaults().withSeed(seed));
    }

    /**
     * Trains on {@code examples}: {@code config.epochs()} passes of SGD on the L2-regularised logistic loss,
     * in a shuffled order drawn from {@code config.seed()}. Deterministic: the same examples (in the same
     * order) and configuration give the same model.
     *
     * @throws IllegalArgumentException if there are no examples
     */
    public static LocalSentimentModel train(List<LabelledText> examples, TrainingConfig config) {
        Objects.requireNonNull(examples, "examples");
        Objects.requireNonNull(config, "config");
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        FeatureHasher hasher = new FeatureHasher(config.hashBits(), config.lexicon() ? ValenceLexicon.afinn165() : null);
        int n = examples.size();
        int[][] features = new int[n][];
        double[] norms = new double[n];
        double[] targets = new double[n];
        IndexBuffer buffer = new IndexBuffer();
        for (int i = 0; i < n; i++) {
            LabelledText example = Objects.requireNonNull(examples.get(i), "example");
            buffer.size = 0;
            hasher.hash(example.text(), buffer);
            features[i] = Arrays.copyOf(buffer.indices, buffer.size);
            norms[i] = norm(buffer.size);
            targets[i] = example.isPositive() ? 1.0 : 0.0;
        }

        // The weights are w = scale * v, so the L2 shrinkage of every step is one multiplication (Bottou).
        double[] v = new double[hasher.dimension()];
        double scale = 1.0;
        double b = 0.0;
        double eta0 = config.learningRate();
        double lambda = config.l2();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(config.seed());
        long step = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            for (int k : order) {
                double eta = eta0 / (1.0 + eta0 * lambda * step);
                double gradient = sigmoid(b + scale * norms[k] * dot(v, features[k])) - targets[k];
                scale *= 1.0 - eta * lambda;
                add(v, features[k], -eta * gradient * norms[k] / scale);
                b -= eta * gradient;
                step++;
                if (scale < 1e-9) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] *= scale;
                    }
                    scale = 1.0;
                }
            }
        }
        float[] weights = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            weights[i] = (float) (v[i] * scale);
        }
        return new LocalSentimentModel(hasher, weights, (float) b, config, n);
    }

    @Override
    public String model() {
        return MODEL_ID;
    }

    /**
     * Judges {@code text}: POSITIVE or NEGATIVE, with the probability of that label as confidence;
     * NEUTRAL at 0.5 for a text without any word, about which the model knows nothing.
     */
    @Override
    public Sentiment classify(String text, Deadline deadline) {
        double p = positiveProbability(text);
        if (p == NO_EVIDENCE) {
            return new Sentiment(SentimentLabel.NEUTRAL, NO_EVIDENCE, TokenUsage.NONE);
        }
        return p >= 0.5
                ? new Sentiment(SentimentLabel.POSITIVE, p, TokenUsage.NONE)
                : new Sentiment(SentimentLabel.NEGATIVE, 1.0 - p, TokenUsage.NONE);
    }

    /** Returns the label alone, for {@link Evaluation#of}. */
    public SentimentLabel label(String text) {
        return positiveProbability(text) >= 0.5 ? SentimentLabel.POSITIVE : SentimentLabel.NEGATIVE;
    }

    /**
     * Returns the model's probability that {@code text} is positive, within 0..1; exactly
     * {@link #NO_EVIDENCE} for a text without any word (null, blank, punctuation only).
     */
    public double positiveProbability(CharSequence text) {
        Scorer scorer = new Scorer(weights);
        hasher.hash(text, scorer);
        if (scorer.count == 0) {
            return NO_EVIDENCE;
        }
        return sigmoid(bias + scorer.sum * norm(scorer.count));
    }

    /**
     * Returns the raw evidence of {@code text}'s features: the sum of their weights, without the bias and
     * without scaling by the text's length. Positive leans positive. Used to judge what a few words add,
     * e.g. the words by which two texts differ; 0 for a text without any word.
     */
    public double evidence(CharSequence text) {
        Scorer scorer = new Scorer(weights);
        hasher.hash(text, scorer);
        return scorer.sum;
    }

    /** Evaluates this model on {@code examples}. */
    public Evaluation evaluate(List<LabelledText> examples) {
        return Evaluation.of(examples, this::label);
    }

    /** Returns the configuration the model was trained with. */
    public TrainingConfig config() {
        return config;
    }

    /** Returns the number of examples the model was trained on. */
    public int trainingSize() {
        return trainingSize;
    }

    @Override
    public String toString() {
        return "LocalSentimentModel[" + MODEL_ID + ", 2^" + hasher.bits() + " hashed features, trained on "
                + trainingSize + " sentences, " + config + "]";
    }

    private static double dot(double[] v, int[] indices) {
        double sum = 0.0;
        for (int index : indices) {
            sum += v[index];
        }
        return sum;
    }

    private static void add(double[] v, int[] indices, double delta) {
        for (int index : indices) {
            v[index] += delta;
        }
    }

    private static double norm(int featureCount) {
        return featureCount == 0 ? 0.0 : 1.0 / Math.sqrt(featureCount);
    }

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** Sums the weights of a text's features. */
    private static final class Scorer implements FeatureHasher.Sink {
        private final float[] weights;
        double sum;
        int count;

        Scorer(float[] weights) {
            this.weights = weights;
        }

        @Override
        public void accept(int index) {
            sum += weights[index];
            count++;
        }
    }

    /** Collects a text's feature indices during training. */
    private static final class IndexBuffer implements FeatureHasher.Sink {
        int[] indices = new int[64];
        int size;

        @Override
        public void accept(int index) {
            if (size == indices.length) {
                indices = Arrays.copyOf(indices, size * 2);
            }
            indices[size++] = index;
        }
    }
}
