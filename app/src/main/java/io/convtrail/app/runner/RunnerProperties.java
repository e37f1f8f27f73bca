package io.convtrail.app.runner;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How this process announces itself as a turn runner.
 *
 * @param name            the node: a process that starts under a name ends every earlier run registered
 *                        under it, so two processes running at the same time must never share one. Empty:
 *                        the host name plus the embedded data directory (which only one process can use),
 *                        or plus the HTTP port with an external database
 * @param heartbeat       how often the process marks itself alive
 * @param livenessTimeout a runner silent for longer is gone: its open turns are closed by the next turn
 */
@Validated
@ConfigurationProperties("convtrail.node")
public record RunnerProperties(
        @DefaultValue("") String name,
        @DefaultValue("5s") @Positive Duration heartbeat,
        @DefaultValue("30s") @Positive Duration livenessTimeout) {

    /** A live node must be able to beat at least once before it counts as dead. */
    @AssertTrue(message = "convtrail.node.liveness-timeout must be longer than convtrail.node.heartbeat")
    public boolean isLivenessTimeoutLongerThanHeartbeat() {
        return heartbeat == null || livenessTimeout == null || livenessTimeout.compareTo(heartbeat) > 0;
    }
}
