package io.bulwark.functions.config;

import io.bulwark.functions.http.ContentEncoding;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * The {@code bulwark.http.*} settings of the edge every runtime shares: how far a compressed body may expand, and how
 * many decompressed bytes all requests in flight may hold together. Unset, each is {@link ContentEncoding}'s named
 * default.
 *
 * @param maxDecodedBody the largest body once decompressed (else 413)
 * @param decodeBudget   decompressed bytes held by all requests at once (a request that cannot get its share is a 503)
 * @param decodeWait     how long a request waits for its share of the budget
 */
@ConfigurationProperties("bulwark.http")
public record HttpProperties(DataSize maxDecodedBody, DataSize decodeBudget, Duration decodeWait) {

    /** Returns the decoding these settings describe. */
    public ContentEncoding contentEncoding() {
        try {
            return ContentEncoding.of(
                    maxDecodedBody == null ? ContentEncoding.MAX_DECODED_BYTES : Math.toIntExact(maxDecodedBody.toBytes()),
                    decodeBudget == null ? ContentEncoding.BUDGET_BYTES : Math.toIntExact(decodeBudget.toBytes()),
                    decodeWait == null ? ContentEncoding.WAIT : decodeWait);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidConfiguration("bulwark.http", e.getMessage() == null ? "a size over 2 GiB" : e.getMessage(),
                    "set bulwark.http.max-decoded-body at most bulwark.http.decode-budget, both under 2GB, and "
                            + "bulwark.http.decode-wait not negative", e);
        }
    }
}
