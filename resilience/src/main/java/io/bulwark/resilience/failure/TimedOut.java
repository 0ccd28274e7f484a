package io.bulwark.resilience.failure;

/**
 * A failure meaning the call did not finish within its time budget. It says something of the provider's health only
 * when the call had a fair budget: a call never made because the deadline had no time left, or cut short by what
 * earlier steps of the request had already spent, does not ({@link #notCounting}).
 */
public final class TimedOut extends BoundaryFailure {

    private final boolean counts;

    public TimedOut(String message) {
        this(message, null);
    }

    public TimedOut(String message, Throwable cause) {
        this(message, cause, true);
    }

    private TimedOut(String message, Throwable cause, boolean counts) {
        super(message, cause);
        this.counts = counts;
    }

    /**
     * Returns a time-out that does not count against the provider (a circuit breaker ignores it): the call was not
     * made, or its budget was too short to say anything of the provider.
     */
    public static TimedOut notCounting(String message, Throwable cause) {
        return new TimedOut(message, cause, false);
    }

    @Override
    public boolean countsAgainstProvider() {
        return counts;
    }

    @Override
    public FailureType type() {
        return FailureType.TIMED_OUT;
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
