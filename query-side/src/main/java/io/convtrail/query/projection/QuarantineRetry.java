package io.convtrail.query.projection;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Optional;

/**
 * The operator's retry of a projection's quarantined events, after the cause is fixed. Each event is
 * read again from the event store and handed to the projection's handlers in its own transaction;
 * one that applies leaves the quarantine in that transaction, one that fails again stays, with the
 * new error. The projection's handlers are idempotent, so an event applied meanwhile changes nothing.
 * A held event is applied late, after the events that followed it: a projection whose rows depend on
 * order (the trace's step brackets) is exact again after a rebuild.
 */
@Component
public class QuarantineRetry {

    private static final Logger log = LoggerFactory.getLogger(QuarantineRetry.class);

    private final EventProcessingConfiguration processing;
    private final EventStore events;
    private final TransactionManager transactions;
    private final ProjectionQuarantine quarantine;
    private final Clock clock;

    public QuarantineRetry(EventProcessingConfiguration processing, EventStore events,
                           TransactionManager transactions, ProjectionQuarantine quarantine, Clock clock) {
        this.processing = processing;
        this.events = events;
        this.transactions = transactions;
        this.quarantine = quarantine;
        this.clock = clock;
    }

    /** How a retry went: events applied and events still held. */
    public record Outcome(int applied, int stillHeld) {
    }

    public Outcome retry(String processor) {
        EventHandlerInvoker handlers = processing.eventProcessor(processor, AbstractEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no event processor " + processor))
                .eventHandlerInvoker();
        int applied = 0;
        int stillHeld = 0;
        for (QuarantinedEvent held : quarantine.of(processor)) {
            if (apply(processor, handlers, held)) {
                applied++;
            } else {
                stillHeld++;
            }
        }
        log.info("Retried the quarantined events of projection {}: {} applied, {} still held",
                processor, applied, stillHeld);
        return new Outcome(applied, stillHeld);
    }

    private boolean apply(String processor, EventHandlerInvoker handlers, QuarantinedEvent held) {
        Optional<DomainEventMessage<?>> event = load(held);
        if (event.isEmpty()) {
            quarantine.failedAgain(processor, held.eventId(), "the event is no longer in the event store", null,
                    clock.instant());
            return false;
        }
        DefaultUnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event.get());
        unitOfWork.attachTransaction(transactions);
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
            handlers.handle(event.get(), Segment.ROOT_SEGMENT);
            quarantine.release(processor, held.eventId());
            return null;
        });
        if (result.isExceptional()) {
            ProjectionFailure failure = ProjectionFailure.of(result.exceptionResult());
            quarantine.failedAgain(processor, held.eventId(), failure.detail(), failure.sqlState(), clock.instant());
            log.warn("Projection {} still cannot apply quarantined event {}: {}", processor, held.eventId(),
                    failure.summary());
            return false;
        }
        return true;
    }

    private Optional<DomainEventMessage<?>> load(QuarantinedEvent held) {
        if (held.conversationId() == null || held.aggregateSequence() == null) {
            return Optional.empty();
        }
        DomainEventStream stream = events.readEvents(held.conversationId(), held.aggregateSequence());
        if (!stream.hasNext()) {
            return Optional.empty();
        }
        DomainEventMessage<?> event = stream.next();
        return event.getIdentifier().equals(held.eventId()) ? Optional.of(event) : Optional.empty();
    }
}
