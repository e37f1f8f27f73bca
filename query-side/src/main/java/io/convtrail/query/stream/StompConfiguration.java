package io.convtrail.query.stream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
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
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

import java.util.UUID;

/**
 * ConvEngine's STOMP transport: endpoint {@code /ws-convengine} (plain WebSocket, and SockJS under
 * the same path), topics under {@code /topic}, the in-memory broker or a relay to an external one.
 * Clients may only subscribe: a SEND to a topic would let anyone forge a conversation's events.
 * With the relay, conversation topics are renamed on the way to the broker and back ({@link BrokerRelay}).
 * Spring's broker beans come from {@link StompBrokerConfiguration} (in place of {@code @EnableWebSocketMessageBroker}).
 */
@Configuration
@EnableConfigurationProperties(StreamProperties.class)
class StompConfiguration implements WebSocketMessageBrokerConfigurer {

    static final String ENDPOINT = "/ws-convengine";

    private final StreamProperties properties;
    private final ObjectProvider<StompTopicPublisher> publisher;

    StompConfiguration(StreamProperties properties, ObjectProvider<StompTopicPublisher> publisher) {
        this.properties = properties;
        this.publisher = publisher;
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
        // one conversation's envelopes reach each session in the order they were published (the relay's
        // topics, and any other destination; conversation topics of the in-memory broker are fed by
        // StompTopicPublisher, one sender per subscription, and never pass through the broker)
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
                if (StompCommand.SUBSCRIBE.equals(stomp.getCommand())
                        && stomp.getFirstNativeHeader(StompTopicPublisher.RESUME_HEADER) != null) {
                    return resume(message, stomp);
                }
                if (!relayed() && StompCommand.SUBSCRIBE.equals(stomp.getCommand())) {
                    return feed(message, stomp);
                }
                if (relayed() && StompCommand.SUBSCRIBE.equals(stomp.getCommand())) {
                    return withDestination(message, BrokerRelay.toBroker(stomp.getDestination()));
                }
                return message;
            }
        });
    }

    /** The broker's messages name the topic as the client subscribed to it (see {@link BrokerRelay}). */
    @Override
    public void configureClientOutboundChannel(ChannelRegistration registration) {
        if (!relayed()) {
            return;
        }
        registration.interceptors(new ChannelInterceptor() {
            @Override
            public Message<?> preSend(Message<?> message, MessageChannel channel) {
                StompHeaderAccessor stomp = StompHeaderAccessor.wrap(message);
                if (StompCommand.MESSAGE.equals(stomp.getCommand())) {
                    return withDestination(message, BrokerRelay.toClient(stomp.getDestination()));
                }
                return message;
            }
        });
    }

    private boolean relayed() {
        return properties.stomp().broker() == StreamProperties.Broker.RELAY;
    }

    private static Message<?> withDestination(Message<?> message, String destination) {
        StompHeaderAccessor headers = StompHeaderAccessor.wrap(message);
        if (destination == null || destination.equals(headers.getDestination())) {
            return message;
        }
        headers.setDestination(destination);
        headers.setLeaveMutable(true);
        return MessageBuilder.createMessage(message.getPayload(), headers.getMessageHeaders());
    }

    /**
     * A plain SUBSCRIBE to a conversation topic (authorized by now) gets its own feed from the hub,
     * written straight to its session ({@link StompTopicPublisher}); the frame goes no further, so the
     * in-memory broker never holds it. Any other destination is the broker's, as before.
     */
    private Message<?> feed(Message<?> message, StompHeaderAccessor stomp) {
        UUID conversationId = StompTopicPublisher.conversationOf(stomp.getDestination());
        if (conversationId == null) {
            return message;
        }
        try {
            publisher.getObject().subscribe(stomp.getSessionId(), stomp.getSubscriptionId(), conversationId);
        } catch (DataAccessException unreadable) {
            // the ERROR frame carries this message, not the driver's
            throw new MessageDeliveryException(message, "the conversation's stream cannot be read now; subscribe again");
        }
        return null;
    }

    /**
     * A SUBSCRIBE with {@code last-event-id} (authorized by now: security's interceptor runs first)
     * gets its own feed from that position; the frame goes no further, so the broker never adds the
     * client to the shared topic and no event reaches it twice.
     */
    private Message<?> resume(Message<?> message, StompHeaderAccessor stomp) {
        UUID conversationId = StompTopicPublisher.conversationOf(stomp.getDestination());
        String value = stomp.getFirstNativeHeader(StompTopicPublisher.RESUME_HEADER).strip();
        if (conversationId == null) {
            return message; // not a conversation topic: the broker handles it as before
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw new MessageDeliveryException(message, StompTopicPublisher.RESUME_HEADER
                    + " must be the sequence of the last message received (a non-negative integer), not " + value);
        }
        publisher.getObject().resume(stomp.getSessionId(), stomp.getSubscriptionId(), conversationId,
                Long.parseLong(value));
        return null;
    }
}
