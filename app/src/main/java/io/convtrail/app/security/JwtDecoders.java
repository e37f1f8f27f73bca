package io.convtrail.app.security;

import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import javax.crypto.spec.SecretKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the one token verifier of every channel: an identity provider's keys when an issuer or a
 * JWK set is configured, else the HS256 secret. Either way {@code exp} is required and
 * {@code exp}, {@code nbf} and {@code iat} are checked with the configured clock skew; Nimbus refuses
 * unsigned ({@code alg: none}) tokens and any algorithm other than the key's.
 */
final class JwtDecoders {

    private JwtDecoders() {
    }

    static boolean identityProviderConfigured(OAuth2ResourceServerProperties.Jwt provider) {
        return hasText(provider.getIssuerUri()) || hasText(provider.getJwkSetUri());
    }

    static NimbusJwtDecoder identityProvider(OAuth2ResourceServerProperties.Jwt provider, Duration clockSkew) {
        NimbusJwtDecoder decoder = hasText(provider.getJwkSetUri())
                ? NimbusJwtDecoder.withJwkSetUri(provider.getJwkSetUri()).build()
                : NimbusJwtDecoder.withIssuerLocation(provider.getIssuerUri()).build();
        decoder.setJwtValidator(validator(clockSkew, provider.getIssuerUri()));
        return decoder;
    }

    static NimbusJwtDecoder sharedSecret(byte[] secret, Duration clockSkew) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(validator(clockSkew, null));
        return decoder;
    }

    private static OAuth2TokenValidator<Jwt> validator(Duration clockSkew, String issuer) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(clockSkew);
        timestamps.setClock(Clock.systemUTC());
        validators.add(timestamps);
        // JwtTimestampValidator accepts a token without exp; a token that never expires is refused here
        validators.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, exp -> exp != null));
        validators.add(new JwtClaimValidator<Instant>(JwtClaimNames.IAT,
                iat -> iat == null || !iat.isAfter(Instant.now().plus(clockSkew))));
        if (hasText(issuer)) {
            validators.add(new JwtIssuerValidator(issuer));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
