package io.bulwark.functions.classifier;

import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The admin token as a bearer, or as X-Admin-Token where a gateway's authorizer (IAM SigV4, a JWT) holds the
 * Authorization header.
 */
class AdminAuthTest {

    private final AdminAuth auth = new AdminAuth("s3cret-token");

    @Test
    void should_accept_the_token_as_a_bearer_when_no_admin_token_header_is_sent() {
        assertThatNoException().isThrownBy(() -> auth.check("Bearer s3cret-token", null));
        assertThatThrownBy(() -> auth.check("Bearer wrong", null)).isInstanceOfSatisfying(RequestRejected.class,
                r -> assertThat(r.status()).isEqualTo(401));
        assertThatThrownBy(() -> auth.check(null, null)).isInstanceOf(RequestRejected.class);
    }

    @Test
    void should_check_x_admin_token_when_sent_whatever_authorization_carries() {
        // Behind an IAM authorizer, Authorization is the SigV4 signature; behind a JWT authorizer, the JWT.
        String sigV4 = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/eu-west-1/execute-api/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=abc";
        assertThatNoException().isThrownBy(() -> auth.check(sigV4, "s3cret-token"));
        assertThatNoException().isThrownBy(() -> auth.check("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig", "s3cret-token"));

        assertThatThrownBy(() -> auth.check(sigV4, "wrong")).isInstanceOfSatisfying(RequestRejected.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.field()).isEqualTo(AdminAuth.TOKEN_HEADER);
        });
        // Sent, the header is the credential checked: a right bearer does not make up for a wrong header.
        assertThatThrownBy(() -> auth.check("Bearer s3cret-token", "wrong")).isInstanceOf(RequestRejected.class);
        assertThatThrownBy(() -> auth.check(sigV4, null)).isInstanceOf(RequestRejected.class);
    }

    @Test
    void should_not_accept_a_prefix_or_an_empty_token_header() {
        assertThat(auth.acceptsToken("s3cret")).isFalse();
        assertThat(auth.acceptsToken("")).isFalse();
        assertThat(auth.acceptsToken(null)).isFalse();
        assertThat(auth.acceptsToken(" s3cret-token ")).isTrue();
    }

    @Test
    void should_derive_a_value_per_purpose_that_a_new_token_invalidates() {
        String cookie = auth.derive("cookie");

        assertThat(auth.acceptsDerived("cookie", cookie)).isTrue();
        assertThat(auth.acceptsDerived("other", cookie)).isFalse();
        assertThat(auth.acceptsDerived("cookie", null)).isFalse();
        assertThat(new AdminAuth("another-token").acceptsDerived("cookie", cookie)).isFalse();
        assertThat(cookie).doesNotContain("s3cret").isEqualTo(new AdminAuth("s3cret-token").derive("cookie"));
    }
}
