package io.bulwark.sentiment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.resilience.failure.MalformedResponse;

/**
 * Enforces the LLM output contract: the message content must be exactly one JSON object
 * {@code {"sentiment": "positive|negative|neutral", "confidence": <number within 0..1>}}, with white
 * space around it allowed and extra members ignored. Anything else is a {@link MalformedResponse}, with one
 * deliberate exception: the same object inside a single Markdown code fence (three backticks, optionally
 * {@code json}), which many OpenAI-compatible models (Ollama's, vLLM's) emit even when told not to. It is the
 * contract's object, not prose; refusing it would send every answer of such a model to the fallbacks and open
 * the breaker on a healthy provider.
 */
public final class SentimentOutputParser {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final int EXCERPT = 80;

    private SentimentOutputParser() {
    }

    /** Parses the content of a chat completion, recording the tokens it cost. */
    public static Sentiment parse(String content, TokenUsage usage) {
        if (content == null || content.isBlank()) {
            throw new MalformedResponse("empty content");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(unfenced(content));
        } catch (JacksonException e) {
            throw new MalformedResponse("content is not a JSON object: " + excerpt(content));
        }
        if (node == null || !node.isObject()) {
            throw new MalformedResponse("content is not a JSON object: " + excerpt(content));
        }
        JsonNode label = node.get("sentiment");
        if (label == null || !label.isTextual()) {
            throw new MalformedResponse("\"sentiment\" is missing or not a string: " + excerpt(content));
        }
        SentimentLabel parsed = SentimentLabel.fromProvider(label.textValue())
                .orElseThrow(() -> new MalformedResponse("unknown sentiment label: " + excerpt(label.textValue())));
        JsonNode confidence = node.get("confidence");
        if (confidence == null || !confidence.isNumber()) {
            throw new MalformedResponse("\"confidence\" is missing or not a number: " + excerpt(content));
        }
        double c = confidence.doubleValue();
        if (!(c >= 0.0 && c <= 1.0)) {
            throw new MalformedResponse("confidence out of range 0..1: " + c);
        }
        return new Sentiment(parsed, c, usage);
    }

    /** The content inside one surrounding {@code ```} or {@code ```json} fence, else the content as it is. */
    static String unfenced(String content) {
        String c = content.strip();
        if (!c.startsWith("```") || !c.endsWith("```") || c.length() < 6) {
            return content;
        }
        int firstLineEnd = c.indexOf('\n');
        if (firstLineEnd < 0) {
            return content;
        }
        String language = c.substring(3, firstLineEnd).strip();
        if (!language.isEmpty() && !language.equalsIgnoreCase("json")) {
            return content;
        }
        String inside = c.substring(firstLineEnd + 1, c.length() - 3);
        return inside.contains("```") ? content : inside;
    }

    private static String excerpt(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "...";
    }
}
