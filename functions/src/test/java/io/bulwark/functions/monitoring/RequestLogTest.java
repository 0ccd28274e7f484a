package io.bulwark.functions.monitoring;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bulwark.functions.http.ApiError;
import io.bulwark.functions.http.FunctionCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestLogTest {

    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(RequestLog.LOGGER);

    private Level level;

    @BeforeEach
    void attach() {
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        logger.setLevel(level);
    }

    private Map<String, Object> fields(ILoggingEvent e) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (KeyValuePair p : e.getKeyValuePairs()) {
            fields.put(p.key, p.value);
        }
        return fields;
    }

    @Test
    void should_log_a_sentiment_call_with_its_id_function_tier_fallback_model_latency_and_cost() {
        FunctionCall c = Calls.fallback("local_model");
        new RequestLog().onCall(new FunctionCall(c.function(), c.status(), c.latencyNanos(), c.body(), "req-9"));

        ILoggingEvent e = appender.list.getFirst();
        assertThat(fields(e)).containsEntry("request_id", "req-9").containsEntry("function", "sentiment")
                .containsEntry("status", 200).containsEntry("latency_ms", 300.0).containsEntry("tier", "local")
                .containsEntry("fallback", "local_model").containsEntry("model", "local-logreg-v2")
                .containsEntry("cost_usd", 0.0);
        assertThat(e.getFormattedMessage()).isEqualTo("function=sentiment status=200 latency_ms=300.000"
                + " request_id=req-9 tier=local fallback=local_model model=local-logreg-v2 cost_usd=0.0");
    }

    @Test
    void should_log_a_refusal_with_its_error_and_field() {
        new RequestLog().onCall(new FunctionCall("predict", 400, 1_500_000,
                new ApiError("missing_field", "island is missing", "island"), "r"));

        assertThat(fields(appender.list.getFirst())).containsEntry("error", "missing_field")
                .containsEntry("field", "island").doesNotContainKey("tier").doesNotContainKey("cost_usd");
    }

    @Test
    void should_write_the_latency_with_three_decimals_exactly_as_the_formatter_did() {
        java.util.Random random = new java.util.Random(18);
        java.util.List<Long> nanos = new java.util.ArrayList<>(java.util.List.of(0L, 1L, 499L, 500L, 999_499L,
                999_500L, 1_234_500L, 9_999_999L, 300_000_000L, 12_345_678_901L));
        for (int i = 0; i < 100_000; i++) {
            nanos.add(random.nextLong(60_000_000_000L));
            nanos.add(random.nextLong(10_000) * 1000 + 500); // exact halves of a microsecond
        }
        for (long n : nanos) {
            assertThat(RequestLog.millis(n)).as("%d ns", n)
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%.3f", n / 1e6));
        }
    }
}
