package io.convtrail.query.audit;

import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.query.FindStreamEventsQuery;
import io.convtrail.api.query.StreamConversationQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.query.store.EventPositions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Projects stage and verbose records into {@code audit_event}. The auditId is the event's global
 * index in the event store ({@link EventPositions}): unique, strictly increasing, and the same on
 * every replay. A row that is already there is left alone, so replaying an event twice changes nothing; only a new row
 * is pushed to the conversation's live subscribers, after the transaction that stored it commits.
 * A rebuild (replay) refills the table without pushing: subscribers saw those events already.
 */
@Component
@ProcessingGroup(AuditProjection.PROCESSING_GROUP)
public class AuditProjection {

    public static final String PROCESSING_GROUP = "audit";

    private final AuditRepository repository;
    private final StreamEnvelopes envelopes;
    private final QueryUpdateEmitter updates;
    private final JdbcClient jdbc;
    private final EventPositions positions;

    public AuditProjection(AuditRepository repository, StreamEnvelopes envelopes, QueryUpdateEmitter updates,
                           JdbcClient jdbc, EventPositions positions) {
        this.positions = positions;
        this.repository = repository;
        this.envelopes = envelopes;
        this.updates = updates;
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(StageRecordedEvent e, @SequenceNumber long aggregateSequence, ReplayStatus replay) {
        long auditId = positions.globalIndex(e.conversationId(), aggregateSequence);
        boolean inserted = repository.insert(new AuditRepository.StoredEvent(auditId, e.conversationId(), e.sequence(),
                e.turnId(), "AUDIT", e.stage().name(), e.payloadJson(), e.createdAt(), e.hash()));
        if (inserted && !replay.isReplay()) {
            publish(new StreamEvent(e.conversationId(), e.sequence(), envelopes.audit(
                    envelopes.opener(e.conversationId()), auditId, e.stage().name(), e.payloadJson(), e.createdAt())));
        }
    }

    @EventHandler
    void on(VerboseRecordedEvent e, @SequenceNumber long aggregateSequence, ReplayStatus replay) {
        String verboseJson = envelopes.toJson(e.verbose());
        long auditId = positions.globalIndex(e.conversationId(), aggregateSequence);
        boolean inserted = repository.insert(new AuditRepository.StoredEvent(auditId, e.conversationId(),
                e.sequence(), e.turnId(), "VERBOSE", "VERBOSE", verboseJson, e.createdAt(), e.hash()));
        if (inserted && !replay.isReplay()) {
            publish(new StreamEvent(e.conversationId(), e.sequence(),
                    envelopes.verbose(envelopes.opener(e.conversationId()), verboseJson, e.createdAt())));
        }
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE audit_event").update();
    }

    @QueryHandler
    List<AuditRow> handle(FindConversationAuditQuery query) {
        return repository.findAudit(query);
    }

    @QueryHandler
    List<StreamEvent> handle(FindStreamEventsQuery query) {
        return repository.findStream(query.conversationId(), query.afterSequence(), query.limit());
    }

    /** Initial result of the live subscription: nothing; history is read through {@link FindStreamEventsQuery}. */
    @QueryHandler
    List<StreamEvent> handle(StreamConversationQuery query) {
        return List.of();
    }

    private void publish(StreamEvent event) {
        updates.emit(StreamConversationQuery.class, q -> q.conversationId().equals(event.conversationId()), event);
    }
}
