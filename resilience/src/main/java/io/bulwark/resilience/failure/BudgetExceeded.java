package io.bulwark.resilience.failure;

/**
 * A failure meaning the cost budget does not allow the call.
 */
public final class BudgetExceeded extends BoundaryFailure {

    public BudgetExceeded(String message) {
        this(message, null);
    }

    public BudgetExceeded(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureType type() {
        return FailureType.BUDGET_EXCEEDED;
    }

    @Override
    public boolean retriable() {
        return false;
    }

    @Override
    public boolean countsAgainstProvider() {
        return false;
    }
}
