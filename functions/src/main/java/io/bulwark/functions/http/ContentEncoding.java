package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies as the functions read them: a {@code Content-Encoding: gzip} body is decompressed (clients and
 * gateways send it to save bandwidth on large batches), an unencoded one passes as is, any other encoding is a
 * 415 — never bytes a function would misreport as malformed JSON.
 */
final class ContentEncoding {

    /** A decompressed body may not grow past this: a small gzip can expand a thousandfold. */
    static final int MAX_DECODED_BYTES = 64 * 1024 * 1024;

    private ContentEncoding() {
    }

    /** Returns {@code body} decoded as {@code encoding} says (null, blank or {@code identity}: as is). */
    static byte[] decode(String encoding, byte[] body) {
        String e = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "", "identity" -> body;
            case "gzip", "x-gzip" -> gunzip(body);
            default -> throw new RequestRejected(415, "unsupported_media_type", "Content-Encoding", "the Content-Encoding '" + encoding
                    + "' is not supported: send the body uncompressed or gzip-compressed");
        };
    }

    private static byte[] gunzip(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] decoded = in.readNBytes(MAX_DECODED_BYTES + 1);
            if (decoded.length > MAX_DECODED_BYTES) {
                throw new RequestRejected(413, "payload_too_large", "body", "the body is larger than "
                        + MAX_DECODED_BYTES / (1024 * 1024) + " MiB once decompressed");
            }
            return decoded;
        } catch (IOException e) {
            throw new RequestRejected("malformed_body", "body",
                    "the Content-Encoding is gzip, but the body is not valid gzip data");
        }
    }
}
