package io.bulwark.costing.platform;

import java.util.Objects;

/**
 * What an always-on container platform (AWS Fargate) charges: per vCPU-hour and per GB-hour of each running task,
 * whether it serves requests or waits. Its month depends on how many tasks run, not on the requests.
 */
public record ContainerPrice(String name, double perVcpuHour, double perGbHour) {

    /** The hours of a 30-day month. */
    public static final double HOURS_PER_30_DAYS = 720;

    public ContainerPrice {
        Objects.requireNonNull(name, "name");
        if (!(perVcpuHour >= 0) || !(perGbHour >= 0)) {
            throw new IllegalArgumentException(name + ": prices must be non-negative numbers");
        }
    }

    /** Returns the cost in US dollars of {@code tasks} tasks of the given size running {@code hours}. */
    public double cost(double vcpu, double memoryGb, int tasks, double hours) {
        if (!(vcpu > 0) || !(memoryGb > 0) || tasks < 0 || !(hours >= 0)) {
            throw new IllegalArgumentException("a container needs vCPU > 0, memory > 0, tasks ≥ 0, hours ≥ 0");
        }
        return tasks * hours * (vcpu * perVcpuHour + memoryGb * perGbHour);
    }

    /**
     * Returns the tasks a load needs: the requests in flight at the peak (Little's law: arrivals per second × seconds
     * each spends inside) over what one task serves at once, and at least {@code minimumTasks}.
     */
    public static int tasksFor(double peakRequestsPerSecond, double meanSecondsInside, int concurrencyPerTask,
                               int minimumTasks) {
        if (concurrencyPerTask < 1 || minimumTasks < 0) {
            throw new IllegalArgumentException("concurrency per task must be ≥ 1 and minimum tasks ≥ 0");
        }
        double inFlight = peakRequestsPerSecond * meanSecondsInside;
        return Math.max(minimumTasks, (int) Math.ceil(inFlight / concurrencyPerTask - 1e-9));
    }
}
