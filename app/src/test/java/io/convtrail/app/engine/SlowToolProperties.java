package io.convtrail.app.engine;

import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A demo tool that takes 2 s and a short busy wait: long turns to watch while they run. Tests
 * using exactly this share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestPropertySource(properties = {"convtrail.demo-tool.delay=2s", "convtrail.turn.busy-wait=500ms"})
@interface SlowToolProperties {
}
