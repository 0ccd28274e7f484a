package io.bulwark.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.TokenUsage;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The bodies an OpenAI-compatible endpoint sends: chat completions (by the design's LLM output contract or
 * broken on purpose), embeddings and error objects. Shared by both injection points so they agree.
 */
final class Completions {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Dimensions of the fake embeddings. */
    static final int EMBEDDING_DIMENSIONS = 32;
    private static final int OUTPUT_TOKENS = 9;

    private Completions() {
    }

    /** Tokens a call about {@code text} costs: a fixed prompt plus about four characters a token. */
    static TokenUsage usage(String text) {
        return new TokenUsage(40 + (text.length() + 3) / 4, OUTPUT_TOKENS);
    }

    /** The message content by the output contract. */
    static String content(SentimentLabel label, double confidence) {
        return "{\"sentiment\": \"" + label.wire() + "\", \"confidence\": " + confidence + "}";
    }

    /** Message content that breaks the contract in the way {@code kind} says. */
    static String content(Fault.Content kind, SentimentLabel label) {
        return switch (kind) {
            case PROSE -> "The sentiment of this text is clearly " + label.wire() + ".";
            case TRUNCATED_JSON -> "{\"sentiment\": \"" + label.wire() + "\", \"confid";
            case UNKNOWN_LABEL -> "{\"sentiment\": \"ecstatic\", \"confidence\": 0.9}";
            case CONFIDENCE_OUT_OF_RANGE -> "{\"sentiment\": \"" + label.wire() + "\", \"confidence\": 1.7}";
            case EMPTY -> "";
        };
    }

    /** A chat completion carrying {@code content}. */
    static String chat(String model, String content, TokenUsage usage) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-chaos").put("object", "chat.completion").put("created", 1_767_225_600L)
                .put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", "stop");
        root.putObject("usage").put("prompt_tokens", usage.inputTokens())
                .put("completion_tokens", usage.outputTokens())
                .put("total_tokens", usage.inputTokens() + usage.outputTokens());
        return write(root);
    }

    /** An embeddings answer: one deterministic unit vector per input, derived from the text. */
    static String embeddings(String model, List<String> inputs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list").put("model", model);
        ArrayNode data = root.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode vector = item.putArray("embedding");
            for (double v : vector(inputs.get(i))) {
                vector.add(v);
            }
            tokens += usage(inputs.get(i)).inputTokens() - 40;
        }
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return write(root);
    }

    static double[] vector(String text) {
        SplittableRandom r = new SplittableRandom(text.strip().toLowerCase(Locale.ROOT).hashCode());
        double[] v = new double[EMBEDDING_DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.round(v[i] / norm * 1e6) / 1e6;
        }
        return v;
    }

    /** OpenAI's error object. */
    static String error(String message, String type, String code) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", type).put("param", (String) null)
                .put("code", code);
        return write(root);
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
