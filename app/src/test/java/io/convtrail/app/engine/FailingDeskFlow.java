package io.convtrail.app.engine;

import io.convtrail.command.engine.tool.FlowTool;
import io.convtrail.command.engine.tool.ToolCall;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Runs the test flow {@code test-flows/failing-desk.yml} with its ledger tool down, and closes a
 * turn left open for more than 1 s as abandoned. Tests using exactly this share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestPropertySource(properties = {"convtrail.flow.location=classpath:test-flows/",
        "convtrail.flow.active=failing-desk", "convtrail.turn.abandon-after=1s"})
@Import(FailingDeskFlow.LedgerDown.class)
@interface FailingDeskFlow {

    @TestConfiguration
    class LedgerDown {
        @Bean
        FlowTool ledger() {
            return new FlowTool() {
                @Override
                public String code() {
                    return "ledger";
                }

                @Override
                public Map<String, Object> call(ToolCall call) {
                    throw new IllegalStateException("ledger offline");
                }
            };
        }
    }
}
