package io.convtrail.testsupport;

import io.convtrail.api.security.AccessTokens;
import io.convtrail.api.security.Role;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Access tokens for tests, signed with the fixed secret every test context is configured with
 * ({@link #SECRET_PROPERTY}), through the service's own minting code. Test clients send
 * {@link #adminBearer()} unless a test is about who may do what.
 */
public final class TestTokens {

    /** 48 bytes: HS256 needs at least 32. Only ever used by tests. */
    public static final String SECRET = "convtrail-test-secret-0123456789-abcdefghijklmnop";
    /** The property that configures it, for {@code @SpringBootTest(properties = …)}. */
    public static final String SECRET_PROPERTY = "convtrail.security.jwt.secret=" + SECRET;
    public static final String ADMIN_SUBJECT = "test-admin";

    private static final Duration LIFE = Duration.ofHours(2);

    private TestTokens() {
    }

    public static String token(String subject, Role... roles) {
        return AccessTokens.mint(SECRET, subject, List.of(roles), LIFE);
    }

    public static String token(String subject, Duration ttl, Role... roles) {
        return AccessTokens.mint(SECRET.getBytes(StandardCharsets.UTF_8), subject, List.of(roles), ttl);
    }

    public static String admin() {
        return token(ADMIN_SUBJECT, Role.ADMIN);
    }

    public static String user(String subject) {
        return token(subject, Role.USER);
    }

    public static String auditor(String subject) {
        return token(subject, Role.AUDITOR);
    }

    /** The value of an {@code Authorization} header. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public static String adminBearer() {
        return bearer(admin());
    }
}
