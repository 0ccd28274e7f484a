package io.bulwark.chaos.contract;

import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.AuthFailed;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link SentimentProvider} must do, whatever is behind it: answer a label by the output contract
 * with the tokens it cost, name its model, and report each way a call goes wrong as the typed failure the
 * boundary decides by, within the deadline. A subclass says how its implementation gets into each situation
 * (an HTTP answer from WireMock, a fault plan, a simulated model's profile); a situation an implementation
 * cannot be in is skipped with the reason ({@link org.junit.jupiter.api.Assumptions#abort(String)}).
 */
abstract class SentimentProviderContract {

    /** The model every fixture's provider is of. */
    static final String MODEL = "gpt-4o-mini";
    /** The deadline every call is given. */
    static final Duration DEADLINE = Duration.ofSeconds(1);
    /** The wait a rate-limited provider asks for. */
    static final Duration RETRY_AFTER = Duration.ofMillis(300);

    /** A provider in a situation, and a text it can be asked about. */
    record Fixture(SentimentProvider provider, String text) {
    }

    /** The next call gets a good answer: {@code label}. */
    abstract Fixture answering(SentimentLabel label);

    /** The next call is refused for a rate limit, asking to wait {@code retryAfter}. */
    abstract Fixture rateLimited(Duration retryAfter);

    /** The next call fails with the server error {@code status}. */
    abstract Fixture serverError(int status);

    /** The next call is refused for its credentials with {@code status} (401 or 403). */
    abstract Fixture authRefused(int status);

    /** The next call gets no answer within {@link #DEADLINE}. */
    abstract Fixture silent();

    /** The next call gets an answer outside the output contract (prose where the implementation can choose). */
    abstract Fixture garbage();

    /** The time the fixtures' providers spend. */
    abstract Ticker ticker();

    /** How far past its deadline the implementation may stop; none for one in simulated time. */
    Duration cancellationLatency() {
        return Duration.ZERO;
    }

    private Sentiment call(Fixture fixture) {
        return fixture.provider().classify(fixture.text(), Deadline.after(DEADLINE, ticker()));
    }

    /** The failure of the call; any other exception fails the test, as the SPI allows no other. */
    private static BoundaryFailure failure(Fixture fixture, Deadline deadline) {
        try {
            Sentiment answer = fixture.provider().classify(fixture.text(), deadline);
            throw new AssertionError("expected a failure, got " + answer);
        } catch (BoundaryFailure f) {
            return f;
        }
    }

    private BoundaryFailure failure(Fixture fixture) {
        return failure(fixture, Deadline.after(DEADLINE, ticker()));
    }

    @ParameterizedTest
    @EnumSource(value = SentimentLabel.class, names = {"POSITIVE", "NEGATIVE", "NEUTRAL"})
    void should_answer_the_label_by_the_output_contract_with_the_tokens_it_cost(SentimentLabel label) {
        Sentiment s = call(answering(label));

        assertThat(s.label()).isEqualTo(label);
        assertThat(s.confidence()).isBetween(0.0, 1.0);
        assertThat(s.usage().inputTokens()).isPositive();
        assertThat(s.usage().outputTokens()).isPositive();
    }

    @Test
    void should_name_its_model() {
        assertThat(answering(SentimentLabel.POSITIVE).provider().model()).isEqualTo(MODEL);
    }

    @Test
    void should_report_a_rate_limit_with_the_wait_it_asked_for() {
        BoundaryFailure f = failure(rateLimited(RETRY_AFTER));

        assertThat(f).isInstanceOfSatisfying(RateLimited.class,
                r -> assertThat(r.retryAfter()).contains(RETRY_AFTER));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void should_report_a_server_error_as_unavailable(int status) {
        assertThat(failure(serverError(status))).isInstanceOf(Unavailable.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void should_report_refused_credentials_as_auth_failed(int status) {
        assertThat(failure(authRefused(status))).isInstanceOf(AuthFailed.class);
    }

    @Test
    void should_time_out_within_the_deadline_when_no_answer_comes() {
        Fixture silent = silent();
        Deadline deadline = Deadline.after(DEADLINE, ticker());

        BoundaryFailure f = failure(silent, deadline);

        assertThat(f).isInstanceOf(TimedOut.class);
        assertThat(deadline.elapsed()).isLessThanOrEqualTo(DEADLINE.plus(cancellationLatency()));
    }

    @Test
    void should_report_an_answer_outside_the_output_contract_as_malformed() {
        assertThat(failure(garbage())).isInstanceOf(MalformedResponse.class);
    }
}
