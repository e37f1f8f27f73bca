package io.convtrail.app;

import io.convtrail.testsupport.PostgresTestConfiguration;
import io.convtrail.testsupport.TestTokens;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole application on a random port against real PostgreSQL, with security on and the test
 * secret of {@link TestTokens}. Test classes that use it alone share one Spring context (and one
 * database); add properties only when a test needs different behaviour, since each distinct set
 * starts another context. Every test client connects from 127.0.0.1, so the suite is one client to
 * the per-client request rate: the rate is raised here for it, and {@code RequestLimitsTest} checks
 * the limit itself. Metrics are exported as in production (Spring Boot's tests turn exporters off by
 * default), so {@code /actuator/prometheus} is there to be tested.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestTokens.SECRET_PROPERTY, "convtrail.request.per-client-rate=1000000",
        "convtrail.request.per-client-burst=1000000"})
@Import(PostgresTestConfiguration.class)
@AutoConfigureObservability(tracing = false)
public @interface ConvtrailIntegrationTest {
}
