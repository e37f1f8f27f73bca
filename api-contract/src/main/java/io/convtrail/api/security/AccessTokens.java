package io.convtrail.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints HS256 access tokens the way the service verifies them: {@code sub}, {@code roles},
 * {@code iat} and {@code exp}. One place for the service's {@code token} command and console link,
 * the tests and the bench, so they cannot drift from what the service accepts.
 */
public final class AccessTokens {

    /** The claim that lists the caller's roles. */
    public static final String ROLES_CLAIM = "roles";
    /** HMAC-SHA256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    private AccessTokens() {
    }

    public static String mint(byte[] secret, String subject, Collection<Role> roles, Instant issuedAt, Duration ttl) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the signing secret has " + secret.length
                    + " bytes; HS256 needs at least " + MIN_SECRET_BYTES);
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim(ROLES_CLAIM, roles.stream().map(Role::claimValue).toList())
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the access token", e);
        }
        return jwt.serialize();
    }

    public static String mint(byte[] secret, String subject, Collection<Role> roles, Duration ttl) {
        return mint(secret, subject, roles, Instant.now(), ttl);
    }

    public static String mint(String secret, String subject, List<Role> roles, Duration ttl) {
        return mint(secret.getBytes(StandardCharsets.UTF_8), subject, roles, ttl);
    }
}
