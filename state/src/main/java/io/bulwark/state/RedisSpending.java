package io.bulwark.state;

import io.bulwark.costing.SharedSpending;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * The daily budget's spending on Redis. Per UTC day, a float key of the money spent and a sorted set of the holds of
 * calls in flight (member {@code id:usd}, score the end of its lease in Redis time); both expire two days after the
 * last write. A Lua script takes a hold atomically (spent plus held below the limit), after dropping the holds whose
 * lease ended (their instance died mid-call).
 */
final class RedisSpending implements SharedSpending {

    /** How long a hold lives without being settled: far beyond any deadline, well within the day. */
    static final Duration LEASE = Duration.ofMinutes(2);
    private static final long KEY_TTL_SECONDS = Duration.ofDays(2).toSeconds();

    private static final String HOLD = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
            local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
            local held = 0
            for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
              held = held + tonumber(string.match(m, ':([^:]+)$'))
            end
            if spent + held >= tonumber(ARGV[2]) then
              return {0, tostring(spent), tostring(held)}
            end
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3] .. ':' .. ARGV[1])
            redis.call('EXPIRE', KEYS[2], ARGV[5])
            return {1, tostring(spent), tostring(held + tonumber(ARGV[1]))}
            """;

    private static final String SETTLE = """
            redis.call('ZREM', KEYS[2], ARGV[1])
            local spent = redis.call('INCRBYFLOAT', KEYS[1], ARGV[2])
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            local held = 0
            for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
              held = held + tonumber(string.match(m, ':([^:]+)$'))
            end
            return {tostring(spent), tostring(held)}
            """;

    private static final String READ = """
            local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
            local held = 0
            for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
              held = held + tonumber(string.match(m, ':([^:]+)$'))
            end
            return {tostring(spent), tostring(held)}
            """;

    private final RedisLink link;

    RedisSpending(RedisLink link) {
        this.link = link;
    }

    private String[] keys(LocalDate day) {
        return new String[]{link.key("budget:" + day + ":spent"), link.key("budget:" + day + ":held")};
    }

    private static String usd(double usd) {
        return java.math.BigDecimal.valueOf(usd).toPlainString();
    }

    @Override
    public Hold hold(LocalDate day, String id, double usd, double limitUsd) {
        List<Object> r = link.call("budget hold", c -> c.eval(HOLD, ScriptOutputType.MULTI, keys(day), usd(usd),
                usd(limitUsd), id, Long.toString(LEASE.toMillis()), Long.toString(KEY_TTL_SECONDS)));
        return new Hold(((Long) r.get(0)) == 1L, new Totals(number(r.get(1)), number(r.get(2))));
    }

    @Override
    public Totals settle(LocalDate day, String id, double heldUsd, double spentUsd) {
        List<Object> r = link.call("budget settle", c -> c.eval(SETTLE, ScriptOutputType.MULTI, keys(day),
                id + ":" + usd(heldUsd), usd(spentUsd), Long.toString(KEY_TTL_SECONDS)));
        return new Totals(number(r.get(0)), number(r.get(1)));
    }

    @Override
    public Totals spend(LocalDate day, double usd) {
        return settle(day, "-", 0, usd);
    }

    @Override
    public Totals read(LocalDate day) {
        List<Object> r = link.call("budget read", c -> c.eval(READ, ScriptOutputType.MULTI, keys(day)));
        return new Totals(number(r.get(0)), number(r.get(1)));
    }

    private static double number(Object o) {
        return Double.parseDouble(o.toString());
    }

    @Override
    public String toString() {
        return "on Redis (" + link.config() + ")";
    }
}
