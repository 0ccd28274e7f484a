package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decoding bodies, and the bound on decompressed bytes in flight across requests; {@link #gzip} makes bombs for the ITs. */
public class ContentEncodingTest {

    static final int KIB = 1024;

    public static byte[] gzip(int zeros) {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(new byte[zeros]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gzipped.toByteArray();
    }

    static void assertRefused(Runnable call, int status, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void should_hold_a_decoded_body_s_bytes_until_it_is_closed() {
        ContentEncoding encoding = ContentEncoding.of(512 * KIB, 2048 * KIB, Duration.ZERO);

        ContentEncoding.Decoded body = encoding.decode("gzip", gzip(300 * KIB));

        assertThat(body.bytes()).hasSize(300 * KIB);
        assertThat(encoding.available()).isEqualTo(2048 * KIB - 300 * KIB);
        body.close();
        assertThat(encoding.available()).isEqualTo(2048 * KIB);
    }

    @Test
    void should_refuse_with_503_a_body_whose_share_the_budget_cannot_give_and_keep_nothing_of_it() {
        ContentEncoding encoding = ContentEncoding.of(256 * KIB, 600 * KIB, Duration.ZERO);
        ContentEncoding.Decoded first = encoding.decode("gzip", gzip(200 * KIB));
        int left = encoding.available();

        assertRefused(() -> encoding.decode("gzip", gzip(200 * KIB)), 503, "server_busy");

        assertThat(encoding.available()).isEqualTo(left).isEqualTo(400 * KIB);
        first.close();
        assertThat(encoding.decode("gzip", gzip(200 * KIB)).bytes()).hasSize(200 * KIB);
    }

    @Test
    void should_let_as_many_bombs_decode_at_once_as_the_budget_holds() {
        // A body at the cap holds 2 x 256 KiB while it is copied, then 256 KiB: three fit in 1100 KiB, a fourth not.
        ContentEncoding encoding = ContentEncoding.of(256 * KIB, 1100 * KIB, Duration.ZERO);
        byte[] bomb = gzip(256 * KIB); // about 300 bytes

        for (int i = 0; i < 3; i++) {
            encoding.decode("gzip", bomb); // held: never closed
        }

        assertRefused(() -> encoding.decode("gzip", bomb), 503, "server_busy");
    }

    @Test
    void should_refuse_with_413_a_body_past_the_cap_and_give_its_bytes_back() {
        ContentEncoding encoding = ContentEncoding.of(256 * KIB, 1024 * KIB, Duration.ZERO);

        assertRefused(() -> encoding.decode("gzip", gzip(256 * KIB + 1)), 413, "payload_too_large");

        assertThat(encoding.available()).isEqualTo(1024 * KIB);
    }

    @Test
    void should_give_back_the_bytes_of_a_body_that_is_not_valid_gzip() {
        ContentEncoding encoding = ContentEncoding.of(256 * KIB, 1024 * KIB, Duration.ZERO);
        byte[] truncated = java.util.Arrays.copyOf(gzip(200 * KIB), 40);

        assertRefused(() -> encoding.decode("gzip", truncated), 400, "malformed_body");

        assertThat(encoding.available()).isEqualTo(1024 * KIB);
    }

    @Test
    void should_take_nothing_from_the_budget_for_a_body_sent_uncompressed() {
        ContentEncoding encoding = ContentEncoding.of(KIB, 4 * KIB, Duration.ZERO);

        assertThat(encoding.decode(null, new byte[8 * KIB]).bytes()).hasSize(8 * KIB);
        assertThat(encoding.available()).isEqualTo(4 * KIB);
    }

    @Test
    void should_refuse_a_budget_that_cannot_hold_one_body_at_the_cap_while_it_is_copied() {
        assertThatThrownBy(() -> ContentEncoding.of(KIB, 2 * KIB, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
        assertThatThrownBy(() -> ContentEncoding.of(KIB, 4 * KIB, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
    }

    @Test
    void should_default_to_caps_that_fit_a_1_gib_heap() {
        assertThat(ContentEncoding.MAX_DECODED_BYTES).isEqualTo(FunctionServlets.MAX_BODY_BYTES);
        assertThat((long) ContentEncoding.BUDGET_BYTES).isLessThanOrEqualTo(1024L * 1024 * 1024 / 8);
    }
}
