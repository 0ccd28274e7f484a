package io.bulwark.chaos;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * The HTTP injection point: a fake OpenAI-compatible endpoint on WireMock, bound to loopback, answering
 * {@code POST /v1/chat/completions} by the design's LLM output contract (the label from a
 * {@link LabelSource}) and {@code POST /v1/embeddings} with deterministic vectors, except when its
 * {@link FaultInjector} says otherwise: then it sends the fault at the HTTP level (429 with
 * {@code Retry-After} or {@code retry-after-ms}, 5xx, reset or empty connections, broken content, a body
 * cut half way or dribbled in chunks, a hang, a 200 error object), so that the real client, its time-outs
 * and its error mapping are exercised. Responses are asynchronous: a hang holds no server thread.
 */
public final class FakeLlmServer implements AutoCloseable {

    /** Path of the chat completions endpoint. */
    public static final String CHAT_PATH = "/v1/chat/completions";
    /** Path of the embeddings endpoint. */
    public static final String EMBEDDINGS_PATH = "/v1/embeddings";

    private final WireMockServer server;
    private final ChaosResponses responses;

    private FakeLlmServer(WireMockServer server, ChaosResponses responses) {
        this.server = server;
        this.responses = responses;
    }

    /**
     * Starts a server on {@code port} of 127.0.0.1 (0 for any free port) that injects what {@code injector}
     * decides and otherwise answers what {@code truth} says; {@code clock} dates {@code Retry-After}.
     *
     * @throws IllegalStateException if the port is taken
     */
    public static FakeLlmServer start(int port, FaultInjector injector, LabelSource truth, Clock clock) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be within 0..65535: " + port);
        }
        ChaosResponses responses = new ChaosResponses(Objects.requireNonNull(injector, "injector"),
                Objects.requireNonNull(truth, "truth"), Objects.requireNonNull(clock, "clock"));
        WireMockConfiguration options = WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(8)
                .containerThreads(32)
                .notifier(new Slf4jNotifier(false))
                .extensions(responses);
        if (port == 0) {
            options.dynamicPort();
        } else {
            options.port(port);
        }
        WireMockServer server = new WireMockServer(options);
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the fake LLM on port " + port + ": " + e.getMessage(), e);
        }
        server.stubFor(post(urlPathEqualTo(CHAT_PATH)).willReturn(aResponse().withTransformers(ChaosResponses.NAME)));
        server.stubFor(post(urlPathEqualTo(EMBEDDINGS_PATH))
                .willReturn(aResponse().withTransformers(ChaosResponses.NAME)));
        return new FakeLlmServer(server, responses);
    }

    /** From now on, injects what {@code injector} decides and answers what {@code truth} says. */
    public void use(FaultInjector injector, LabelSource truth) {
        responses.use(Objects.requireNonNull(injector, "injector"), Objects.requireNonNull(truth, "truth"));
    }

    /**
     * From now on, keeps the fault code ({@code none} for an ordinary answer) of every chat call by the text it was
     * asked to judge, so that a load run can say what the provider did to each of its requests.
     */
    public void keepCallLog() {
        responses.keepCallLog();
    }

    /**
     * Returns the fault codes of the chat calls for {@code text} since {@link #keepCallLog()}, in call order (empty:
     * the provider was not asked).
     *
     * @throws IllegalStateException if no call log is kept
     */
    public List<String> callsFor(String text) {
        return responses.callsFor(Objects.requireNonNull(text, "text"));
    }

    /** Returns the base URL to configure a client with, e.g. {@code http://127.0.0.1:18089/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    /** Returns the port it listens on. */
    public int port() {
        return server.port();
    }

    /** Returns the chat completion calls received so far. */
    public long chatCalls() {
        return responses.chatCalls();
    }

    /** Returns the embeddings calls received so far. */
    public long embeddingCalls() {
        return responses.embeddingCalls();
    }

    @Override
    public void close() {
        server.stop();
    }
}
