package io.convtrail.app.security;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.app.web.ProblemFactory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;
import java.util.UUID;

/**
 * Spring Security's refusals as problem+json: 401 (with the {@code WWW-Authenticate} challenge of
 * RFC 6750) for a missing, expired, forged or malformed token, 403 for a role that may not do it, and
 * for another user's conversation the very 404 an unknown conversation gets. Never a stack trace.
 * The bodies are {@link ProblemFactory}'s; counting and logging is {@link DeniedAttempts}'.
 */
class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    /** A refusal that must look like "no such conversation". */
    static final class HiddenConversation extends org.springframework.security.authorization.AuthorizationDecision {
        private final UUID conversationId;

        HiddenConversation(UUID conversationId) {
            super(false);
            this.conversationId = conversationId;
        }
    }

    private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
    private final ProblemFactory problems;
    private final DeniedAttempts denied;

    SecurityProblems(ProblemFactory problems, DeniedAttempts denied) {
        this.problems = problems;
        this.denied = denied;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        denied.record(channel(request), DeniedAttempts.Reason.UNAUTHENTICATED, null, describe(request));
        challenge.commence(request, response, e);
        boolean tokenSent = request.getHeader("Authorization") != null || request.getParameter("access_token") != null;
        problems.writeCounted(new RefusedException(Refusal.UNAUTHENTICATED,
                tokenSent ? "The bearer token is invalid, expired or malformed."
                        : "This endpoint needs a bearer token (Authorization: Bearer …)."), request, response);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String caller = SecurityContextHolder.getContext().getAuthentication() == null ? null
                : SecurityContextHolder.getContext().getAuthentication().getName();
        if (e instanceof AuthorizationDeniedException refused
                && refused.getAuthorizationResult() instanceof HiddenConversation hidden) {
            denied.record(channel(request), DeniedAttempts.Reason.HIDDEN, caller, describe(request));
            problems.writeCounted(new RefusedException(Refusal.UNKNOWN_CONVERSATION,
                    "No conversation with id " + hidden.conversationId), request, response);
            return;
        }
        denied.record(channel(request), DeniedAttempts.Reason.FORBIDDEN, caller, describe(request));
        problems.writeCounted(new RefusedException(Refusal.FORBIDDEN, "Your role may not do this."), request,
                response);
    }

    static Channel channel(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/api/v1/conversation/stream/") ? Channel.SSE : Channel.HTTP;
    }

    /** Method and path: never the query string, which may carry an access_token. */
    static String describe(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI();
    }
}
