package io.bulwark.costing.platform;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The platform part of a price file: function platforms, gateways and container platforms, by name.
 */
public record PlatformPrices(Map<String, FunctionPrice> functions, Map<String, GatewayPrice> gateways,
                             Map<String, ContainerPrice> containers) {

    /** No platform prices: a price file that prices tokens only. */
    public static final PlatformPrices NONE = new PlatformPrices(Map.of(), Map.of(), Map.of());

    public PlatformPrices {
        functions = java.util.Collections.unmodifiableMap(new TreeMap<>(functions));
        gateways = java.util.Collections.unmodifiableMap(new TreeMap<>(gateways));
        containers = java.util.Collections.unmodifiableMap(new TreeMap<>(containers));
    }

    /** Returns the function platform {@code name}. */
    public Optional<FunctionPrice> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    /** Returns the function platform {@code name}, or fails naming those the file has. */
    public FunctionPrice requireFunction(String name) {
        return function(name).orElseThrow(() -> new IllegalArgumentException("no function platform '" + name
                + "' in the price file; known: " + functions.keySet()));
    }

    /** Returns the gateway {@code name}, or fails naming those the file has. */
    public GatewayPrice requireGateway(String name) {
        GatewayPrice g = gateways.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no gateway '" + name + "' in the price file; known: " + gateways.keySet());
        }
        return g;
    }

    /** Returns the container platform {@code name}, or fails naming those the file has. */
    public ContainerPrice requireContainer(String name) {
        ContainerPrice c = containers.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no container platform '" + name + "' in the price file; known: "
                    + containers.keySet());
        }
        return c;
    }
}
