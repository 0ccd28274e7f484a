package io.bulwark.sentiment.openai;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.MalformedResponse;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * An {@link Embedder} backed by an OpenAI-compatible {@code /embeddings} endpoint (OpenAI, Azure OpenAI,
 * Ollama, vLLM). It lives beside the chat provider so that its HTTP failures are mapped to
 * {@link BoundaryFailure}s by the same code; a vector of the wrong dimension is a malformed response.
 */
public final class OpenAiEmbedder implements Embedder {

    private final OpenAiEmbeddingModel model;
    private final String modelName;
    private final int dimension;
    private final Clock clock;

    private OpenAiEmbedder(OpenAiEmbeddingModel model, String modelName, int dimension, Clock clock) {
        this.model = model;
        this.modelName = modelName;
        this.dimension = dimension;
        this.clock = clock;
    }

    /**
     * Returns an embedder of {@code model} at {@code baseUrl}; {@code apiKey} may be blank for endpoints that
     * need none. {@code dimension} is what the model gives (e.g. 1536 for {@code text-embedding-3-small}).
     */
    public static OpenAiEmbedder create(String baseUrl, String apiKey, String model, int dimension,
                                        Duration httpTimeout, Clock clock) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1: " + dimension);
        }
        OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder builder = OpenAiEmbeddingModel.builder()
                .httpClientBuilder(new HeaderKeepingHttpClient.Builder())
                .baseUrl(baseUrl)
                .modelName(model)
                .timeout(Objects.requireNonNull(httpTimeout, "httpTimeout"))
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false);
        if (apiKey != null && !apiKey.isBlank()) {
            builder.apiKey(apiKey);
        }
        return new OpenAiEmbedder(builder.build(), model, dimension, Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public String name() {
        return modelName;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** @throws BoundaryFailure when the endpoint fails or answers with something that is not a usable vector */
    @Override
    public float[] embed(String text) {
        Response<Embedding> response;
        try {
            response = model.embed(text);
        } catch (RuntimeException e) {
            throw OpenAiFailures.map(e, clock);
        }
        float[] vector = response == null || response.content() == null ? null : response.content().vector();
        if (vector == null || vector.length != dimension) {
            throw new MalformedResponse("the embeddings endpoint answered " + (vector == null ? "no vector"
                    : vector.length + " dimensions, not " + dimension));
        }
        try {
            return Embedder.normalise(vector);
        } catch (IllegalArgumentException e) {
            throw new MalformedResponse("the embeddings endpoint answered a zero or non-finite vector", e);
        }
    }
}
