package io.convtrail.app.security;

import io.convtrail.api.ConversationIds;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.util.CustomizableThreadCreator;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STOMP's share of the access rules, on the client inbound channel (SockJS and plain WebSocket
 * alike). CONNECT must carry {@code Authorization: Bearer …}, verified like HTTP's; each SUBSCRIBE
 * names exactly one conversation's topic and is authorized for it ({@link ConversationAccess}); other
 * destinations, wildcards and patterns included, are refused. A refusal is an ERROR frame, after
 * which Spring closes the session; the refused frame goes nowhere. A session is closed the same way
 * when its token expires.
 */
class StompAuthorization implements ChannelInterceptor, DisposableBean {

    private static final Pattern CONVERSATION_TOPIC = Pattern.compile("/topic/convengine/audit/([^/]+)");
    private static final long ERROR_DELAY_MILLIS = 100;

    private final JwtAuthenticationProvider tokens;
    private final ConversationAccess access;
    private final DeniedAttempts denied;
    private final Supplier<MessageChannel> toClients;
    private final ScheduledThreadPoolExecutor expiries;
    private final Map<String, ScheduledFuture<?>> sessionExpiries = new ConcurrentHashMap<>();

    StompAuthorization(JwtAuthenticationProvider tokens, ConversationAccess access, DeniedAttempts denied,
                       Supplier<MessageChannel> toClients) {
        this.tokens = tokens;
        this.access = access;
        this.denied = denied;
        this.toClients = toClients;
        CustomizableThreadCreator names = new CustomizableThreadCreator("stomp-token-expiry-");
        names.setDaemon(true);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, names::createThread);
        // a session's expiry is cancelled when it closes, hours before it would run: out of the queue at once,
        // or every closed session's task (and what it holds) stays queued until its token would have expired
        executor.setRemoveOnCancelPolicy(true);
        this.expiries = executor;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        StompHeaderAccessor stomp = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
        if (stomp == null || stomp.getCommand() == null) {
            return message; // heart-beats
        }
        StompCommand command = stomp.getCommand();
        if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
            return connect(message, stomp);
        }
        if (command == StompCommand.DISCONNECT) {
            return message;
        }
        Authentication caller = stomp.getUser() instanceof Authentication a ? a : null;
        if (caller == null || expired(caller)) {
            return refuse(stomp, DeniedAttempts.Reason.UNAUTHENTICATED, caller,
                    command + " needs a connection authenticated with a valid bearer token");
        }
        if (command == StompCommand.SUBSCRIBE) {
            return subscribe(message, stomp, caller);
        }
        return message;
    }

    private Message<?> connect(Message<?> message, StompHeaderAccessor stomp) {
        String header = stomp.getFirstNativeHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            return refuse(stomp, DeniedAttempts.Reason.UNAUTHENTICATED, null,
                    "CONNECT needs an Authorization: Bearer <token> header");
        }
        Authentication caller;
        try {
            caller = tokens.authenticate(new BearerTokenAuthenticationToken(header.substring(7).strip()));
        } catch (AuthenticationException | IllegalArgumentException e) {
            return refuse(stomp, DeniedAttempts.Reason.UNAUTHENTICATED, null, "the bearer token is invalid or expired");
        }
        stomp.setUser(caller);
        String sessionId = stomp.getSessionId();
        String name = caller.getName();
        expiresAt(caller).ifPresent(at -> sessionExpiries.put(sessionId, expiries.schedule(
                () -> closeExpired(sessionId, name),
                Math.max(0, Duration.between(Instant.now(), at).toMillis()), TimeUnit.MILLISECONDS)));
        return message;
    }

    private Message<?> subscribe(Message<?> message, StompHeaderAccessor stomp, Authentication caller) {
        String destination = stomp.getDestination();
        Matcher topic = destination == null ? null : CONVERSATION_TOPIC.matcher(destination);
        Optional<UUID> id = topic != null && topic.matches() ? ConversationIds.parse(topic.group(1)) : Optional.empty();
        if (id.isEmpty()) {
            return refuse(stomp, DeniedAttempts.Reason.FORBIDDEN, caller,
                    "only /topic/convengine/audit/{conversationId} can be subscribed to");
        }
        return switch (access.read(caller, id.get(), Channel.STOMP, "SUBSCRIBE " + destination)) {
            case GRANTED -> message;
            case FORBIDDEN -> refuse(stomp, DeniedAttempts.Reason.FORBIDDEN, caller, "your role may not subscribe");
            case HIDDEN -> refuse(stomp, DeniedAttempts.Reason.HIDDEN, caller, "no conversation with id " + id.get());
        };
    }

    /** Sends the ERROR frame (Spring closes the session after it) and drops the refused frame. */
    private Message<?> refuse(StompHeaderAccessor stomp, DeniedAttempts.Reason reason, Authentication caller,
                              String why) {
        String what = stomp.getCommand() + (stomp.getDestination() == null ? "" : " " + stomp.getDestination());
        denied.record(Channel.STOMP, reason, caller == null ? null : caller.getName(), what);
        // A moment later, not now: a frame still being written to the session (the CONNECTED that
        // prompted this SUBSCRIBE) holds its send lock, an ERROR sent meanwhile is only buffered, and
        // Spring's close after an ERROR drops what is buffered. The refused frame went nowhere already.
        String session = stomp.getSessionId();
        expiries.schedule(() -> sendError(session, why), ERROR_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        return null;
    }

    private void closeExpired(String sessionId, String caller) {
        sessionExpiries.remove(sessionId);
        denied.record(Channel.STOMP, DeniedAttempts.Reason.UNAUTHENTICATED, caller, "session (token expired)");
        sendError(sessionId, "the access token expired; reconnect with a fresh one");
    }

    private void sendError(String sessionId, String text) {
        StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
        error.setMessage(text);
        error.setSessionId(sessionId);
        error.setLeaveMutable(true);
        toClients.get().send(MessageBuilder.createMessage(new byte[0], error.getMessageHeaders()));
    }

    @EventListener
    void disconnected(SessionDisconnectEvent event) {
        ScheduledFuture<?> expiry = sessionExpiries.remove(event.getSessionId());
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    /** The tasks waiting to run: one per open session whose token expires, and refusals about to be sent. */
    int pendingTasks() {
        return expiries.getQueue().size();
    }

    private static boolean expired(Authentication caller) {
        return expiresAt(caller).map(at -> !Instant.now().isBefore(at)).orElse(false);
    }

    private static Optional<Instant> expiresAt(Authentication caller) {
        return caller instanceof JwtAuthenticationToken jwt ? Optional.ofNullable(jwt.getToken().getExpiresAt())
                : Optional.empty();
    }

    @Override
    public void destroy() {
        expiries.shutdownNow();
    }
}
