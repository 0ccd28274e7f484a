package io.bulwark.sentiment.simulate;

import io.bulwark.costing.platform.ContainerPrice;
import io.bulwark.costing.platform.FunctionPrice;
import io.bulwark.costing.platform.GatewayPrice;
import io.bulwark.costing.platform.PlatformPrices;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What running a strategy's requests costs on one platform, besides tokens: a month and 1,000 requests.
 *
 * @param label      the platform and its setting, e.g. {@code aws-lambda-arm64, 1,024 MB + aws-api-gateway-http}
 * @param configured whether it is the scenario's platform (the one in the strategy's total)
 */
public record PlatformBill(String label, double monthlyUsd, double per1000Usd, boolean configured) {

    /** The memory settings the report compares, beside the scenario's own. */
    static final int[] MEMORY_OPTIONS_MB = {512, 1024, 2048};

    /**
     * Returns the bill of the scenario's platform first, then the same requests on Lambda x86 and arm64 at
     * {@link #MEMORY_OPTIONS_MB}, on Azure Functions at the scenario's memory and on always-on containers (those the
     * price file has).
     *
     * @param inFunctionMs each request's time inside the function (the chain's latency plus the overhead)
     */
    static List<PlatformBill> options(Scenario scenario, PlatformPrices prices, double[] inFunctionMs) {
        Scenario.Platform p = scenario.platform();
        List<PlatformBill> out = new ArrayList<>();
        GatewayPrice gateway = prices.requireGateway(p.gateway());
        out.add(function(scenario, prices.requireFunction(p.function()), p.memoryMb(), gateway, inFunctionMs, true));
        for (String name : new String[]{"aws-lambda-x86", "aws-lambda-arm64"}) {
            prices.function(name).ifPresent(f -> {
                for (int memory : MEMORY_OPTIONS_MB) {
                    if (!(name.equals(p.function()) && memory == p.memoryMb())) {
                        out.add(function(scenario, f, memory, gateway, inFunctionMs, false));
                    }
                }
            });
        }
        prices.function("azure-functions-consumption").filter(f -> !f.name().equals(p.function())).ifPresent(f ->
                out.add(function(scenario, f, p.memoryMb(), new GatewayPrice("none", 0), inFunctionMs, false)));
        if (prices.containers().containsKey(p.container().name())) {
            out.add(container(scenario, prices.requireContainer(p.container().name()), inFunctionMs));
        }
        return List.copyOf(out);
    }

    /** Σ per-request cost over the sample, scaled to the month. */
    static PlatformBill function(Scenario scenario, FunctionPrice f, int memoryMb, GatewayPrice gateway,
                                 double[] inFunctionMs, boolean configured) {
        double sum = 0;
        for (double ms : inFunctionMs) {
            sum += f.cost(memoryMb, ms) + gateway.cost();
        }
        double perRequest = inFunctionMs.length == 0 ? 0 : sum / inFunctionMs.length;
        String label = String.format(Locale.ROOT, "%s, %,d MB%s", f.name(), memoryMb,
                gateway.perMillionRequests() > 0 ? " + " + gateway.name() : "");
        return new PlatformBill(label, perRequest * scenario.monthlyRequests(), perRequest * 1000, configured);
    }

    /** Tasks enough for the peak's requests in flight, running the whole month. */
    static PlatformBill container(Scenario scenario, ContainerPrice c, double[] inFunctionMs) {
        Scenario.Container k = scenario.platform().container();
        double mean = 0;
        for (double ms : inFunctionMs) {
            mean += ms / inFunctionMs.length;
        }
        double perDay = scenario.traffic().requestsPerDay();
        double peak = perDay / 86_400.0 * ("diurnal".equals(scenario.traffic().shape())
                ? scenario.traffic().peakToMean() : 1);
        int tasks = ContainerPrice.tasksFor(peak, mean / 1000, k.concurrency(), k.minimumTasks());
        double month = c.cost(k.vcpu(), k.memoryGb(), tasks, 24.0 * scenario.daysPerMonth());
        String label = String.format(Locale.ROOT, "%s, %d × %s vCPU / %s GB always on (%d in flight at once each; no "
                        + "load balancer counted)", c.name(), tasks, plain(k.vcpu()), plain(k.memoryGb()),
                k.concurrency());
        return new PlatformBill(label, month, month / scenario.monthlyRequests() * 1000, false);
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : String.valueOf(d);
    }
}
