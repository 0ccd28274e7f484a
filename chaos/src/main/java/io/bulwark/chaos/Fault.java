package io.bulwark.chaos;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One way an LLM call goes wrong. Each fault is an HTTP answer ({@link HttpAnswer}) and when it comes: the {@link FakeLlmServer}
 * sends it over a socket, the {@link ChaosProvider} hands it to the real client in process, so one plan drives
 * both injection points and the production failure mapping types both.
 */
public sealed interface Fault {

    /** Returns the code counted in reports, e.g. {@code rate_limit}, {@code http_503}. */
    String code();

    /**
     * Returns true if the call certainly fails in a way that counts against the provider's health
     * (everything but rate limits and slowness, which may still answer in time).
     */
    default boolean failing() {
        return true;
    }

    /** How a 429 says how long to wait. */
    enum RetryAfter {
        /** No header: the client cannot know. */
        NONE,
        /** {@code Retry-After: <seconds>}, rounded up. */
        SECONDS,
        /** OpenAI's {@code retry-after-ms: <millis>}. */
        MILLIS,
        /** {@code Retry-After: <HTTP date>}, one-second resolution. */
        HTTP_DATE
    }

    /** Content that breaks the LLM output contract. */
    enum Content {
        PROSE, TRUNCATED_JSON, UNKNOWN_LABEL, CONFIDENCE_OUT_OF_RANGE, EMPTY;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The answer comes, but {@code latency} later than usual. */
    record Delay(Latency latency) implements Fault {
        public Delay {
            Objects.requireNonNull(latency, "latency");
        }

        @Override
        public String code() {
            return "latency";
        }

        @Override
        public boolean failing() {
            return false;
        }
    }

    /** No answer for {@code duration}: with a duration past the deadline, the caller must time out. */
    record Hang(Duration duration) implements Fault {
        public Hang {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + duration);
            }
        }

        @Override
        public String code() {
            return "timeout";
        }
    }

    /** HTTP 429, saying to retry {@code after} in the way {@code hint} says (ignored for {@link RetryAfter#NONE}). */
    record RateLimit(RetryAfter hint, Duration after) implements Fault {
        public RateLimit {
            Objects.requireNonNull(hint, "hint");
            Objects.requireNonNull(after, "after");
            if (after.isNegative()) {
                throw new IllegalArgumentException("after must not be negative: " + after);
            }
        }

        /**
         * Returns the wait the header says, after its rounding; null without one. An HTTP date is read against
         * the reader's clock at one-second resolution, so a client reads up to a second less.
         */
        public Duration advertised() {
            return switch (hint) {
                case NONE -> null;
                case MILLIS -> Duration.ofMillis(after.toMillis());
                case SECONDS, HTTP_DATE -> Duration.ofSeconds((after.toMillis() + 999) / 1000);
            };
        }

        @Override
        public String code() {
            return "rate_limit";
        }

        @Override
        public boolean failing() {
            return false;
        }
    }

    /** HTTP 5xx. */
    record ServerError(int status) implements Fault {
        public ServerError {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("status must be a 5xx: " + status);
            }
        }

        @Override
        public String code() {
            return "http_" + status;
        }
    }

    /** HTTP 401 or 403: the provider refuses the key (revoked, rotated, out of quota for this project). */
    record AuthRefused(int status) implements Fault {
        public AuthRefused {
            if (status != 401 && status != 403) {
                throw new IllegalArgumentException("status must be 401 or 403: " + status);
            }
        }

        @Override
        public String code() {
            return "http_" + status;
        }
    }

    /** The connection is reset before any answer. */
    record ConnectionReset() implements Fault {
        @Override
        public String code() {
            return "connection_reset";
        }
    }

    /** The connection is closed without a single byte of answer. */
    record EmptyResponse() implements Fault {
        @Override
        public String code() {
            return "empty_response";
        }
    }

    /** A 200 chat completion whose message content breaks the output contract. */
    record Malformed(Content content) implements Fault {
        public Malformed {
            Objects.requireNonNull(content, "content");
        }

        @Override
        public String code() {
            return "malformed_" + content.code();
        }
    }

    /** A 200 whose body is cut off half way. */
    record PartialResponse() implements Fault {
        @Override
        public String code() {
            return "partial_response";
        }
    }

    /** The body dribbles in {@code chunks} pieces spread over a time drawn from {@code total}. */
    record SlowDrip(int chunks, Latency total) implements Fault {
        public SlowDrip {
            if (chunks < 2) {
                throw new IllegalArgumentException("chunks must be at least 2: " + chunks);
            }
            Objects.requireNonNull(total, "total");
        }

        @Override
        public String code() {
            return "slow_drip";
        }

        @Override
        public boolean failing() {
            return false;
        }
    }

    /** HTTP 200 whose body is an error object instead of a completion. */
    record ErrorObject() implements Fault {
        @Override
        public String code() {
            return "error_object";
        }
    }

    static Fault delay(Latency latency) {
        return new Delay(latency);
    }

    static Fault hang(Duration duration) {
        return new Hang(duration);
    }

    static Fault rateLimit(RetryAfter hint, Duration after) {
        return new RateLimit(hint, after);
    }

    static Fault serverError(int status) {
        return new ServerError(status);
    }

    static Fault authRefused(int status) {
        return new AuthRefused(status);
    }

    static Fault connectionReset() {
        return new ConnectionReset();
    }

    static Fault emptyResponse() {
        return new EmptyResponse();
    }

    static Fault malformed(Content content) {
        return new Malformed(content);
    }

    static Fault partialResponse() {
        return new PartialResponse();
    }

    static Fault slowDrip(int chunks, Latency total) {
        return new SlowDrip(chunks, total);
    }

    static Fault errorObject() {
        return new ErrorObject();
    }
}
