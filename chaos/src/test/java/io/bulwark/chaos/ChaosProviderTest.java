package io.bulwark.chaos;

import dev.langchain4j.exception.HttpException;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.FailureType;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.Unavailable;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ChaosProviderTest {

    private final SimulatedTime time = new SimulatedTime();

    private ChaosProvider provider(Fault fault, Latency base) {
        FaultPlan.Builder plan = FaultPlan.builder().baseLatency(base);
        if (fault != null) {
            plan.during(Schedule.always()).inject(1.0, fault);
        }
        return new ChaosProvider(LabelSource.constant(SentimentLabel.NEGATIVE).asProvider("gpt-4o-mini"),
                new FaultInjector(plan.build(), 1), time, time.clock());
    }

    private Deadline deadline(long millis) {
        return Deadline.after(Duration.ofMillis(millis), time);
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Fault.rateLimit(Fault.RetryAfter.MILLIS, Duration.ofMillis(300)), FailureType.RATE_LIMITED),
                Arguments.of(Fault.serverError(500), FailureType.UNAVAILABLE),
                Arguments.of(Fault.serverError(502), FailureType.UNAVAILABLE),
                Arguments.of(Fault.serverError(503), FailureType.UNAVAILABLE),
                Arguments.of(Fault.authRefused(401), FailureType.AUTH),
                Arguments.of(Fault.authRefused(403), FailureType.AUTH),
                Arguments.of(Fault.connectionReset(), FailureType.UNAVAILABLE),
                Arguments.of(Fault.emptyResponse(), FailureType.UNAVAILABLE),
                Arguments.of(Fault.malformed(Fault.Content.PROSE), FailureType.MALFORMED_RESPONSE),
                Arguments.of(Fault.malformed(Fault.Content.TRUNCATED_JSON), FailureType.MALFORMED_RESPONSE),
                Arguments.of(Fault.malformed(Fault.Content.UNKNOWN_LABEL), FailureType.MALFORMED_RESPONSE),
                Arguments.of(Fault.malformed(Fault.Content.CONFIDENCE_OUT_OF_RANGE), FailureType.MALFORMED_RESPONSE),
                Arguments.of(Fault.malformed(Fault.Content.EMPTY), FailureType.MALFORMED_RESPONSE),
                Arguments.of(Fault.partialResponse(), FailureType.MALFORMED_RESPONSE),
                Arguments.of(Fault.errorObject(), FailureType.MALFORMED_RESPONSE),
                Arguments.of(Fault.hang(Duration.ofSeconds(5)), FailureType.TIMED_OUT),
                Arguments.of(Fault.slowDrip(5, Latency.fixed(Duration.ofSeconds(3))), FailureType.TIMED_OUT));
    }

    @ParameterizedTest
    @MethodSource("faults")
    void should_throw_what_the_real_client_maps_each_fault_to(Fault fault, FailureType expected) {
        BoundaryFailure f = catchThrowableOfType(BoundaryFailure.class,
                () -> provider(fault, Latency.NONE).classify("fine", deadline(1200)));

        assertThat(f.type()).isEqualTo(expected);
    }

    @Test
    void should_answer_the_truth_after_the_base_latency_when_no_fault_is_injected() {
        Sentiment s = provider(null, Latency.fixed(Duration.ofMillis(250))).classify("fine", deadline(1200));

        assertThat(s.label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(s.usage().inputTokens()).isPositive();
        assertThat(time.read()).isEqualTo(Duration.ofMillis(250).toNanos());
    }

    @Test
    void should_wait_out_the_rest_of_the_deadline_and_time_out_when_the_provider_hangs() {
        BoundaryFailure f = catchThrowableOfType(BoundaryFailure.class,
                () -> provider(Fault.hang(Duration.ofSeconds(5)), Latency.NONE).classify("fine", deadline(1200)));

        assertThat(f.type()).isEqualTo(FailureType.TIMED_OUT);
        assertThat(time.read()).isEqualTo(Duration.ofMillis(1200).toNanos());
    }

    @Test
    void should_answer_a_slow_drip_that_ends_within_the_deadline() {
        Sentiment s = provider(Fault.slowDrip(4, Latency.fixed(Duration.ofMillis(800))), Latency.NONE)
                .classify("fine", deadline(1200));

        assertThat(s.label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(time.read()).isEqualTo(Duration.ofMillis(800).toNanos());
    }

    @Test
    void should_advertise_the_wait_as_the_header_would_round_it() {
        RateLimited seconds = catchThrowableOfType(RateLimited.class, () -> provider(
                Fault.rateLimit(Fault.RetryAfter.SECONDS, Duration.ofMillis(1200)), Latency.NONE)
                .classify("fine", deadline(1200)));
        RateLimited none = catchThrowableOfType(RateLimited.class, () -> provider(
                Fault.rateLimit(Fault.RetryAfter.NONE, Duration.ofSeconds(1)), Latency.NONE)
                .classify("fine", deadline(1200)));

        assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(none.retryAfter()).isEmpty();
    }

    @Test
    void should_read_an_http_date_retry_after_against_the_clock_as_the_real_client_does() {
        time.advance(Duration.ofMillis(300));

        RateLimited date = catchThrowableOfType(RateLimited.class, () -> provider(
                Fault.rateLimit(Fault.RetryAfter.HTTP_DATE, Duration.ofSeconds(1)), Latency.NONE)
                .classify("fine", deadline(1200)));

        // The date says 00:00:01 (one-second resolution); at 00:00:00.3 that is 700 ms away.
        assertThat(date.retryAfter()).contains(Duration.ofMillis(700));
    }

    @Test
    void should_leave_the_typing_of_a_fault_to_the_production_mapping_of_what_the_client_received() {
        BoundaryFailure f = catchThrowableOfType(BoundaryFailure.class,
                () -> provider(Fault.serverError(502), Latency.NONE).classify("fine", deadline(1200)));

        assertThat(f).isInstanceOf(Unavailable.class);
        assertThat(f.getCause()).isInstanceOfSatisfying(HttpException.class,
                http -> assertThat(http.statusCode()).isEqualTo(502));
    }
}
