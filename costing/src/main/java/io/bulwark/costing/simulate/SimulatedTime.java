package io.bulwark.costing.simulate;

import io.bulwark.resilience.Sleeper;
import io.bulwark.resilience.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulation's time: a ticker, a wall clock and a sleeper that advance one shared reading instead of
 * waiting. Simulated providers advance it by their latency, so the chain's deadlines, time limits, breakers,
 * cache expiry and budget days all run on simulated time and a month of traffic costs no real waiting.
 */
public final class SimulatedTime implements Ticker, Sleeper {

    private final Instant epoch;
    private final AtomicLong nanos = new AtomicLong();

    /** Returns time that starts at {@code epoch}. */
    public SimulatedTime(Instant epoch) {
        this.epoch = epoch;
    }

    @Override
    public long read() {
        return nanos.get();
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
    }

    /** Moves time forward. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + duration);
        }
        nanos.addAndGet(duration.toNanos());
    }

    /** Moves time forward to {@code sinceStart} after the epoch, if it is not there yet. */
    public void advanceTo(Duration sinceStart) {
        nanos.accumulateAndGet(sinceStart.toNanos(), Math::max);
    }

    /** Returns the wall clock reading this time. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return epoch.plusNanos(nanos.get());
            }
        };
    }
}
