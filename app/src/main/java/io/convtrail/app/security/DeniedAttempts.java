package io.convtrail.app.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every refused attempt, on every channel: one log line (who, what, why; never the token, never a
 * query string, which may carry {@code access_token}) and {@code convtrail.security.denied}, tagged
 * by channel and reason.
 */
@Component
class DeniedAttempts {

    private static final Logger log = LoggerFactory.getLogger(DeniedAttempts.class);

    /** Why: no usable token, a role that may not do it, or a conversation that is not the caller's. */
    enum Reason { UNAUTHENTICATED, FORBIDDEN, HIDDEN }

    private final MeterRegistry meters;

    DeniedAttempts(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(Channel channel, Reason reason, String caller, String what) {
        Counter.builder("convtrail.security.denied")
                .description("refused calls (no or invalid token, wrong role, another user's conversation)")
                .tag("channel", channel.tag())
                .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                .register(meters)
                .increment();
        log.warn("Refused {} {} for {}: {}", channel.tag(), what, caller == null ? "anonymous" : caller,
                reason.name().toLowerCase(java.util.Locale.ROOT));
    }
}
