package io.convtrail.query.json;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Instant;

/**
 * Registers {@link IsoInstantDeserializer} on the service's ObjectMapper, which Axon's serializer uses for
 * the stored events too. Spring Boot registers module beans after the well-known modules (JavaTime), so
 * this deserializer is the one used for {@link Instant}.
 */
@Configuration(proxyBeanMethods = false)
class InstantsModule {

    @Bean
    Module isoInstants() {
        return new SimpleModule("convtrail-iso-instants").addDeserializer(Instant.class, new IsoInstantDeserializer());
    }
}
