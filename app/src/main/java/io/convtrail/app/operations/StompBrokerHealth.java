package io.convtrail.app.operations;

import io.convtrail.query.stream.StreamProperties;
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

    private final String address;
    private volatile boolean available;

    StompBrokerHealth(StreamProperties properties) {
        this.address = properties.stomp().relay().host() + ":" + properties.stomp().relay().port();
    }

    @EventListener
    void brokerAvailability(BrokerAvailabilityEvent event) {
        available = event.isBrokerAvailable();
    }

    @Override
    public Health health() {
        return Health.status(available ? Status.UP : ProjectionsHealth.DEGRADED)
                .withDetail("broker", available ? "UP" : "DOWN")
                .withDetail("relay", address)
                .build();
    }
}
