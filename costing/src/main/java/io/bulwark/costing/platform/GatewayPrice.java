package io.bulwark.costing.platform;

import java.util.Objects;

/**
 * What an HTTP front door (API Gateway's HTTP API) charges: a price per million requests, whatever they do.
 */
public record GatewayPrice(String name, double perMillionRequests) {

    public GatewayPrice {
        Objects.requireNonNull(name, "name");
        if (!(perMillionRequests >= 0)) {
            throw new IllegalArgumentException(name + ": the price must be a non-negative number");
        }
    }

    /** Returns the cost in US dollars of one request. */
    public double cost() {
        return perMillionRequests / 1_000_000.0;
    }
}
