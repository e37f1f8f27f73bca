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
import io.convtrail.api.stream.StreamKind;
import io.convtrail.api.stream.TurnBoundary;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.query.projection.ProjectionBatches;
import io.convtrail.query.projection.ReplayedPages;
import io.convtrail.query.store.EventPositions;
import io.convtrail.query.store.GlobalIndex;
import io.convtrail.query.store.GlobalIndexResolverFactory;
import io.convtrail.query.stream.BrokerRelay;
import io.convtrail.query.stream.CommittedStreamEvent;
import io.convtrail.query.stream.StreamNotifications;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Projects stage and verbose records into {@code audit_event}. The auditId is the event's global
 * index in the event store ({@link EventPositions}): unique, strictly increasing, and the same on
 * every replay. The rows of a processor batch are written together just before it commits
 * ({@link ProjectionBatches}). A row that is already there is left alone, so replaying an event twice changes nothing; only a new row
 * is pushed to the conversation's live subscribers, after the transaction that stored it commits:
 * on this node through the query bus (as a {@link CommittedStreamEvent}, opened only for a conversation
 * someone watches), on the others through a notification sent on commit, and, with a
 * STOMP broker relay, to the broker's topic (by this node only: {@link BrokerRelay}).
 * A rebuild (replay) refills the table without pushing: subscribers saw those events already. Turn
 * starts and ends are stored as the stream's turn boundaries, placed after the record before them.
 */
@Component
@ProcessingGroup(AuditProjection.PROCESSING_GROUP)
public class AuditProjection implements ReplayedPages {

    public static final String PROCESSING_GROUP = "audit";
    private static final String COMMITTED = AuditProjection.class.getName() + "/committed";

    private final AuditRepository repository;
    private final StreamEnvelopes envelopes;
    private final QueryUpdateEmitter updates;
    private final EventPositions positions;
    private final StreamNotifications notifications;
    private final BrokerRelay relay;
    private final ProjectionBatches batches;

    public AuditProjection(AuditRepository repository, StreamEnvelopes envelopes, QueryUpdateEmitter updates,
                           EventPositions positions, StreamNotifications notifications, BrokerRelay relay,
                           ProjectionBatches batches) {
        this.batches = batches;
        this.positions = positions;
        this.notifications = notifications;
        this.relay = relay;
        this.repository = repository;
        this.envelopes = envelopes;
        this.updates = updates;
    }

    @EventHandler
    void on(TurnStartedEvent e, @SequenceNumber long aggregateSequence,
            @GlobalIndex Long globalIndex, ReplayStatus replay) {
        add(started(e, aggregateSequence, globalIndex, !replay.isReplay()));
    }

    @EventHandler
    void on(TurnCompletedEvent e, @SequenceNumber long aggregateSequence,
            @GlobalIndex Long globalIndex, ReplayStatus replay) {
        add(completed(e, aggregateSequence, globalIndex, !replay.isReplay()));
    }

    @EventHandler
    void on(TurnAbandonedEvent e, @SequenceNumber long aggregateSequence,
            @GlobalIndex Long globalIndex, ReplayStatus replay) {
        add(abandoned(e, aggregateSequence, globalIndex, !replay.isReplay()));
    }

    @EventHandler
    void on(StageRecordedEvent e, @SequenceNumber long aggregateSequence,
            @GlobalIndex Long globalIndex, ReplayStatus replay) {
        add(stage(e, aggregateSequence, globalIndex, !replay.isReplay()));
    }

    @EventHandler
    void on(VerboseRecordedEvent e, @SequenceNumber long aggregateSequence,
            @GlobalIndex Long globalIndex, ReplayStatus replay) {
        add(verbose(e, aggregateSequence, globalIndex, !replay.isReplay()));
    }

    /** As the handlers above, by payload type, for a rebuild's page of replays ({@link ReplayedPages}). */
    @Override
    public void writeReplayed(List<? extends DomainEventMessage<?>> events) {
        List<Item> items = new ArrayList<>(events.size());
        for (DomainEventMessage<?> event : events) {
            Object payload = event.getPayload();
            long sequence = event.getSequenceNumber();
            Long index = GlobalIndexResolverFactory.globalIndex(event);
            if (payload instanceof StageRecordedEvent e) {
                items.add(stage(e, sequence, index, false));
            } else if (payload instanceof VerboseRecordedEvent e) {
                items.add(verbose(e, sequence, index, false));
            } else if (payload instanceof TurnStartedEvent e) {
                items.add(started(e, sequence, index, false));
            } else if (payload instanceof TurnCompletedEvent e) {
                items.add(completed(e, sequence, index, false));
            } else if (payload instanceof TurnAbandonedEvent e) {
                items.add(abandoned(e, sequence, index, false));
            } else {
                throw new ReplayedPages.NotHandledHere(event);
            }
        }
        batches.writeReplayed(PROCESSING_GROUP, this::write, events, items);
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    private Item started(TurnStartedEvent e, long aggregateSequence, Long globalIndex, boolean live) {
        return boundary(e.conversationId(), positions.globalIndex(globalIndex, e.conversationId(), aggregateSequence),
                TurnBoundary.started(e.turnId(), e.turnIndex(), e.userText()), e.startedAt(), live);
    }

    private Item completed(TurnCompletedEvent e, long aggregateSequence, Long globalIndex, boolean live) {
        return boundary(e.conversationId(), positions.globalIndex(globalIndex, e.conversationId(), aggregateSequence),
                TurnBoundary.completed(e.turnId(), e.outcome() == null ? null : e.outcome().name(), e.intent(),
                        e.state()), e.completedAt(), live);
    }

    private Item abandoned(TurnAbandonedEvent e, long aggregateSequence, Long globalIndex, boolean live) {
        return boundary(e.conversationId(), positions.globalIndex(globalIndex, e.conversationId(), aggregateSequence),
                TurnBoundary.abandoned(e.turnId()), e.abandonedAt(), live);
    }

    private Item stage(StageRecordedEvent e, long aggregateSequence, Long globalIndex, boolean live) {
        long auditId = positions.globalIndex(globalIndex, e.conversationId(), aggregateSequence);
        return new Item(new AuditRepository.StoredEvent(auditId, e.conversationId(), e.sequence(), e.turnId(),
                StreamKind.AUDIT, e.stage().name(), e.payloadJson(), e.createdAt(), e.hash()), null, live);
    }

    private Item verbose(VerboseRecordedEvent e, long aggregateSequence, Long globalIndex, boolean live) {
        long auditId = positions.globalIndex(globalIndex, e.conversationId(), aggregateSequence);
        return new Item(new AuditRepository.StoredEvent(auditId, e.conversationId(), e.sequence(), e.turnId(),
                StreamKind.VERBOSE, StreamEnvelope.VERBOSE_STAGE, envelopes.toJson(e.verbose()), e.createdAt(),
                e.hash()), null, live);
    }

    private Item boundary(UUID conversationId, long auditId, TurnBoundary boundary, Instant at, boolean live) {
        return new Item(null, new AuditRepository.NewBoundary(auditId, conversationId, boundary.turnId(),
                boundary.stage(), envelopes.toJson(boundary), at), live);
    }

    private void add(Item item) {
        batches.add(PROCESSING_GROUP, this::write, item);
    }

    /** One event's row: a record or a turn boundary; {@code live}: pushed to subscribers when new. */
    private record Item(AuditRepository.StoredEvent record, AuditRepository.NewBoundary boundary, boolean live) {
    }

    /**
     * Stores a batch's rows (records first, so each boundary finds the record before it; a fresh batch's
     * records copied in) and announces the new live ones inside the transaction; they are pushed, in event
     * order, once it commits.
     */
    private void write(List<Item> items, boolean fresh) {
        List<AuditRepository.StoredEvent> records = new ArrayList<>(items.size());
        List<AuditRepository.NewBoundary> boundaries = new ArrayList<>();
        for (Item item : items) {
            if (item.record() != null) {
                records.add(item.record());
            } else {
                boundaries.add(item.boundary());
            }
        }
        Set<Long> newRecords = fresh ? copied(records) : repository.insertAll(records);
        Map<Long, Long> newBoundaries = repository.insertBoundaries(boundaries);
        List<CommittedStreamEvent> live = new ArrayList<>();
        for (Item item : items) {
            if (!item.live()) {
                continue;
            }
            if (item.record() != null && newRecords.contains(item.record().auditId())) {
                live.add(streamEvent(item.record()));
            } else if (item.boundary() != null && newBoundaries.containsKey(item.boundary().auditId())) {
                live.add(streamEvent(item.boundary(), newBoundaries.get(item.boundary().auditId())));
            }
        }
        live.forEach(event -> notifications.announce(event.conversationId(), event.sequence()));
        afterCommit(live);
    }

    /** Copies in a fresh batch's records (all new: the copy fails otherwise); answers their auditIds. */
    private Set<Long> copied(List<AuditRepository.StoredEvent> records) {
        repository.copyAll(records);
        Set<Long> ids = new HashSet<>();
        records.forEach(record -> ids.add(record.auditId()));
        return ids;
    }

    /** A new row's stream event; its envelope (which opens sealed content) is built only if someone needs it. */
    private CommittedStreamEvent streamEvent(AuditRepository.StoredEvent row) {
        return CommittedStreamEvent.opening(row.conversationId(), row.sequence(), row.kind(), () -> {
            ContentOpener opener = envelopes.liveOpener(row.conversationId());
            return row.kind() == StreamKind.VERBOSE
                    ? envelopes.verbose(opener, row.payloadJson(), row.createdAt())
                    : envelopes.audit(opener, row.auditId(), row.stage(), row.payloadJson(), row.createdAt());
        });
    }

    /**
     * A new boundary's stream event, after record {@code afterSequence}; its envelope (which opens the user's
     * text) is built only if someone needs it, so a rebuild opens none.
     */
    private CommittedStreamEvent streamEvent(AuditRepository.NewBoundary boundary, long afterSequence) {
        return CommittedStreamEvent.opening(boundary.conversationId(), afterSequence, StreamKind.TURN,
                () -> envelopes.turn(envelopes.liveOpener(boundary.conversationId()), boundary.auditId(),
                        boundary.stage(), boundary.payloadJson(), boundary.at()));
    }

    /**
     * Publishes the events once the batch commits, in the order given. One after-commit callback per
     * batch collects them all: Axon runs a batch's after-commit callbacks in reverse order.
     */
    private void afterCommit(List<CommittedStreamEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        if (!CurrentUnitOfWork.isStarted()) {
            events.forEach(this::publish);
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        batch.getOrComputeResource(COMMITTED, key -> {
            List<CommittedStreamEvent> collected = new ArrayList<>();
            batch.afterCommit(committed -> collected.forEach(this::publish));
            return collected;
        }).addAll(events);
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
     * Pushes one newly stored row, after its batch committed, to this node's hub (one subscription
     * query per node, routed by conversation there) and the relay.
     */
    private void publish(CommittedStreamEvent event) {
        updates.emit(CommittedStreamEventsQuery.class, theHub -> true, event);
        relay.publish(event);
    }
}
