package io.convtrail.query.stream;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.config.StompBrokerRelayRegistration;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * ConvEngine's STOMP transport: endpoint {@code /ws-convengine} (plain WebSocket, and SockJS under
 * the same path), topics under {@code /topic}, the in-memory broker or a relay to an external one.
 * Clients may only subscribe: a SEND to a topic would let anyone forge a conversation's events.
 */
@Configuration
@EnableWebSocketMessageBroker
@EnableConfigurationProperties(StreamProperties.class)
class StompConfiguration implements WebSocketMessageBrokerConfigurer {

    static final String ENDPOINT = "/ws-convengine";

    private final StreamProperties properties;

    StompConfiguration(StreamProperties properties) {
        this.properties = properties;
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        String[] origins = properties.allowedOrigins().toArray(String[]::new);
        registry.addEndpoint(ENDPOINT).setAllowedOriginPatterns(origins);
        registry.addEndpoint(ENDPOINT).setAllowedOriginPatterns(origins).withSockJS();
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        StreamProperties.Stomp stomp = properties.stomp();
        if (stomp.broker() == StreamProperties.Broker.RELAY) {
            StreamProperties.Relay relay = stomp.relay();
            StompBrokerRelayRegistration relayRegistration = registry.enableStompBrokerRelay("/topic")
                    .setRelayHost(relay.host())
                    .setRelayPort(relay.port())
                    .setClientLogin(relay.login())
                    .setClientPasscode(relay.passcode())
                    .setSystemLogin(relay.login())
                    .setSystemPasscode(relay.passcode())
                    // built here: Spring would look for reactor-netty-http, which would also change the
                    // application's default HTTP client; the relay needs only the TCP part
                    .setTcpClient(new ReactorNettyTcpClient<>(relay.host(), relay.port(), new StompReactorNettyCodec()));
            if (relay.virtualHost() != null && !relay.virtualHost().isBlank()) {
                relayRegistration.setVirtualHost(relay.virtualHost());
            }
        } else {
            registry.enableSimpleBroker("/topic");
        }
        registry.setApplicationDestinationPrefixes("/app");
        // one conversation's envelopes reach each session in the order they were published
        registry.setPreservePublishOrder(true);
    }

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        registration.setSendBufferSizeLimit((int) properties.stomp().sendBufferSizeLimit().toBytes());
        registration.setSendTimeLimit((int) properties.stomp().sendTimeLimit().toMillis());
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        registration.interceptors(new ChannelInterceptor() {
            @Override
            public Message<?> preSend(Message<?> message, MessageChannel channel) {
                StompHeaderAccessor stomp = StompHeaderAccessor.wrap(message);
                if (StompCommand.SEND.equals(stomp.getCommand())) {
                    throw new MessageDeliveryException(message, "convtrail streams are read-only: SEND is not accepted");
                }
                return message;
            }
        });
    }
}
