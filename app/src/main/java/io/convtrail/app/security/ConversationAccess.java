package io.convtrail.app.security;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.security.Role;
import io.convtrail.app.database.ConnectionFailures;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The one rule for reading a conversation, on every channel: an auditor or admin reads any (and the
 * read is recorded), a user only its own; anything else is hidden, answered as if the conversation
 * did not exist (404, a refused stream), so a refusal does not tell that it exists.
 * <p>
 * The record of an auditor's or admin's read is written before the read is granted, in its own
 * statement: no read goes out unrecorded. When it cannot be written because the database is busy (the
 * connection pool stays exhausted for its {@code connection-timeout}) or unreachable, the read is
 * refused as 503 with Retry-After, never answered unrecorded and never a 500.
 */
@Component
class ConversationAccess {

    enum Decision { GRANTED, FORBIDDEN, HIDDEN }

    /** A pool exhausted by a burst of reads frees up within seconds. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final ConversationOwners owners;
    private final ConversationAccessLog accessLog;

    ConversationAccess(ConversationOwners owners, ConversationAccessLog accessLog) {
        this.owners = owners;
        this.accessLog = accessLog;
    }

    Decision read(Authentication caller, UUID conversationId, Channel channel, String endpoint) {
        Set<Role> roles = roles(caller);
        if (roles.contains(Role.ADMIN) || roles.contains(Role.AUDITOR)) {
            record(conversationId, caller.getName(), roles, channel, endpoint);
            return Decision.GRANTED;
        }
        if (!roles.contains(Role.USER)) {
            return Decision.FORBIDDEN;
        }
        return owners.of(conversationId)
                .filter(owner -> caller.getName().equals(owner.subject()))
                .map(owner -> Decision.GRANTED)
                .orElse(Decision.HIDDEN);
    }

    private void record(UUID conversationId, String subject, Set<Role> roles, Channel channel, String endpoint) {
        try {
            accessLog.record(conversationId, subject, roles, channel, endpoint);
        } catch (DataAccessException e) {
            if (ConnectionFailures.find(e) == null) {
                throw e;
            }
            throw new RefusedException(Refusal.DATABASE_UNAVAILABLE, null, "The read could not be recorded in the "
                    + "access log (the database is busy or unreachable), so nothing was read. Retry in a few seconds.",
                    RETRY_AFTER);
        }
    }

    static Set<Role> roles(Authentication caller) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (caller == null || caller instanceof AnonymousAuthenticationToken || !caller.isAuthenticated()) {
            return roles;
        }
        for (GrantedAuthority authority : caller.getAuthorities()) {
            for (Role role : Role.values()) {
                if (RoleAuthorities.authority(role).equals(authority.getAuthority())) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }
}
