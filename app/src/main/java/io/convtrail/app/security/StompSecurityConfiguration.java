package io.convtrail.app.security;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/** Puts {@link StompAuthorization} first on the STOMP client inbound channel when security is on. */
@Configuration
@Conditional(SecurityConditions.Enabled.class)
class StompSecurityConfiguration {

    @Bean
    StompAuthorization stompAuthorization(JwtDecoder decoder, ConversationAccess access, DeniedAttempts denied,
                                          ApplicationContext context) {
        JwtAuthenticationProvider tokens = new JwtAuthenticationProvider(decoder);
        tokens.setJwtAuthenticationConverter(RoleAuthorities.converter());
        // looked up when first needed: the channel is built from the configurers, this one among them
        return new StompAuthorization(tokens, access, denied,
                () -> context.getBean("clientOutboundChannel", MessageChannel.class));
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebSocketMessageBrokerConfigurer stompSecurity(StompAuthorization authorization) {
        return new WebSocketMessageBrokerConfigurer() {
            @Override
            public void configureClientInboundChannel(ChannelRegistration registration) {
                registration.interceptors(authorization);
            }
        };
    }
}
