package io.convtrail.app.web;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.query.stream.ClientStreamSlots;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

import java.io.IOException;
import java.time.Duration;

/**
 * The STOMP endpoint's edge: the per-client stream cap and the frame guard ({@link StompSessionGuard})
 * on every session, and a 429 problem+json for a WebSocket handshake from a client that holds its
 * maximum already (after the upgrade, a refusal could only be a close code).
 */
@Configuration(proxyBeanMethods = false)
class StompEdgeConfiguration implements WebSocketMessageBrokerConfigurer {

    /** Spring's default inbound STOMP message size limit, which the guard's own decoder mirrors. */
    private static final int MESSAGE_SIZE_LIMIT = 64 * 1024;

    private final ClientStreamSlots slots;
    private final RefusalLog refusals;

    StompEdgeConfiguration(ClientStreamSlots slots, RefusalLog refusals) {
        this.slots = slots;
        this.refusals = refusals;
    }

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        registration.addDecoratorFactory(handler -> new StompSessionGuard(handler, slots, refusals, MESSAGE_SIZE_LIMIT));
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> webSocketStreamCapFilter(ProblemFactory problems) {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade")) && slots.isFull(request.getRemoteAddr())) {
                    problems.write(new RefusedException(Refusal.TOO_MANY_STREAMS, null, "This client holds "
                            + slots.maxPerClient() + " open streams, as many as it may; close one first.",
                            Duration.ofSeconds(1)), request, response);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/ws-convengine", "/ws-convengine/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return registration;
    }
}
