package io.bulwark.resilience.failure;

/**
 * A failure meaning the provider answered, but not by the output contract. When the answer came with a token
 * count (a truncated or malformed completion is billed like any other), {@link #billed()} carries it.
 */
public final class MalformedResponse extends BoundaryFailure {

    private final transient BilledTokens billed;

    public MalformedResponse(String message) {
        this(message, (Throwable) null);
    }

    public MalformedResponse(String message, Throwable cause) {
        super(message, cause);
        this.billed = null;
    }

    /** A malformed answer that came with a token count: the provider bills it, and the ledger charges it. */
    public MalformedResponse(String message, BilledTokens billed) {
        super(message, null);
        this.billed = billed != null && billed.any() ? billed : null;
    }

    /** Returns the tokens the provider reported for the answer, if it reported any. */
    public java.util.Optional<BilledTokens> billed() {
        return java.util.Optional.ofNullable(billed);
    }

    @Override
    public FailureType type() {
        return FailureType.MALFORMED_RESPONSE;
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
