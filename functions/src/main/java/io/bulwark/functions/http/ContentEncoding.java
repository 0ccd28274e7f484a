package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies as the functions read them: a {@code Content-Encoding: gzip} body is decompressed (clients and
 * gateways send it to save bandwidth on large batches), an unencoded one passes as is, any other encoding is a
 * 415 — never bytes a function would misreport as malformed JSON.
 * <p>
 * A 64 KB gzip body can expand a thousandfold, so decompressed bytes are bounded twice: per body
 * ({@code maxDecodedBytes}, else 413) and across all requests in flight ({@code budgetBytes}, a {@link ByteBudget}
 * a request takes from as its body grows and gives back when its call ends; a request that cannot get its share
 * within {@code wait} is a 503). Eight bombs at once then cost the budget, not the heap.
 */
public final class ContentEncoding {

    /** The default largest decompressed body: the local runner's cap on a raw body, so gzip cannot get around it. */
    public static final int MAX_DECODED_BYTES = FunctionServlets.MAX_BODY_BYTES;
    /** The default decompressed bytes in flight across requests: four bodies at the cap, an eighth of a 1 GiB heap. */
    public static final int BUDGET_BYTES = 4 * MAX_DECODED_BYTES;
    /** The default longest wait for a share of the budget before a 503. */
    public static final Duration WAIT = Duration.ofMillis(250);

    /** The first buffer of a decompressed body; it doubles as the body grows. */
    private static final int FIRST_BUFFER = 64 * 1024;

    private final int maxDecodedBytes;
    private final ByteBudget budget;

    private ContentEncoding(int maxDecodedBytes, ByteBudget budget) {
        this.maxDecodedBytes = maxDecodedBytes;
        this.budget = budget;
    }

    /**
     * @throws IllegalArgumentException unless {@code 0 < 2 * maxDecodedBytes < budgetBytes} and {@code wait} is
     *                                  not negative
     */
    public static ContentEncoding of(int maxDecodedBytes, int budgetBytes, Duration wait) {
        if (maxDecodedBytes <= 0) {
            throw new IllegalArgumentException("the largest decoded body must be positive: " + maxDecodedBytes);
        }
        if (budgetBytes <= 2L * maxDecodedBytes) {
            // Decoding copies a body once (into a buffer of its exact size), so for a moment it holds twice its size.
            throw new IllegalArgumentException("the decode budget (" + budgetBytes + " bytes) must be more than twice "
                    + "the largest decoded body (" + maxDecodedBytes + " bytes): decoding one copies it once");
        }
        return new ContentEncoding(maxDecodedBytes, new ByteBudget(budgetBytes, wait));
    }

    /** {@link #MAX_DECODED_BYTES} per body, {@link #BUDGET_BYTES} in flight, {@link #WAIT}. */
    public static ContentEncoding defaults() {
        return of(MAX_DECODED_BYTES, BUDGET_BYTES, WAIT);
    }

    /** The bytes of the budget not taken right now. */
    int available() {
        return budget.available();
    }

    /**
     * Returns {@code body} decoded as {@code encoding} says (null, blank or {@code identity}: as is); the caller
     * closes the result when the call ends, which gives its bytes back to the budget.
     */
    Decoded decode(String encoding, byte[] body) {
        String e = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "", "identity" -> new Decoded(body, budget.lease());
            case "gzip", "x-gzip" -> gunzip(body);
            default -> throw new RequestRejected(415, "unsupported_media_type", "Content-Encoding", "the Content-Encoding '" + encoding
                    + "' is not supported: send the body uncompressed or gzip-compressed");
        };
    }

    private Decoded gunzip(byte[] body) {
        ByteBudget.Lease lease = budget.lease();
        if (body.length == 0) {
            return new Decoded(body, lease);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] out = new byte[0];
            int n = 0;
            while (true) {
                if (n == out.length) {
                    if (n > maxDecodedBytes) {
                        throw new RequestRejected(413, "payload_too_large", "body", "the body is larger than "
                                + maxDecodedBytes / (1024 * 1024) + " MiB once decompressed");
                    }
                    out = grow(out, (int) Math.min(Math.max(FIRST_BUFFER, 2L * out.length), maxDecodedBytes + 1L),
                            lease);
                }
                int read = in.read(out, n, out.length - n);
                if (read < 0) {
                    break;
                }
                n += read;
            }
            return new Decoded(n == out.length ? out : grow(out, n, lease), lease);
        } catch (IOException e) {
            lease.close();
            throw new RequestRejected("malformed_body", "body",
                    "the Content-Encoding is gzip, but the body is not valid gzip data");
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** Copies {@code from} into a buffer of {@code size}; both live during the copy, so both are in the budget. */
    private static byte[] grow(byte[] from, int size, ByteBudget.Lease lease) {
        lease.take(size);
        byte[] to = Arrays.copyOf(from, size);
        lease.giveBack(from.length);
        return to;
    }

    /** A decoded body and the share of the budget it holds until closed. */
    record Decoded(byte[] bytes, ByteBudget.Lease lease) implements AutoCloseable {

        @Override
        public void close() {
            lease.close();
        }
    }
}
