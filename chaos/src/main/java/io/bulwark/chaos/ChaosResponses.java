package io.bulwark.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.bulwark.sentiment.SentimentLabel;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
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
        int delay = (int) Math.min(Integer.MAX_VALUE, injection.delay().toMillis());
        return switch (injection.fault()) {
            case null -> json(200, answer).withFixedDelay(delay);
            case Fault.Delay d -> json(200, answer).withFixedDelay(delay);
            case Fault.Hang h -> json(200, answer).withFixedDelay(delay);
            case Fault.SlowDrip s -> json(200, answer).withChunkedDribbleDelay(s.chunks(), Math.max(1, delay));
            case Fault.RateLimit r -> rateLimited(r);
            case Fault.ServerError e -> json(e.status(), Completions.error(
                    "The server had an error while processing your request.", "server_error", null));
            case Fault.ConnectionReset c -> aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER);
            case Fault.EmptyResponse e -> aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE);
            case Fault.Malformed m -> json(200, answer);
            case Fault.PartialResponse p -> json(200, answer.substring(0, answer.length() / 2));
            case Fault.ErrorObject e -> json(200, Completions.error(
                    "The model is overloaded. Please try again later.", "server_error", "overloaded"));
        };
    }

    private ResponseDefinitionBuilder rateLimited(Fault.RateLimit r) {
        ResponseDefinitionBuilder b = json(429, Completions.error("Rate limit reached for requests", "requests",
                "rate_limit_exceeded"));
        Duration wait = r.advertised();
        return switch (r.hint()) {
            case NONE -> b;
            case MILLIS -> b.withHeader("retry-after-ms", Long.toString(wait.toMillis()));
            case SECONDS -> b.withHeader("Retry-After", Long.toString(wait.toSeconds()));
            case HTTP_DATE -> b.withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    clock.instant().plus(wait).atOffset(ZoneOffset.UTC)));
        };
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

    long chatCalls() {
        return chatCalls.get();
    }

    long embeddingCalls() {
        return embeddingCalls.get();
    }
}
