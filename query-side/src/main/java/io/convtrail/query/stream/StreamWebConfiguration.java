package io.convtrail.query.stream;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The streams' web surroundings: the envelope JSON Schema from api-contract served at
 * {@code /schema/}, where the AsyncAPI document ({@code /asyncapi.yaml}, a static resource) points.
 * Cross-origin SSE (and the rest of {@code /api/}) is allowed for {@code allowedOrigins} by the app's
 * security configuration (CrossOriginPolicy), one policy for the whole API.
 */
@Configuration
class StreamWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/schema/**").addResourceLocations("classpath:/schema/");
    }
}
