package io.convtrail.query.stream;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The streams' web surroundings: the envelope JSON Schema from api-contract served at
 * {@code /schema/}, where the AsyncAPI document ({@code /asyncapi.yaml}, a static resource) points,
 * and cross-origin SSE for the same origins that may open the STOMP endpoint (a UI served from
 * another origin, e.g. a dev server, uses EventSource across origins).
 */
@Configuration
class StreamWebConfiguration implements WebMvcConfigurer {

    private final StreamProperties properties;

    StreamWebConfiguration(StreamProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/schema/**").addResourceLocations("classpath:/schema/");
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/api/v1/conversation/stream/**")
                .allowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new))
                .allowedMethods("GET")
                .allowedHeaders("Last-Event-ID", "Cache-Control", "Accept", "Authorization");
    }
}
