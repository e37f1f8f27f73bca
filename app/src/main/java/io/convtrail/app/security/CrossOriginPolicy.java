package io.convtrail.app.security;

import io.convtrail.query.stream.StreamProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import java.time.Duration;
import java.util.List;

/**
 * Which other origins may call the REST API and read the SSE stream: the same
 * {@code convtrail.stream.allowed-origins} that may open the STOMP endpoint, so a chat UI served
 * from another origin can post, read the audit and stream with one setting. Spring Security's
 * {@code cors()} finds this bean by name and answers preflights before authentication; an origin
 * not listed gets 403 and no {@code Access-Control-Allow-Origin}. Tokens travel in the
 * {@code Authorization} header, never in cookies, so credentials are not allowed.
 */
@Configuration
class CrossOriginPolicy {

    static final List<String> METHODS = List.of("GET", "HEAD", "POST");
    static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "Accept", "Last-Event-ID",
            "Cache-Control", "traceparent");
    /** What a cross-origin client may read besides the simple headers: when to retry, which trace a turn was. */
    static final List<String> EXPOSED_HEADERS = List.of("Retry-After", "X-Trace-Id", "traceparent");

    @Bean
    CorsConfigurationSource corsConfigurationSource(StreamProperties streams) {
        CorsConfiguration api = new CorsConfiguration();
        api.setAllowedOriginPatterns(streams.allowedOrigins());
        api.setAllowedMethods(METHODS);
        api.setAllowedHeaders(REQUEST_HEADERS);
        api.setExposedHeaders(EXPOSED_HEADERS);
        api.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", api);
        return source;
    }
}
