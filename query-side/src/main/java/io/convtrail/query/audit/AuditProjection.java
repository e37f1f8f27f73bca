package io.convtrail.query.audit;

import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnAbandonedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.query.CommittedStreamEventsQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.api.stream.StreamEnvelope;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import io.convtrail.api.stream.TurnBoundary;
import io.convtrail.query.store.EventPositions;
import io.convtrail.query.stream.BrokerRelay;
import io.convtrail.query.stream.CommittedStreamEvent;
import io.convtrail.query.stream.StreamNotifications;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Projects stage and verbose records into {@code audit_event}. The auditId is the event's global
 * index in the event store ({@link EventPositions}): unique, strictly increasing, and the same on
 * every replay. A row that is already there is left alone, so replaying an event twice changes nothing; only a new row
 * is pushed to the conversation's live subscribers, after the transaction that stored it commits:
 * on this node through the query bus (as a {@link CommittedStreamEvent}, opened only for a conversation
 * someone watches), on the others through a notification sent on commit, and, with a
 * STOMP broker relay, to the broker's topic (by this node only: {@link BrokerRelay}).
 * A rebuild (replay) refills the table without pushing: subscribers saw those events already. Turn
 * starts and ends are stored as the stream's turn boundaries, placed after the record before them.
 */
@Component
@ProcessingGroup(AuditProjection.PROCESSING_GROUP)
public class AuditProjection {

    public static final String PROCESSING_GROUP = "audit";

    private final AuditRepository repository;
    private final StreamEnvelopes envelopes;
    private final QueryUpdateEmitter updates;
    private final EventPositions positions;
    private final StreamNotifications notifications;
    private final BrokerRelay relay;

    public AuditProjection(AuditRepository repository, StreamEnvelopes envelopes, QueryUpdateEmitter updates,
                           EventPositions positions, StreamNotifications notifications, BrokerRelay relay) {
        this.positions = positions;
        this.notifications = notifications;
        this.relay = relay;
        this.repository = repository;
        this.envelopes = envelopes;
        this.updates = updates;
    }

    @EventHandler
    void on(TurnStartedEvent e, @SequenceNumber long aggregateSequence, ReplayStatus replay) {
        boundary(e.conversationId(), aggregateSequence, TurnBoundary.started(e.turnId(), e.turnIndex(), e.userText()),
                e.startedAt(), replay);
    }

    @EventHandler
    void on(TurnCompletedEvent e, @SequenceNumber long aggregateSequence, ReplayStatus replay) {
        boundary(e.conversationId(), aggregateSequence, TurnBoundary.completed(e.turnId(),
                e.outcome() == null ? null : e.outcome().name(), e.intent(), e.state()), e.completedAt(), replay);
    }

    @EventHandler
    void on(TurnAbandonedEvent e, @SequenceNumber long aggregateSequence, ReplayStatus replay) {
        boundary(e.conversationId(), aggregateSequence, TurnBoundary.abandoned(e.turnId()), e.abandonedAt(), replay);
    }

    @EventHandler
    void on(StageRecordedEvent e, @SequenceNumber long aggregateSequence, ReplayStatus replay) {
        long auditId = positions.globalIndex(e.conversationId(), aggregateSequence);
        boolean inserted = repository.insert(new AuditRepository.StoredEvent(auditId, e.conversationId(), e.sequence(),
                e.turnId(), StreamKind.AUDIT, e.stage().name(), e.payloadJson(), e.createdAt(), e.hash()));
        if (inserted && !replay.isReplay()) {
            publish(CommittedStreamEvent.opening(e.conversationId(), e.sequence(), StreamKind.AUDIT,
                    () -> envelopes.audit(envelopes.opener(e.conversationId()), auditId, e.stage().name(),
                            e.payloadJson(), e.createdAt())));
        }
    }

    @EventHandler
    void on(VerboseRecordedEvent e, @SequenceNumber long aggregateSequence, ReplayStatus replay) {
        String verboseJson = envelopes.toJson(e.verbose());
        long auditId = positions.globalIndex(e.conversationId(), aggregateSequence);
        boolean inserted = repository.insert(new AuditRepository.StoredEvent(auditId, e.conversationId(),
                e.sequence(), e.turnId(), StreamKind.VERBOSE, StreamEnvelope.VERBOSE_STAGE, verboseJson, e.createdAt(), e.hash()));
        if (inserted && !replay.isReplay()) {
            publish(CommittedStreamEvent.opening(e.conversationId(), e.sequence(), StreamKind.VERBOSE,
                    () -> envelopes.verbose(envelopes.opener(e.conversationId()), verboseJson, e.createdAt())));
        }
    }

    private void boundary(UUID conversationId, long aggregateSequence, TurnBoundary boundary, Instant at,
                          ReplayStatus replay) {
        StreamEvent inserted = repository.insertBoundary(positions.globalIndex(conversationId, aggregateSequence),
                conversationId, boundary, at);
        if (inserted != null && !replay.isReplay()) {
            publish(CommittedStreamEvent.of(inserted));
        }
    }

    @ResetHandler
    void reset() {
        repository.clear();
    }

    @QueryHandler
    List<AuditRow> handle(FindConversationAuditQuery query) {
        return repository.findAudit(query);
    }

    /** Initial result of the live subscription: nothing; the stream reads history from {@link AuditRepository}. */
    @QueryHandler
    List<CommittedStreamEvent> handle(CommittedStreamEventsQuery query) {
        return List.of();
    }

    /**
     * One call per newly stored row. The update reaches the hub when the transaction that stored the
     * row commits (Axon's emitter runs it after commit); its envelope is built only if someone needs it.
     */
    private void publish(CommittedStreamEvent event) {
        notifications.announce(event.conversationId(), event.sequence());
        updates.emit(CommittedStreamEventsQuery.class, theHub -> true, event);
        relay.publish(event);
    }
}
