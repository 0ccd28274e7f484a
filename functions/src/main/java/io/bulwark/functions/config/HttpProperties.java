package io.bulwark.functions.config;

import io.bulwark.functions.http.ContentEncoding;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * The {@code bulwark.http.*} settings of the edge every runtime shares: how far a compressed body may expand, and how
 * many decompressed bytes all requests in flight may hold together. Unset, each is {@link ContentEncoding}'s named
 * default. Descriptions as in {@link BulwarkProperties}: plain text, the configuration metadata's.
 *
 * @param maxDecodedBody the largest body once decompressed (else 413)
 * @param decodeBudget   decompressed bytes held by all requests at once (a request that cannot get its share is a 503)
 * @param decodeWait     how long a request waits for its share of the budget
 */
@ConfigurationProperties("bulwark.http")
public record HttpProperties(DataSize maxDecodedBody, DataSize decodeBudget, Duration decodeWait) {

    public HttpProperties {
        maxDecodedBody = maxDecodedBody != null ? maxDecodedBody : DataSize.ofBytes(ContentEncoding.MAX_DECODED_BYTES);
        decodeBudget = decodeBudget != null ? decodeBudget : DataSize.ofBytes(ContentEncoding.BUDGET_BYTES);
        decodeWait = decodeWait != null ? decodeWait : ContentEncoding.WAIT;
    }

    /** Returns the decoding these settings describe. */
    public ContentEncoding contentEncoding() {
        try {
            return ContentEncoding.of(Math.toIntExact(maxDecodedBody.toBytes()), Math.toIntExact(decodeBudget.toBytes()),
                    decodeWait);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidConfiguration("bulwark.http", e.getMessage() == null ? "a size over 2 GiB" : e.getMessage(),
                    "set bulwark.http.max-decoded-body at most bulwark.http.decode-budget, both under 2GB, and "
                            + "bulwark.http.decode-wait not negative", e);
        }
    }
}
