package io.bulwark.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which (provider, model) choices are cooling down after a provider asked us to wait (a 429 with its
 * {@code Retry-After}), and for how long: a {@link Failover} skips a cooling choice without calling it. In process
 * by default; the {@code state} module shares it with the fleet through Redis. Neither method may block a request.
 */
public interface Cooldowns {

    /** Returns how long {@code choice} is still cooling down; zero when it may be called. */
    Duration remaining(String choice);

    /** Puts {@code choice} in cooldown for {@code duration} (a longer cooldown already running is kept). */
    void coolDown(String choice, Duration duration);

    /** Returns cooldowns kept in this process, timed by {@code ticker}. */
    static Cooldowns inProcess(Ticker ticker) {
        return new InProcess(ticker);
    }

    /** Cooldowns in a map of choice to the ticker reading at which each ends. */
    final class InProcess implements Cooldowns {

        private final Ticker ticker;
        private final Map<String, Long> until = new ConcurrentHashMap<>();

        private InProcess(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
        }

        @Override
        public Duration remaining(String choice) {
            Long end = until.get(choice);
            if (end == null) {
                return Duration.ZERO;
            }
            long left = end - ticker.read();
            if (left <= 0) {
                until.remove(choice, end);
                return Duration.ZERO;
            }
            return Duration.ofNanos(left);
        }

        @Override
        public void coolDown(String choice, Duration duration) {
            Objects.requireNonNull(choice, "choice");
            if (duration.isNegative() || duration.isZero()) {
                return;
            }
            long end = ticker.read() + duration.toNanos();
            until.merge(choice, end, Math::max);
        }

        @Override
        public String toString() {
            return "in process";
        }
    }
}
