package io.convtrail.app.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A secret too short for HS256 stops startup with one sentence instead of a bean-creation stack trace. */
public class InvalidSecretFailureAnalyzer extends AbstractFailureAnalyzer<JwtSecret.InvalidSecretException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, JwtSecret.InvalidSecretException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set CONVTRAIL_SECURITY_JWT_SECRET to at least 32 bytes, unset it to use a generated secret, or "
                        + "configure an identity provider (spring.security.oauth2.resourceserver.jwt.issuer-uri).",
                cause);
    }
}
