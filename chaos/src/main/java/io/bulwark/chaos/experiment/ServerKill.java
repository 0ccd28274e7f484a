package io.bulwark.chaos.experiment;

import java.util.Objects;

/**
 * A real server the target depends on (shared state: Redis) killed with SIGKILL part-way through a run and started
 * again later, as a crash and a restart would.
 *
 * @param server    what is killed, for the report, e.g. {@code redis-server}
 * @param killAt    the share of the run's requests after which it is killed (0..1)
 * @param restartAt the share after which it is started again (after {@code killAt}, below 1)
 */
public record ServerKill(String server, double killAt, double restartAt) {

    public ServerKill {
        Objects.requireNonNull(server, "server");
        if (!(killAt > 0 && killAt < restartAt && restartAt < 1)) {
            throw new IllegalArgumentException("0 < killAt < restartAt < 1: " + killAt + ", " + restartAt);
        }
    }

    /** Returns true if request {@code i} of {@code n} is the first after the kill. */
    boolean killsBefore(int i, int n) {
        return i == first(killAt, n);
    }

    /** Returns true if request {@code i} of {@code n} is the first after the restart. */
    boolean restartsBefore(int i, int n) {
        return i == first(restartAt, n);
    }

    /** Returns true if request {@code i} of {@code n} arrives while the server is down. */
    public boolean down(int i, int n) {
        return i >= first(killAt, n) && i < first(restartAt, n);
    }

    private static int first(double position, int n) {
        return (int) Math.ceil(position * n);
    }
}
