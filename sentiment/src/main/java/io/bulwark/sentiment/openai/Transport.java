package io.bulwark.sentiment.openai;

import dev.langchain4j.http.client.HttpRequest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The wire under the OpenAI-compatible client: sends one HTTP request and returns the answer, whatever its
 * status, or throws the {@link IOException} of a connection that broke. In production it is the JDK's HTTP
 * client; the chaos decorator hands over in process what a fault would send, so that everything above the
 * socket (langchain4j's client, the status and header handling, the output parser and the one failure
 * mapping, {@link OpenAiFailures}) runs as it does in production.
 */
@FunctionalInterface
public interface Transport {

    /** Sends {@code request}; returns the answer of any status, or throws if the connection broke. */
    Answer send(HttpRequest request) throws IOException;

    /** An HTTP answer: its status, its headers (their names in any case: readers ignore it) and its body. */
    record Answer(int status, Map<String, List<String>> headers, String body) {
        public Answer {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
        }
    }
}
