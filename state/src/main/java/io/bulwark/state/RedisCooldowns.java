package io.bulwark.state;

import io.bulwark.resilience.Cooldowns;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Cooldowns of (provider, model) choices shared by the fleet: each instance decides from its own in-process
 * cooldowns (no Redis round trip on a request) and tells the others on a Redis pub/sub channel when a choice starts
 * cooling, as {@code <instance id> <end, epoch ms> <choice>}, published without waiting for Redis. An instance
 * ignores its own news; one that is (re)connecting misses it and finds the 429 itself, as it would alone. The end is
 * wall-clock time, so the fleet's clocks must roughly agree (NTP).
 */
final class RedisCooldowns implements Cooldowns {

    private final RedisLink link;
    private final String channel;
    private final Clock clock;
    private final Cooldowns local;
    private final String self = UUID.randomUUID().toString();

    RedisCooldowns(RedisLink link, Clock clock, Cooldowns local) {
        this.link = link;
        this.clock = clock;
        this.local = local;
        this.channel = link.key("cooldowns");
        link.subscribe(channel, this::heard);
    }

    private void heard(String message) {
        String[] f = message.split(" ", 3);
        if (f.length != 3 || f[0].equals(self)) {
            return;
        }
        try {
            long left = Long.parseLong(f[1]) - clock.millis();
            if (left > 0) {
                local.coolDown(f[2], Duration.ofMillis(left));
            }
        } catch (NumberFormatException damaged) {
            // not ours to understand: ignored
        }
    }

    @Override
    public Duration remaining(String choice) {
        return local.remaining(choice);
    }

    @Override
    public void coolDown(String choice, Duration duration) {
        local.coolDown(choice, duration);
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        long end = clock.millis() + duration.toMillis();
        link.fireAndForget("cooldown", c -> c.publish(channel, self + " " + end + " " + choice));
    }

    @Override
    public String toString() {
        return "shared on Redis channel " + channel;
    }
}
