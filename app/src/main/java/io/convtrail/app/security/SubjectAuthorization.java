package io.convtrail.app.security;

import io.convtrail.api.security.Role;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import java.util.Set;
import java.util.function.Supplier;

/** A person's own data ({@code /users/{sub}/…}): that person, auditors and admins; any other user is refused. */
class SubjectAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    @Override
    public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        Authentication caller = authentication.get();
        Set<Role> roles = ConversationAccess.roles(caller);
        if (roles.contains(Role.ADMIN) || roles.contains(Role.AUDITOR)) {
            return new AuthorizationDecision(true);
        }
        return new AuthorizationDecision(roles.contains(Role.USER)
                && caller.getName().equals(context.getVariables().get("sub")));
    }
}
