package io.convtrail.query.projection;

import io.convtrail.query.store.EventPositions;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/** Puts an event a projection cannot apply into the quarantine, with one log line. */
final class HeldEvents {

    private static final Logger log = LoggerFactory.getLogger(QuarantineInterceptor.class);

    private final ProjectionQuarantine quarantine;
    private final EventPositions positions;
    private final Clock clock;

    HeldEvents(ProjectionQuarantine quarantine, EventPositions positions, Clock clock) {
        this.quarantine = quarantine;
        this.positions = positions;
        this.clock = clock;
    }

    void hold(String processor, EventMessage<?> event, ProjectionFailure failure) {
        String conversationId = null;
        Long sequence = null;
        Long position = null;
        if (event instanceof DomainEventMessage<?> domain) {
            conversationId = domain.getAggregateIdentifier();
            sequence = domain.getSequenceNumber();
            position = positions.globalIndexOf(conversationId, sequence).orElse(null);
        }
        Instant now = clock.instant();
        quarantine.hold(new QuarantinedEvent(processor, event.getIdentifier(), position, conversationId, sequence,
                event.getPayloadType().getName(), failure.detail(), failure.sqlState(), 1, now, now));
        log.warn("Projection {} quarantined event {} (position {}, conversation {}, {}): {}; "
                        + "retry with POST /actuator/projections {\"action\":\"retry-quarantined\"}",
                processor, event.getIdentifier(), position, conversationId,
                event.getPayloadType().getSimpleName(), failure.summary());
    }
}
