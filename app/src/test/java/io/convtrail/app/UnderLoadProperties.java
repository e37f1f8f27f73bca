package io.convtrail.app;

import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Settings for the tests that load the application with many clients at once, on top of
 * {@link ConvtrailIntegrationTest}: the read-your-writes bound raised to 60 s (64 turns arriving at once
 * on a busy two-core CI machine can keep a projection more than the default 5 s behind;
 * {@code ReadModelBehindTest} checks the bound itself), and a 500 ms SSE heartbeat, so the server notices
 * closed connections quickly (a silent disconnect is only seen on the next write). Tests using exactly
 * this share one application context instead of starting one each.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestPropertySource(properties = {"convtrail.read.consistency-timeout=60s", "convtrail.stream.sse.heartbeat=500ms",
        "convtrail.read-side.max-wait=60s"})
public @interface UnderLoadProperties {
}
