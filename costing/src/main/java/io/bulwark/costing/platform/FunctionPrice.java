package io.bulwark.costing.platform;

import java.util.Objects;

/**
 * What a pay-per-use function platform (AWS Lambda, Azure Functions consumption) charges: per GB-second of memory
 * held while a request runs, and per request. A request is billed from the time it enters the function until the
 * function returns, waits for an LLM included, rounded up to {@code durationStepMs} and to at least
 * {@code minimumDurationMs}; memory is rounded up to {@code memoryStepMb} and to at least {@code minimumMemoryMb}.
 *
 * @param name              the platform's name in the price file, e.g. {@code aws-lambda-arm64}
 * @param perGbSecond       US dollars per GB-second
 * @param perMillionRequests US dollars per million requests (invocations, executions)
 */
public record FunctionPrice(String name, double perGbSecond, double perMillionRequests, long minimumDurationMs,
                            long durationStepMs, int minimumMemoryMb, int memoryStepMb) {

    public FunctionPrice {
        Objects.requireNonNull(name, "name");
        if (!(perGbSecond >= 0) || !(perMillionRequests >= 0)) {
            throw new IllegalArgumentException(name + ": prices must be non-negative numbers");
        }
        if (minimumDurationMs < 0 || durationStepMs < 1 || minimumMemoryMb < 1 || memoryStepMb < 1) {
            throw new IllegalArgumentException(name + ": billing steps must be positive");
        }
    }

    /** Returns the milliseconds billed for a request that ran {@code durationMs}. */
    public long billedMs(double durationMs) {
        if (!(durationMs >= 0)) {
            throw new IllegalArgumentException("a duration must be a non-negative number: " + durationMs);
        }
        long steps = (long) Math.ceil(durationMs / durationStepMs - 1e-9);
        return Math.max(minimumDurationMs, steps * durationStepMs);
    }

    /** Returns the megabytes billed for a function configured with {@code memoryMb}. */
    public int billedMemoryMb(int memoryMb) {
        if (memoryMb < 1) {
            throw new IllegalArgumentException("memory must be at least 1 MB: " + memoryMb);
        }
        int steps = (memoryMb + memoryStepMb - 1) / memoryStepMb;
        return Math.max(minimumMemoryMb, steps * memoryStepMb);
    }

    /**
     * Returns the cost in US dollars of one request that spent {@code durationMs} in a function of {@code memoryMb}:
     * billed GB (MB / 1,024) × billed seconds × the GB-second price, plus the request price.
     */
    public double cost(int memoryMb, double durationMs) {
        return billedMemoryMb(memoryMb) / 1024.0 * billedMs(durationMs) / 1000.0 * perGbSecond
                + perMillionRequests / 1_000_000.0;
    }
}
