package io.bulwark.state;

import io.bulwark.resilience.limit.RateLimit;
import io.bulwark.resilience.limit.RateLimiter;
import io.lettuce.core.ScriptOutputType;

import java.util.Map;

/**
 * Rate limits shared by the fleet: per model, a hash of two token buckets (requests and tokens per minute) refilled
 * continuously in Redis time and taken from atomically by a Lua script. While Redis does not answer, each instance
 * counts in process against the whole limit (the fleet may then send up to its size times the limit).
 */
final class RedisRateLimiter implements RateLimiter {

    private static final String TAKE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
            local rpm = tonumber(ARGV[1])
            local tpm = tonumber(ARGV[2])
            local asked = tonumber(ARGV[3])
            local v = redis.call('HMGET', KEYS[1], 'r', 't', 'at')
            local r = tonumber(v[1]) or rpm
            local k = tonumber(v[2]) or tpm
            local at = tonumber(v[3]) or now
            local minutes = math.max(0, now - at) / 60000
            r = math.min(rpm, r + minutes * rpm)
            k = math.min(tpm, k + minutes * tpm)
            local fits = (rpm == 0 or r >= 1) and (tpm == 0 or k >= asked)
            if fits then
              r = r - 1
              k = k - asked
            end
            redis.call('HSET', KEYS[1], 'r', tostring(r), 't', tostring(k), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], 120000)
            if fits then return 1 end
            return 0
            """;

    private final RedisLink link;
    private final Map<String, RateLimit> limits;
    private final RateLimiter alone;

    RedisRateLimiter(RedisLink link, Map<String, RateLimit> limits, RateLimiter alone) {
        this.link = link;
        this.limits = Map.copyOf(limits);
        this.alone = alone;
    }

    @Override
    public boolean tryAcquire(String model, long tokens) {
        RateLimit limit = limit(model);
        if (!limit.limits()) {
            return true;
        }
        try {
            Long fits = link.call("rate limit " + model, c -> c.eval(TAKE, ScriptOutputType.INTEGER,
                    new String[]{link.key("limit:" + model)}, Long.toString(limit.rpm()), Long.toString(limit.tpm()),
                    Long.toString(tokens)));
            return fits == 1L;
        } catch (SharedStateUnavailable away) {
            return alone.tryAcquire(model, tokens);
        }
    }

    @Override
    public RateLimit limit(String model) {
        return alone.limit(model);
    }

    @Override
    public String toString() {
        return "shared on Redis " + limits;
    }
}
