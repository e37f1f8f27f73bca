package io.convtrail.query.stream;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.DelegatingWebSocketMessageBrokerConfiguration;

/**
 * Spring's WebSocket message broker configuration (what {@code @EnableWebSocketMessageBroker} imports,
 * still applying every {@code WebSocketMessageBrokerConfigurer}, {@link StompConfiguration} first), with
 * one change: its WebSocket handler is {@link StompSessions}, which lets the hub's STOMP feeds write
 * encoded frames to a session. Extending this class is Spring's documented way to change its beans.
 */
@Configuration(proxyBeanMethods = false)
class StompBrokerConfiguration extends DelegatingWebSocketMessageBrokerConfiguration {

    @Bean
    @Override
    public WebSocketHandler subProtocolWebSocketHandler(AbstractSubscribableChannel clientInboundChannel,
                                                        AbstractSubscribableChannel clientOutboundChannel) {
        StompSessions handler = new StompSessions(clientInboundChannel, clientOutboundChannel);
        handler.setPhase(getPhase());
        return handler;
    }
}
