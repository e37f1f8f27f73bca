package io.convtrail.app.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Who may call convtrail. Tokens are verified with {@code jwt.secret} (HS256), or with an identity
 * provider's keys when {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or
 * {@code jwk-set-uri} is set; with neither, a secret is generated into {@code jwt.generated-secret-file}.
 *
 * @param enabled false serves everything to everyone (ConvEngine clients on a trusted network); the log says so loudly
 * @param jwt     how tokens are verified
 * @param console the admin link logged at startup when the secret was generated
 */
@Validated
@ConfigurationProperties("convtrail.security")
public record ConvtrailSecurityProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue @Valid Jwt jwt,
        @DefaultValue @Valid Console console) {

    /**
     * @param secret              the shared HS256 secret, at least 32 UTF-8 bytes (empty: see generated-secret-file)
     * @param generatedSecretFile where a generated secret is kept (readable by its owner only)
     * @param clockSkew           tolerance for exp, nbf and iat between the issuer's clock and ours
     */
    public record Jwt(
            String secret,
            @DefaultValue("./data/jwt-secret") Path generatedSecretFile,
            @DefaultValue("30s") @PositiveOrZero Duration clockSkew) {
    }

    /** @param tokenTtl life of the admin token in the console link logged at startup */
    public record Console(@DefaultValue("12h") @Positive Duration tokenTtl) {
    }
}
