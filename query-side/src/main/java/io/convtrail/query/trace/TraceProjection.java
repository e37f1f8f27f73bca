package io.convtrail.query.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnAbandonedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.ConversationKeys;
import io.convtrail.api.query.FindConversationTraceQuery;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.query.projection.ProjectionBatches;
import io.convtrail.query.projection.ReplayedPages;
import io.convtrail.query.store.EventPositions;
import io.convtrail.query.store.GlobalIndex;
import io.convtrail.query.store.GlobalIndexResolverFactory;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds the trace as events arrive, applying ConvEngine's walk ({@link TraceWrites}) to each batch of
 * events the processor hands it, just before the batch commits ({@link ProjectionBatches}). A request
 * then only reads rows.
 * <p>
 * Every stage row is keyed by its event's global position ({@link EventPositions}): when it is already
 * there the event was applied before, and nothing else is touched.
 */
@Component
@ProcessingGroup(TraceProjection.PROCESSING_GROUP)
public class TraceProjection implements ReplayedPages {

    public static final String PROCESSING_GROUP = "trace";

    private final TraceRepository repository;
    private final ObjectMapper json;
    private final EventPositions positions;
    private final ConversationKeys keys;
    private final ProjectionBatches batches;
    private final TraceWrites writes;

    TraceProjection(TraceRepository repository, ObjectMapper json, EventPositions positions, ConversationKeys keys,
                    ProjectionBatches batches) {
        this.repository = repository;
        this.batches = batches;
        this.writes = new TraceWrites(repository);
        this.keys = keys;
        this.positions = positions;
        this.json = json;
    }

    @EventHandler
    void on(TurnStartedEvent e) {
        add(started(e));
    }

    @EventHandler
    void on(TurnCompletedEvent e) {
        add(completed(e));
    }

    @EventHandler
    void on(TurnAbandonedEvent e) {
        add(abandoned(e));
    }

    @EventHandler
    void on(StageRecordedEvent e, @SequenceNumber long aggregateSequence,
            @GlobalIndex Long globalIndex) {
        add(stage(e, aggregateSequence, globalIndex));
    }

    /** As the handlers above, by payload type, for a rebuild's page ({@link ReplayedPages}). */
    @Override
    public void writeReplayed(List<? extends DomainEventMessage<?>> events) {
        List<TraceChange> changes = new ArrayList<>(events.size());
        for (DomainEventMessage<?> event : events) {
            Object payload = event.getPayload();
            if (payload instanceof StageRecordedEvent e) {
                changes.add(stage(e, event.getSequenceNumber(), GlobalIndexResolverFactory.globalIndex(event)));
            } else if (payload instanceof TurnStartedEvent e) {
                changes.add(started(e));
            } else if (payload instanceof TurnCompletedEvent e) {
                changes.add(completed(e));
            } else if (payload instanceof TurnAbandonedEvent e) {
                changes.add(abandoned(e));
            } else {
                throw new ReplayedPages.NotHandledHere(event);
            }
        }
        batches.writeReplayed(PROCESSING_GROUP, writes::write, events, changes);
    }

    @Override
    public String processingGroup() {
        return PROCESSING_GROUP;
    }

    private static TraceChange started(TurnStartedEvent e) {
        return new TraceChange.TurnStarted(e.conversationId(), e.turnId(), e.turnIndex(), e.userText(), e.startedAt());
    }

    private static TraceChange completed(TurnCompletedEvent e) {
        return new TraceChange.TurnEnded(e.turnId(), e.completedAt(), TraceTurn.Status.COMPLETED,
                e.outcome() == null ? null : e.outcome().name(), e.intent(), e.state());
    }

    private static TraceChange abandoned(TurnAbandonedEvent e) {
        return new TraceChange.TurnEnded(e.turnId(), e.abandonedAt(), TraceTurn.Status.ABANDONED, null, null, null);
    }

    private TraceChange stage(StageRecordedEvent e, long aggregateSequence, Long globalIndex) {
        long auditId = positions.globalIndex(globalIndex, e.conversationId(), aggregateSequence);
        boolean bracketed = e.stage() == Stage.STEP_ENTER || e.stage() == Stage.STEP_EXIT
                || e.stage() == Stage.STEP_ERROR;
        // read here, not when the batch is written: a bracket that cannot be read fails (and quarantines) its event alone
        return new TraceChange.StageRecorded(e.conversationId(), auditId, e.turnId(), e.stage(), e.createdAt(),
                e.payloadJson(), bracketed ? bracket(e) : null);
    }

    private void add(TraceChange change) {
        batches.add(PROCESSING_GROUP, writes::write, change);
    }

    @ResetHandler
    void reset() {
        repository.clear();
    }

    @QueryHandler
    ConversationTrace handle(FindConversationTraceQuery query) {
        UUID id = query.conversationId();
        ContentOpener opener = ContentOpener.of(id, keys.current(id));
        return TraceAssembler.assemble(id, TraceRows.opened(opener, repository.turns(id), TraceRows.TurnRow::opened),
                TraceRows.opened(opener, repository.steps(id), TraceRows.StepRow::opened),
                TraceRows.opened(opener, repository.stages(id), TraceRows.StageRow::opened));
    }

    private StepBracket bracket(StageRecordedEvent e) {
        try {
            return StepBracket.of(e.stage(), e.payloadJson(), json);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stage payload is not JSON at " + e.stage(), ex);
        }
    }
}
