package io.bulwark.state;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that another thread or process makes true, with a generous limit (2 loaded cores). */
public final class Await {

    private Await() {
    }

    /** Returns how long {@code condition} took to hold; fails after {@code limit}. */
    public static Duration until(Duration limit, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
