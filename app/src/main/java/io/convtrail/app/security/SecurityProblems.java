package io.convtrail.app.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Spring Security's refusals as problem+json: 401 (with the {@code WWW-Authenticate} challenge of
 * RFC 6750) for a missing, expired, forged or malformed token, 403 for a role that may not do it, and
 * for another user's conversation the very 404 an unknown conversation gets. Never a stack trace.
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
    private final ObjectMapper json;
    private final DeniedAttempts denied;

    SecurityProblems(ObjectMapper json, DeniedAttempts denied) {
        this.json = json;
        this.denied = denied;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        denied.record(channel(request), DeniedAttempts.Reason.UNAUTHENTICATED, null, describe(request));
        challenge.commence(request, response, e);
        boolean tokenSent = request.getHeader("Authorization") != null || request.getParameter("access_token") != null;
        write(request, response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
                tokenSent ? "The bearer token is invalid, expired or malformed."
                        : "This endpoint needs a bearer token (Authorization: Bearer …).");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String caller = SecurityContextHolder.getContext().getAuthentication() == null ? null
                : SecurityContextHolder.getContext().getAuthentication().getName();
        if (e instanceof AuthorizationDeniedException refused
                && refused.getAuthorizationResult() instanceof HiddenConversation hidden) {
            denied.record(channel(request), DeniedAttempts.Reason.HIDDEN, caller, describe(request));
            write(request, response, HttpStatus.NOT_FOUND, "unknown-conversation", "Unknown conversation",
                    "No conversation with id " + hidden.conversationId);
            return;
        }
        denied.record(channel(request), DeniedAttempts.Reason.FORBIDDEN, caller, describe(request));
        write(request, response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "Your role may not do this.");
    }

    private void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String type,
                       String title, String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:convtrail:problem:" + type);
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    static Channel channel(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/api/v1/conversation/stream/") ? Channel.SSE : Channel.HTTP;
    }

    /** Method and path: never the query string, which may carry an access_token. */
    static String describe(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI();
    }
}
