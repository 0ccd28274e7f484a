package io.bulwark.functions.http;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFunctionObserverTest {

    /** Answers by the body: "ok", "bad" (a 400) or anything else (a bug). */
    static final class Echo extends JsonFunction {
        Echo() {
            super(JsonMapper.builder().build());
        }

        @Override
        protected Object handle(Message<byte[]> request) {
            String body = new String(request.getPayload());
            return switch (body) {
                case "ok" -> Map.of("answer", 42);
                case "bad" -> throw ApiException.badField("invalid_value", "x", "bad x");
                default -> throw new IllegalStateException("bug");
            };
        }
    }

    final List<FunctionCall> calls = new ArrayList<>();
    final Echo echo = new Echo();

    Message<byte[]> message(String body) {
        return MessageBuilder.withPayload(body.getBytes()).build();
    }

    @Test
    void should_report_every_call_with_its_name_status_latency_and_body() {
        echo.observeWith("echo", calls::add);

        echo.apply(message("ok"));
        echo.apply(message("bad"));
        assertThatThrownBy(() -> echo.apply(message("boom"))).isInstanceOf(IllegalStateException.class);

        assertThat(calls).extracting(FunctionCall::function).containsOnly("echo");
        assertThat(calls).extracting(FunctionCall::status).containsExactly(200, 400, 500);
        assertThat(calls.get(0).body()).isEqualTo(Map.of("answer", 42));
        assertThat(calls.get(1).body()).isEqualTo(new ApiError("invalid_value", "bad x", "x"));
        assertThat(calls.get(2).body()).isNull();
        assertThat(calls).allSatisfy(c -> assertThat(c.latencyNanos()).isPositive());
    }

    @Test
    void should_refuse_a_second_observer() {
        echo.observeWith("echo", calls::add);

        assertThatThrownBy(() -> echo.observeWith("echo", FunctionObserver.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already observed");
    }

    @Test
    void should_answer_as_before_without_an_observer() {
        Message<byte[]> m = echo.apply(message("bad"));

        assertThat(m.getHeaders().get(JsonFunction.STATUS_HEADER)).isEqualTo(400);
        assertThat(calls).isEmpty();
    }
}
