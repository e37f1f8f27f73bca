package io.convtrail.app.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.convtrail.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What makes a token acceptable: signature, exp (required), nbf and iat within the clock skew, roles. */
class TokenVerificationTest {

    private static final byte[] SECRET = TestTokens.SECRET.getBytes(StandardCharsets.UTF_8);
    private final JwtDecoder decoder = JwtDecoders.sharedSecret(SECRET, Duration.ofSeconds(30));

    @Test
    void aMintedTokenIsAcceptedWithItsSubjectAndRoles() {
        Jwt jwt = decoder.decode(TestTokens.auditor("carol"));
        assertThat(jwt.getSubject()).isEqualTo("carol");
        assertThat(new RoleAuthorities().convert(jwt)).extracting(GrantedAuthority::getAuthority)
                .containsExactly("ROLE_AUDITOR");
    }

    @Test
    void aTokenWithoutExpiryIsRefused() throws Exception {
        String token = sign(new JWTClaimsSet.Builder().subject("alice").claim("roles", List.of("user"))
                .issueTime(new Date()).build());
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("exp");
    }

    @Test
    void expiryNotBeforeAndIssuedAtAreCheckedWithTheClockSkew() throws Exception {
        Instant now = Instant.now();
        String expiredWithinSkew = sign(claims().expirationTime(Date.from(now.minusSeconds(10))).build());
        String expiredBeyondSkew = sign(claims().expirationTime(Date.from(now.minusSeconds(60))).build());
        String notYetValid = sign(claims().notBeforeTime(Date.from(now.plusSeconds(120))).build());
        String issuedInTheFuture = sign(claims().issueTime(Date.from(now.plusSeconds(120))).build());
        assertThat(decoder.decode(expiredWithinSkew).getSubject()).isEqualTo("alice");
        for (String refused : List.of(expiredBeyondSkew, notYetValid, issuedInTheFuture)) {
            assertThatThrownBy(() -> decoder.decode(refused)).isInstanceOf(JwtValidationException.class);
        }
    }

    @Test
    void keycloakRealmRolesAreReadTooAndUnknownRolesIgnored() {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject("kc-user")
                .claim("realm_access", Map.of("roles", List.of("offline_access", "auditor", "uma_authorization")))
                .claim("roles", List.of("USER", "superuser"))
                .build();
        assertThat(new RoleAuthorities().convert(jwt)).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("ROLE_USER", "ROLE_AUDITOR");
    }

    @Test
    void aSecretShorterThan32BytesStopsStartupWithAClearMessage(@TempDir Path dir) {
        assertThatThrownBy(() -> JwtSecret.resolve("too-short-secret", dir.resolve("unused")))
                .isInstanceOfSatisfying(JwtSecret.InvalidSecretException.class, e -> {
                    FailureAnalysis analysis = new InvalidSecretFailureAnalyzer().analyze(e);
                    assertThat(analysis.getDescription()).contains("CONVTRAIL_SECURITY_JWT_SECRET")
                            .contains("16 bytes").contains("at least 32");
                });
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("alice").claim("roles", List.of("user"))
                .issueTime(Date.from(now.minusSeconds(300))).expirationTime(Date.from(now.plusSeconds(600)));
    }

    private static String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }
}
