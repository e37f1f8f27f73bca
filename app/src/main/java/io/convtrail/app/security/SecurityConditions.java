package io.convtrail.app.security;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Which verification is in force, decided from configuration alone. */
final class SecurityConditions {

    private SecurityConditions() {
    }

    static boolean enabled(Environment environment) {
        return environment.getProperty("convtrail.security.enabled", Boolean.class, true);
    }

    static boolean identityProvider(Environment environment) {
        return hasText(environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri"))
                || hasText(environment.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri"));
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /** Security is on. */
    static final class Enabled implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return enabled(context.getEnvironment());
        }
    }

    /** Security is on and tokens are HS256 with a shared (configured or generated) secret. */
    static final class SharedSecret implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return enabled(context.getEnvironment()) && !identityProvider(context.getEnvironment());
        }
    }
}
