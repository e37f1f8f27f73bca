package io.convtrail.app.security;

import io.convtrail.app.web.ProblemFactory;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * Who may call what over HTTP and SSE (STOMP: {@link StompSecurityConfiguration}). Stateless bearer
 * tokens, no cookies and so no CSRF; everything not named here is for admins only, so a new endpoint
 * is closed until someone gives it a rule.
 */
@Configuration
@EnableConfigurationProperties({ConvtrailSecurityProperties.class, OAuth2ResourceServerProperties.class})
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger("io.convtrail");

    static final String STREAM_PATH = "/api/v1/conversation/stream/";

    /** Only the console's own files: no inline script or style, no other origin, no framing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private static final String[] CONSOLE = {"/", "/index.html", "/console.css", "/js/**", "/favicon.ico"};
    private static final String[] DOCUMENTS = {"/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html",
            "/swagger-ui/**", "/asyncapi.yaml", "/schema/**"};
    private static final String[] CONVERSATION_READS = {"/api/v1/conversation/audit/{conversationId}",
            "/api/v1/conversation/audit/{conversationId}/trace", "/api/v1/conversation/audit/{conversationId}/verify",
            "/api/v1/conversation/audit/{conversationId}/export", STREAM_PATH + "{conversationId}"};

    @Bean
    @Conditional(SecurityConditions.SharedSecret.class)
    JwtSecret jwtSecret(ConvtrailSecurityProperties properties) {
        return JwtSecret.resolve(properties.jwt().secret(), properties.jwt().generatedSecretFile());
    }

    @Bean
    @Conditional(SecurityConditions.Enabled.class)
    JwtDecoder jwtDecoder(ConvtrailSecurityProperties properties, OAuth2ResourceServerProperties resourceServer,
                          ObjectProvider<JwtSecret> secret) {
        OAuth2ResourceServerProperties.Jwt provider = resourceServer.getJwt();
        if (JwtDecoders.identityProviderConfigured(provider)) {
            log.info("Access tokens are verified with the identity provider's keys ({})",
                    provider.getJwkSetUri() != null ? provider.getJwkSetUri() : provider.getIssuerUri());
            return JwtDecoders.identityProvider(provider, properties.jwt().clockSkew());
        }
        return JwtDecoders.sharedSecret(secret.getObject().key(), properties.jwt().clockSkew());
    }

    /**
     * The request is observed once, by Spring's HTTP server observation (the turn's trace), and Spring
     * Security observes nothing of its own. Its request observation would wrap each filter of its chain in
     * an observation and add two chain observations per request; its authentication and authorization
     * observations add two more per request (a span and a timer each, around a token check of ~10 µs and
     * a path match): ~6 % of a turn's request-thread CPU, for spans and meters nobody reads. Refusals are
     * counted by {@code convtrail.security.denied}; a request's time is in {@code http.server.requests}.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * The rules' paths are matched as Spring's path patterns on the request's path, not through Spring MVC's
     * handler mappings ({@code MvcRequestMatcher}, which needed the handler looked up for every request before
     * the dispatcher looked it up again; Spring Security 7's default). Every rule's path is a plain pattern
     * with no servlet path, so both match the same requests: {@code SecurityMatrixTest} holds every rule.
     */
    @Bean
    static PathPatternRequestMatcherBuilderFactoryBean requestMatcherBuilder() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    /** See {@link HandlerLookupCacheRemoval}: nothing reads the handler-lookup cache once the rules are path patterns. */
    @Bean
    static BeanFactoryPostProcessor handlerLookupCacheRemoval() {
        return new HandlerLookupCacheRemoval();
    }

    @Bean
    SecurityProblems securityProblems(ProblemFactory problems, DeniedAttempts denied) {
        return new SecurityProblems(problems, denied);
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, ConvtrailSecurityProperties properties,
                                            ObjectProvider<JwtDecoder> decoder, SecurityProblems problems,
                                            ConversationAccess access) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .cors(withDefaults())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        // before the chain, not while it unwinds: an SSE stream's sender thread may be committing the
                        // response by then, and Tomcat's headers are not thread-safe (a NullPointerException in
                        // MimeHeaders, and a stream whose headers never reach the client; spring-security#15510)
                        .withObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                            @Override
                            public <O extends HeaderWriterFilter> O postProcess(O filter) {
                                filter.setShouldWriteHeadersEagerly(true);
                                return filter;
                            }
                        }));
        if (!properties.enabled()) {
            http.authorizeHttpRequests(rules -> rules.anyRequest().permitAll());
            return http.build();
        }
        http.oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.decoder(decoder.getObject()).jwtAuthenticationConverter(RoleAuthorities.converter()))
                        .bearerTokenResolver(tokens())
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(rules -> rules
                        // the async dispatch of a stream and the error page were authorized with their request
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.GET, CONSOLE).permitAll()
                        // browsers cannot set headers on a WebSocket: STOMP authenticates its CONNECT frame
                        .requestMatchers("/ws-convengine", "/ws-convengine/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/conversation/message",
                                "/api/v1/conversation/feedback").hasAnyRole("USER", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/v1/conversation/audit/{conversationId}/access",
                                "/api/v1/conversation/export").hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/v1/users/{sub}/conversations").access(new SubjectAuthorization())
                        // the list narrows a user to their own conversations itself (ConversationListController)
                        .requestMatchers(HttpMethod.GET, "/api/v1/conversations").hasAnyRole("USER", "AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/v1/overview").hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/conversations/{id}").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, CONVERSATION_READS).access(new ConversationReadAuthorization(access))
                        // HEAD on a stream answers its headers only, under the same rule as opening it
                        .requestMatchers(HttpMethod.HEAD, STREAM_PATH + "{conversationId}")
                        .access(new ConversationReadAuthorization(access))
                        .requestMatchers(HttpMethod.GET, DOCUMENTS).hasAnyRole("USER", "AUDITOR", "ADMIN")
                        // called directly, the error page answers 404 problem+json like any path without an endpoint
                        .requestMatchers("/error").permitAll()
                        .anyRequest().hasRole("ADMIN"));
        return http.build();
    }

    /** The header everywhere; on the SSE stream also {@code ?access_token=}, since EventSource cannot set headers. */
    private static BearerTokenResolver tokens() {
        DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
        DefaultBearerTokenResolver headerOrQuery = new DefaultBearerTokenResolver();
        headerOrQuery.setAllowUriQueryParameter(true);
        return request -> request.getRequestURI().startsWith(STREAM_PATH)
                ? headerOrQuery.resolve(request) : header.resolve(request);
    }
}
