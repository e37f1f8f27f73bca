package io.convtrail.api.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do, from the {@code roles} claim of its access token (or Keycloak's
 * {@code realm_access.roles}). The claim carries the lower-case wire name.
 */
public enum Role {
    /** Posts turns and feedback to its own conversations and reads only those. */
    USER,
    /** Reads every conversation on every channel; posts nothing. */
    AUDITOR,
    /** Everything, plus the actuator's operations. */
    ADMIN;

    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a claim value names, ignoring case; empty for roles convtrail does not know. */
    public static Optional<Role> fromClaim(String value) {
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
