package io.convtrail.bench;

import io.convtrail.api.security.AccessTokens;
import io.convtrail.api.security.Role;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The bench's own credentials: a secret made for this run (passed to the service it starts) and the
 * tokens signed with it. Turns, reads and streams go as one user, who owns every conversation the
 * bench makes (a user's reads are not written to the access log); the actuator as an admin.
 */
final class BenchTokens {

    static final String SECRET = newSecret();
    private static final Duration LIFE = Duration.ofHours(24);
    static final String USER = AccessTokens.mint(SECRET, "bench-user", List.of(Role.USER), LIFE);
    static final String ADMIN = AccessTokens.mint(SECRET, "bench-admin", List.of(Role.ADMIN), LIFE);

    private BenchTokens() {
    }

    /** The Authorization header for a path: the admin's for the actuator, the user's for everything else. */
    static String authorization(String path) {
        return "Bearer " + (path.startsWith("/actuator") ? ADMIN : USER);
    }

    private static String newSecret() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
