package io.bulwark.state;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a fleet's shared state lives and how long a request may wait for it.
 *
 * @param redisUrl  a Redis URL ({@code redis://host:6379/0}, {@code rediss://...} with TLS)
 * @param keyPrefix put before every key and channel, so that several deployments can share one Redis
 * @param timeout   the longest a request waits for one Redis command before it decides from in-process state
 * @param retry     after a failed command, how long requests skip Redis before it is tried again (and how often a
 *                  lost connection is re-opened in the background)
 */
public record StateConfig(String redisUrl, String keyPrefix, Duration timeout, Duration retry) {

    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "bulwark:";
    /** The default wait for one Redis command: a request never waits longer on shared state. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
    /** The default pause after a failed command before Redis is tried again. */
    public static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);

    public StateConfig {
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retry, "retry");
        if (redisUrl.isBlank()) {
            throw new IllegalArgumentException("a Redis URL is required for shared state");
        }
        if (timeout.isNegative() || timeout.isZero() || retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("the timeout and the retry pause must be positive: " + timeout + ", "
                    + retry);
        }
    }

    /** Returns the defaults for {@code redisUrl}. */
    public static StateConfig of(String redisUrl) {
        return new StateConfig(redisUrl, DEFAULT_KEY_PREFIX, DEFAULT_TIMEOUT, DEFAULT_RETRY);
    }

    /** Returns this configuration with another key prefix. */
    public StateConfig withKeyPrefix(String prefix) {
        return new StateConfig(redisUrl, prefix, timeout, retry);
    }

    /** Returns this configuration with another command time-out. */
    public StateConfig withTimeout(Duration timeout) {
        return new StateConfig(redisUrl, keyPrefix, timeout, retry);
    }

    @Override
    public String toString() {
        // The URL may carry a password: show only where it points.
        String shown = redisUrl.replaceAll("//[^@/]*@", "//****@");
        return "StateConfig[" + shown + ", prefix " + keyPrefix + ", timeout " + timeout.toMillis() + " ms, retry "
                + retry.toMillis() + " ms]";
    }
}
