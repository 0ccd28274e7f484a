package io.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in time by which a request must be answered. Every step of the boundary asks it how much
 * time is left rather than using a fixed timeout of its own.
 */
public final class Deadline {

    private final Ticker ticker;
    private final long startNanos;
    private final long endNanos;

    private Deadline(Ticker ticker, long startNanos, long endNanos) {
        this.ticker = ticker;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
    }

    /** Returns a deadline {@code budget} from now, measured by {@code ticker}. */
    public static Deadline after(Duration budget, Ticker ticker) {
        Objects.requireNonNull(ticker, "ticker");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative: " + budget);
        }
        long now = ticker.read();
        return new Deadline(ticker, now, now + budget.toNanos());
    }

    /** Returns the time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - ticker.read()));
    }

    /** Returns the time spent since the deadline was set. */
    public Duration elapsed() {
        return Duration.ofNanos(ticker.read() - startNanos);
    }

    /** Returns true once no time is left. */
    public boolean expired() {
        return endNanos - ticker.read() <= 0;
    }

    /**
     * Returns the time a step may take: {@code wanted}, but no more than what is left after keeping
     * {@code reserve} for the steps that must still run after it.
     */
    public Duration budgetFor(Duration wanted, Duration reserve) {
        Duration available = remaining().minus(reserve);
        if (available.isNegative()) {
            return Duration.ZERO;
        }
        return wanted.compareTo(available) < 0 ? wanted : available;
    }

    /** Returns the ticker this deadline reads. */
    public Ticker ticker() {
        return ticker;
    }
}
