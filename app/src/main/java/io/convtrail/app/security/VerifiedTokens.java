package io.convtrail.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.time.Duration;

/**
 * Verifies a bearer token's signature once and answers its decoded claims for the token's repeats: a
 * client sends the same token with every request, and parsing and verifying it was ~5 % of a turn's
 * service CPU. Only tokens that passed are held; each repeat is still validated (exp, nbf, iat, issuer),
 * so a token expires on time. The cost: a token signed by a key the identity provider withdrew meanwhile
 * is accepted for up to {@link #HELD} after its first use.
 */
final class VerifiedTokens implements JwtDecoder {

    static final Duration HELD = Duration.ofSeconds(60);
    /** Distinct clients whose tokens are held at once (a held token and its claims: a few KB). */
    static final int MAX_TOKENS = 1_024;

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified = Caffeine.newBuilder()
            .maximumSize(MAX_TOKENS).expireAfterWrite(HELD).build();

    /** {@code verifier} checks signature and claims; {@code validator} is its claims check, run again on repeats. */
    VerifiedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> validator) {
        this.verifier = verifier;
        this.validator = validator;
    }

    @Override
    public Jwt decode(String token) {
        Jwt held = verified.getIfPresent(token);
        if (held == null) {
            Jwt jwt = verifier.decode(token);
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(held);
        if (result.hasErrors()) {
            verified.invalidate(token);
            throw new JwtValidationException(result.getErrors().iterator().next().getDescription(),
                    result.getErrors());
        }
        return held;
    }
}
