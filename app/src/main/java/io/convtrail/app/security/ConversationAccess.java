package io.convtrail.app.security;

import io.convtrail.api.security.Role;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The one rule for reading a conversation, on every channel: an auditor or admin reads any (and the
 * read is recorded), a user only its own; anything else is hidden, answered as if the conversation
 * did not exist (404, a refused stream), so a refusal does not tell that it exists.
 */
@Component
class ConversationAccess {

    enum Decision { GRANTED, FORBIDDEN, HIDDEN }

    private final ConversationOwners owners;
    private final ConversationAccessLog accessLog;

    ConversationAccess(ConversationOwners owners, ConversationAccessLog accessLog) {
        this.owners = owners;
        this.accessLog = accessLog;
    }

    Decision read(Authentication caller, UUID conversationId, Channel channel, String endpoint) {
        Set<Role> roles = roles(caller);
        if (roles.contains(Role.ADMIN) || roles.contains(Role.AUDITOR)) {
            accessLog.record(conversationId, caller.getName(), roles, channel, endpoint);
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
