package io.bulwark.functions.classifier;

import io.bulwark.resilience.failure.RequestRejected;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The bearer token that {@code /train}, {@code /promote}, {@code /rollback} and {@code /datasets} require, and that shows
 * the operator the details of {@code /actuator/health} and opens the operator pages.
 * <p>
 * It travels as {@code Authorization: Bearer <token>}, or as {@value #TOKEN_HEADER}{@code : <token>} where the
 * {@code Authorization} header carries a gateway's own credential (an IAM SigV4 signature or a JWT checked by API
 * Gateway's authorizer in front of the admin routes, template.yaml's {@code AdminAuthorizer}).
 */
public final class AdminAuth {

    /** The header that carries the bare token when {@code Authorization} is taken by a gateway's credential. */
    public static final String TOKEN_HEADER = "X-Admin-Token";

    private final byte[] token;

    public AdminAuth(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be blank");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns a random token: 32 bytes from {@code random}, base64url. */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Throws a 401 unless {@code authorization} is {@code Bearer <token>}; compares in constant time. */
    public void check(Object authorization) {
        if (authorization == null || authorization.toString().isBlank()) {
            throw new RequestRejected(401, "unauthorized",
                    "Authorization", "this function needs 'Authorization: Bearer <admin token>'");
        }
        if (!accepts(authorization)) {
            throw new RequestRejected(401, "unauthorized", "Authorization", "the admin token is wrong");
        }
    }

    /**
     * Checks a request's credential: {@value #TOKEN_HEADER} when it is sent ({@code adminToken}, the bare token),
     * else {@code authorization}; throws a 401 as {@link #check(Object)} does.
     */
    public void check(Object authorization, Object adminToken) {
        if (adminToken == null) {
            check(authorization);
        } else if (!acceptsToken(adminToken)) {
            throw new RequestRejected(401, "unauthorized", TOKEN_HEADER, "the admin token is wrong");
        }
    }

    /** True if {@code adminToken} (sent as {@value #TOKEN_HEADER}) is the token; compares in constant time. */
    public boolean acceptsToken(Object adminToken) {
        return adminToken != null
                && MessageDigest.isEqual(token, adminToken.toString().strip().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns a value derived from the token for one {@code purpose} (HMAC-SHA256 keyed by the token, base64url): it
     * proves that its holder was given the token without carrying the token itself, e.g. in a browser's cookie. A new
     * token makes every derived value invalid.
     */
    public String derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(token, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** True if {@code value} is {@link #derive(String)} of {@code purpose}; compares in constant time. */
    public boolean acceptsDerived(String purpose, String value) {
        return value != null && MessageDigest.isEqual(derive(purpose).getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    /** True if {@code authorization} is {@code Bearer <token>}; compares in constant time. */
    public boolean accepts(Object authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.toString().strip();
        return value.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(token, value.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }
}
