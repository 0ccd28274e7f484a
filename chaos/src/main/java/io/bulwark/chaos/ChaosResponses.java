package io.bulwark.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.bulwark.sentiment.SentimentLabel;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * Turns each request to the fake server into the answer or the fault its injector decides.
 */
final class ChaosResponses implements ResponseDefinitionTransformerV2 {

    static final String NAME = "bulwark-chaos";
    private static final String JSON_TYPE = "application/json";

    private volatile FaultInjector injector;
    private volatile LabelSource truth;
    private final Clock clock;
    private final AtomicLong chatCalls = new AtomicLong();
    private final AtomicLong embeddingCalls = new AtomicLong();
    /** The fault codes of each chat call by the text it judged, in call order; null until a call log is asked for. */
    private volatile Map<String, List<String>> callLog;

    ChaosResponses(FaultInjector injector, LabelSource truth, Clock clock) {
        this.injector = injector;
        this.truth = truth;
        this.clock = clock;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String path = event.getRequest().getUrl();
        JsonNode body;
        try {
            body = Completions.JSON.readTree(event.getRequest().getBodyAsString());
        } catch (IOException | RuntimeException e) {
            return json(400, Completions.error("the request body is not JSON", "invalid_request_error", null)).build();
        }
        boolean chat = path.startsWith(FakeLlmServer.CHAT_PATH);
        (chat ? chatCalls : embeddingCalls).incrementAndGet();
        String model = body.path("model").asText("gpt-4o-mini");
        LabelSource truth = this.truth;
        Injection injection = injector.next();
        String answer;
        if (chat) {
            String text = userText(body);
            Map<String, List<String>> log = callLog;
            if (log != null) {
                log.computeIfAbsent(text, t -> Collections.synchronizedList(new ArrayList<>(2))).add(injection.code());
            }
            SentimentLabel label = truth.label(text);
            answer = Completions.chat(model, Completions.content(label, LabelSource.CONFIDENCE), Completions.usage(text));
            if (injection.fault() instanceof Fault.Malformed m) {
                answer = Completions.chat(model, Completions.content(m.content(), label), Completions.usage(text));
            }
        } else {
            answer = Completions.embeddings(model, inputs(body));
            if (injection.fault() instanceof Fault.Malformed) {
                answer = "I cannot embed that.";
            }
        }
        return respond(injection, answer).build();
    }

    private ResponseDefinitionBuilder respond(Injection injection, String answer) {
        ResponseDefinitionBuilder response = switch (HttpAnswer.of(injection.fault(), answer, clock)) {
            case HttpAnswer.Response r -> {
                ResponseDefinitionBuilder b = aResponse().withStatus(r.status()).withBody(r.body());
                r.headers().forEach(b::withHeader);
                yield b;
            }
            case HttpAnswer.Broken broken -> aResponse().withFault(switch (broken) {
                case RESET -> com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER;
                case EMPTY -> com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE;
            });
        };
        int delay = (int) Math.min(Integer.MAX_VALUE, injection.delay().toMillis());
        if (injection.fault() instanceof Fault.SlowDrip s) {
            return response.withChunkedDribbleDelay(s.chunks(), Math.max(1, delay));
        }
        return injection.answers() ? response.withFixedDelay(delay) : response;
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", JSON_TYPE).withBody(body);
    }

    /** The last user message of a chat request: the text to judge. */
    private static String userText(JsonNode body) {
        String text = "";
        for (JsonNode m : body.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                JsonNode content = m.path("content");
                text = content.isTextual() ? content.asText() : content.path(0).path("text").asText("");
            }
        }
        return text;
    }

    private static List<String> inputs(JsonNode body) {
        JsonNode input = body.path("input");
        List<String> all = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(n -> all.add(n.asText()));
        } else {
            all.add(input.asText());
        }
        return all;
    }

    void use(FaultInjector injector, LabelSource truth) {
        this.injector = injector;
        this.truth = truth;
    }

    void keepCallLog() {
        if (callLog == null) {
            callLog = new ConcurrentHashMap<>();
        }
    }

    List<String> callsFor(String text) {
        Map<String, List<String>> log = callLog;
        if (log == null) {
            throw new IllegalStateException("no call log: keepCallLog() was not called");
        }
        List<String> calls = log.get(text);
        if (calls == null) {
            return List.of();
        }
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    long chatCalls() {
        return chatCalls.get();
    }

    long embeddingCalls() {
        return embeddingCalls.get();
    }
}
