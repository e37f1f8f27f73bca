package io.convtrail.app.operations;

import io.convtrail.query.stream.StreamProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.stereotype.Component;

/**
 * {@code stompBroker} in {@code /actuator/health}, with {@code convtrail.stream.stomp.broker=relay}:
 * whether the relay's system session to the external broker is up. A broker outage only stops STOMP
 * topics; turns, reads and SSE go on, so it is reported as DEGRADED (HTTP 200, probes untouched),
 * with {@code broker: DOWN} in the details, rather than taking the node out of the load balancer.
 */
@Component("stompBroker")
@ConditionalOnProperty(name = "convtrail.stream.stomp.broker", havingValue = "relay")
class StompBrokerHealth implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(StompBrokerHealth.class);
    /** DEGRADED with its own description: the projections' would tell the operator to look at the wrong thing. */
    static final Status BROKER_DOWN = new Status(ProjectionsHealth.DEGRADED.getCode(),
            "the STOMP broker relay is not connected: STOMP clients are refused; turns, reads and SSE go on");

    private final String address;
    private volatile boolean available;

    StompBrokerHealth(StreamProperties properties) {
        this.address = properties.stomp().relay().host() + ":" + properties.stomp().relay().port();
    }

    /** One line per change, in place of the relay's own stack trace at every reconnect attempt (muted in application.yml). */
    @EventListener
    void brokerAvailability(BrokerAvailabilityEvent event) {
        boolean now = event.isBrokerAvailable();
        if (now != available) {
            if (now) {
                log.info("STOMP broker {} is available: STOMP topics are relayed", address);
            } else {
                log.warn("STOMP broker {} is not available: STOMP clients are refused until it is back "
                        + "(the relay retries every few seconds); turns, reads and SSE go on", address);
            }
        }
        available = now;
    }

    @Override
    public Health health() {
        return Health.status(available ? Status.UP : BROKER_DOWN)
                .withDetail("broker", available ? "UP" : "DOWN")
                .withDetail("relay", address)
                .build();
    }
}
