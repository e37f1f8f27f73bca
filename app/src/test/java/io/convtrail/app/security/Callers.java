package io.convtrail.app.security;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.convtrail.api.security.AccessTokens;
import io.convtrail.api.security.Role;
import io.convtrail.testsupport.TestTokens;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Everyone who knocks: the three roles, a token without a role, nobody, and every kind of bad token. */
final class Callers {

    enum Kind { OWNER, AUDITOR, ADMIN, NO_ROLE, ANONYMOUS, BAD_TOKEN }

    /** {@code authorization} is the header value, null for none. */
    record Caller(String name, Kind kind, String token, String authorization) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String OWNER = "alice";
    static final String OTHER = "bob";

    private Callers() {
    }

    static List<Caller> all() {
        String alice = TestTokens.user(OWNER);
        return List.of(
                bearer("user alice", Kind.OWNER, alice),
                bearer("auditor", Kind.AUDITOR, TestTokens.auditor("carol")),
                bearer("admin", Kind.ADMIN, TestTokens.admin()),
                bearer("token without a role", Kind.NO_ROLE, TestTokens.token("dave")),
                new Caller("no token", Kind.ANONYMOUS, null, null),
                bearer("expired token", Kind.BAD_TOKEN, expired()),
                bearer("forged token (another secret)", Kind.BAD_TOKEN, forged()),
                bearer("alg:none token", Kind.BAD_TOKEN, unsigned()),
                bearer("wrong signature (payload changed to admin)", Kind.BAD_TOKEN, tamperedToAdmin(alice)),
                new Caller("malformed header", Kind.BAD_TOKEN, "not-a-jwt", "Bearer not-a-jwt"));
    }

    static Caller other() {
        return bearer("user bob", Kind.OWNER, TestTokens.user(OTHER));
    }

    private static Caller bearer(String name, Kind kind, String token) {
        return new Caller(name, kind, token, TestTokens.bearer(token));
    }

    static String expired() {
        return AccessTokens.mint(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), OWNER, List.of(Role.USER),
                Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    }

    static String forged() {
        return AccessTokens.mint("an-attackers-own-secret-that-is-long-enough-0123456789", OWNER,
                List.of(Role.ADMIN), Duration.ofHours(1));
    }

    static String unsigned() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(OWNER).claim("roles", List.of("admin"))
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(3600))).build();
        return new PlainJWT(claims).serialize();
    }

    /** A valid token whose payload was rewritten to claim admin, keeping the original signature. */
    static String tamperedToAdmin(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"user\"", "\"admin\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
