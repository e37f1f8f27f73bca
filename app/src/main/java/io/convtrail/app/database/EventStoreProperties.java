package io.convtrail.app.database;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the event store is read by this node's projections ({@code convtrail.event-store.*}).
 *
 * @param pollInterval how long the store's reader waits, once it has read everything, before it looks
 *                     for events appended by other nodes. Events this node appends are read at once,
 *                     when they commit; another node's wait for this long at most before any projection
 *                     here sees them (Axon's default is 1 s). Each look is one indexed query.
 */
@Validated
@ConfigurationProperties("convtrail.event-store")
public record EventStoreProperties(@DefaultValue("100ms") @Positive Duration pollInterval) {
}
