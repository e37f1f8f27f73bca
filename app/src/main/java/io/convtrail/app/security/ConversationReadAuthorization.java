package io.convtrail.app.security;

import io.convtrail.api.ConversationIds;
import io.convtrail.query.web.StreamController;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The read rule ({@link ConversationAccess}) for REST reads and the SSE stream, applied in the filter
 * chain: a refused stream is answered before its first byte. A granted stream learns when the token
 * expires, so it ends then.
 */
class ConversationReadAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    private final ConversationAccess access;

    ConversationReadAuthorization(ConversationAccess access) {
        this.access = access;
    }

    @Override
    public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        Authentication caller = authentication.get();
        if (ConversationAccess.roles(caller).isEmpty()) {
            // anonymous: the entry point answers 401; a token without a convtrail role: 403
            return new AuthorizationDecision(false);
        }
        Optional<UUID> id = ConversationIds.parse(context.getVariables().get("conversationId"));
        if (id.isEmpty()) {
            return new AuthorizationDecision(true); // no such conversation can exist: the endpoint answers 400
        }
        HttpServletRequest request = context.getRequest();
        Channel channel = SecurityProblems.channel(request);
        return switch (access.read(caller, id.get(), channel, SecurityProblems.describe(request))) {
            case GRANTED -> {
                if (channel == Channel.SSE && caller instanceof JwtAuthenticationToken jwt
                        && jwt.getToken().getExpiresAt() != null) {
                    request.setAttribute(StreamController.STREAM_END_ATTRIBUTE, jwt.getToken().getExpiresAt());
                }
                yield new AuthorizationDecision(true);
            }
            case FORBIDDEN -> new AuthorizationDecision(false);
            case HIDDEN -> new SecurityProblems.HiddenConversation(id.get());
        };
    }
}
