package io.bulwark.chaos.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.sentiment.SentimentLabel;

import java.io.IOException;
import java.util.Set;

/**
 * Checks one {@code /sentiment} response against the HTTP contract: its form (a 200 with exactly the
 * contract's fields, each of the right type and range), and its honesty (tier, fallback and degraded
 * agree: a fallback to the local model or the template is degraded, a cache hit says so, and only the
 * template answers "uncertain").
 */
final class ResponseCheck {

    static final Set<String> FIELDS = Set.of("sentiment", "confidence", "cached", "cache", "model_used", "tier",
            "degraded", "fallback", "cost_usd", "latency_ms", "request_id", "similarity");
    static final Set<String> SENTIMENTS = Set.of("positive", "negative", "neutral", "uncertain");
    static final Set<String> TIERS = Set.of("cache", "local", "llm-cheap", "llm-strong", "template");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResponseCheck() {
    }

    static Observation check(int index, double at, Reply reply, SentimentLabel truth) {
        double latencyMs = reply.latency().toNanos() / 1e6;
        if (reply.exception() != null) {
            return new Observation(index, at, 0, latencyMs, reply.exception(), "exception " + reply.exception(),
                    null, null, truth, null, null, false, 0);
        }
        if (reply.status() != 200) {
            return new Observation(index, at, reply.status(), latencyMs, null, "status " + reply.status(), null,
                    null, truth, null, null, false, 0);
        }
        JsonNode body;
        try {
            body = JSON.readTree(reply.body());
        } catch (IOException e) {
            return new Observation(index, at, 200, latencyMs, null, "body is not JSON", null, null, truth, null,
                    null, false, 0);
        }
        String shape = shapeProblem(body);
        if (shape != null) {
            return new Observation(index, at, 200, latencyMs, null, shape, null, null, truth, null, null, false, 0);
        }
        String tier = body.get("tier").asText();
        String fallback = body.get("fallback").isNull() ? null : body.get("fallback").asText();
        boolean degraded = body.get("degraded").asBoolean();
        return new Observation(index, at, 200, latencyMs, null, null, labelProblem(body, tier, fallback, degraded),
                body.get("sentiment").asText(), truth, tier, fallback, degraded, body.get("cost_usd").asDouble());
    }

    static String shapeProblem(JsonNode body) {
        if (body == null || !body.isObject()) {
            return "body is not a JSON object";
        }
        Set<String> names = new java.util.TreeSet<>();
        body.fieldNames().forEachRemaining(names::add);
        if (!names.equals(FIELDS)) {
            return "fields are " + names;
        }
        if (!body.get("sentiment").isTextual() || !SENTIMENTS.contains(body.get("sentiment").asText())) {
            return "sentiment is " + body.get("sentiment");
        }
        JsonNode c = body.get("confidence");
        if (!c.isNumber() || !(c.asDouble() >= 0 && c.asDouble() <= 1)) {
            return "confidence is " + c;
        }
        if (!body.get("cached").isBoolean() || !body.get("degraded").isBoolean()) {
            return "cached or degraded is not a boolean";
        }
        if (!body.get("tier").isTextual() || !TIERS.contains(body.get("tier").asText())) {
            return "tier is " + body.get("tier");
        }
        if (!body.get("model_used").isTextual() || body.get("model_used").asText().isBlank()) {
            return "model_used is " + body.get("model_used");
        }
        if (!(body.get("cache").isNull() || body.get("cache").isTextual())
                || !(body.get("fallback").isNull() || body.get("fallback").isTextual())) {
            return "cache or fallback is neither null nor a string";
        }
        JsonNode similarity = body.get("similarity");
        boolean semantic = "semantic".equals(body.get("cache").asText(null));
        if (semantic ? !(similarity.isNumber() && similarity.asDouble() >= 0 && similarity.asDouble() <= 1)
                : !similarity.isNull()) {
            return "similarity is " + similarity + " for cache " + body.get("cache");
        }
        if (!body.get("cost_usd").isNumber() || body.get("cost_usd").asDouble() < 0) {
            return "cost_usd is " + body.get("cost_usd");
        }
        if (!body.get("latency_ms").canConvertToLong() || body.get("latency_ms").asLong() < 0) {
            return "latency_ms is " + body.get("latency_ms");
        }
        if (!body.get("request_id").isTextual() || body.get("request_id").asText().isBlank()) {
            return "request_id is " + body.get("request_id");
        }
        return null;
    }

    static String labelProblem(JsonNode body, String tier, String fallback, boolean degraded) {
        boolean cached = body.get("cached").asBoolean();
        boolean uncertain = "uncertain".equals(body.get("sentiment").asText());
        if (cached != "cache".equals(tier) || cached == body.get("cache").isNull()) {
            return "cached=" + cached + " but tier=" + tier + ", cache=" + body.get("cache");
        }
        if (uncertain != "template".equals(tier)) {
            return "sentiment " + body.get("sentiment").asText() + " from tier " + tier;
        }
        String expected = switch (fallback == null ? "none" : fallback) {
            case "none" -> degraded ? "a first-choice answer marked degraded" : null;
            case "rate_limit", "timeout", "next_provider", "reask", "hedge" -> tier.startsWith("llm-") && !degraded ? null
                    : "a " + fallback + " retry answered from " + tier + (degraded ? ", degraded" : "");
            case "local_model" -> "local".equals(tier) && degraded ? null
                    : "a local-model fallback answered from " + tier + (degraded ? "" : ", not degraded");
            case "template" -> "template".equals(tier) && degraded ? null
                    : "a template fallback answered from " + tier + (degraded ? "" : ", not degraded");
            default -> "unknown fallback " + fallback;
        };
        if (expected != null) {
            return expected;
        }
        if (("local".equals(tier) || "template".equals(tier)) && fallback != null && !degraded) {
            return "a fallback answer from " + tier + " not marked degraded";
        }
        return null;
    }
}
