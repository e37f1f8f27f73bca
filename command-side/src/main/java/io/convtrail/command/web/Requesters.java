package io.convtrail.command.web;

import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.security.Role;
import jakarta.servlet.http.HttpServletRequest;

import java.security.Principal;

/**
 * The caller of a request as the aggregate's ownership rule needs it, read through the servlet API so
 * the command side does not depend on the security library: Spring Security puts the token's
 * {@code sub} behind {@code getUserPrincipal()} and its roles behind {@code isUserInRole}. No principal
 * means security is turned off (every endpoint that records requires a token otherwise).
 */
final class Requesters {

    private Requesters() {
    }

    static TurnRequester of(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal == null) {
            return TurnRequester.UNCHECKED;
        }
        return new TurnRequester(principal.getName(), request.isUserInRole(Role.ADMIN.name()));
    }
}
