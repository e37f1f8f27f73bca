package io.convtrail.query.stream;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the envelope JSON Schema from api-contract at {@code /schema/}, where the AsyncAPI
 * document ({@code /asyncapi.yaml}, a static resource) points.
 */
@Configuration
class StreamDocumentsConfiguration implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/schema/**").addResourceLocations("classpath:/schema/");
    }
}
