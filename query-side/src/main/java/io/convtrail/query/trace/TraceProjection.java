package io.convtrail.query.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.query.store.EventPositions;
import io.convtrail.query.trace.TraceRows.StageRow;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * Builds the trace as events arrive, applying ConvEngine's walk one row at a time: STEP_ENTER opens
 * a step, STEP_EXIT / STEP_ERROR closes the open step it names, any other stage belongs to the
 * innermost open step. The open steps are scoped to their turn, so a step a crashed turn left open
 * never swallows the next turn's stages. A request then only reads rows.
 * <p>
 * Every stage row is keyed by its event's global position ({@link EventPositions}) and is written first: when it is already
 * there the event was applied before, and nothing else is touched.
 */
@Component
@ProcessingGroup(TraceProjection.PROCESSING_GROUP)
public class TraceProjection {

    public static final String PROCESSING_GROUP = "trace";

    private final TraceRepository repository;
    private final ObjectMapper json;
    private final EventPositions positions;
    private final ConversationKeys keys;

    TraceProjection(TraceRepository repository, ObjectMapper json, EventPositions positions, ConversationKeys keys) {
        this.repository = repository;
        this.keys = keys;
        this.positions = positions;
        this.json = json;
    }

    @EventHandler
    void on(TurnStartedEvent e) {
        repository.startTurn(e.conversationId(), e.turnId(), e.turnIndex(), e.userText(), e.startedAt());
    }

    @EventHandler
    void on(TurnCompletedEvent e) {
        repository.endTurn(e.turnId(), e.completedAt(), TraceTurn.Status.COMPLETED,
                e.outcome() == null ? null : e.outcome().name(), e.intent(), e.state());
    }

    @EventHandler
    void on(TurnAbandonedEvent e) {
        repository.endTurn(e.turnId(), e.abandonedAt(), TraceTurn.Status.ABANDONED, null, null, null);
    }

    @EventHandler
    void on(StageRecordedEvent e, @SequenceNumber long aggregateSequence) {
        long auditId = positions.globalIndex(e.conversationId(), aggregateSequence);
        List<OpenStep> open = OpenStepsOfBatch.of(e.conversationId(), e.turnId(),
                () -> repository.openSteps(e.conversationId(), e.turnId()));
        if (e.stage() == Stage.STEP_ENTER) {
            if (store(e, auditId, null)) {
                StepBracket enter = bracket(e);
                repository.openStep(e.conversationId(), auditId, e.turnId(), enter, e.createdAt());
                open.add(0, new OpenStep(auditId, enter.step()));
            }
        } else if (e.stage() == Stage.STEP_EXIT || e.stage() == Stage.STEP_ERROR) {
            if (store(e, auditId, null)) {
                StepBracket exit = bracket(e);
                OpenStep.closedBy(open, exit.step()).ifPresent(closed -> {
                    repository.closeStep(closed.stepId(),
                            e.stage() == Stage.STEP_ERROR ? TraceStep.Status.ERROR : TraceStep.Status.OK, exit, e.createdAt());
                    open.remove(closed);
                });
            }
        } else {
            store(e, auditId, open.isEmpty() ? null : open.get(0).stepId());
        }
    }

    @ResetHandler
    void reset() {
        repository.clear();
    }

    @QueryHandler
    ConversationTrace handle(FindConversationTraceQuery query) {
        UUID id = query.conversationId();
        ContentOpener opener = ContentOpener.of(id, keys.forReading(id));
        return TraceAssembler.assemble(id, TraceRows.opened(opener, repository.turns(id), TraceRows.TurnRow::opened),
                TraceRows.opened(opener, repository.steps(id), TraceRows.StepRow::opened),
                TraceRows.opened(opener, repository.stages(id), TraceRows.StageRow::opened));
    }

    private boolean store(StageRecordedEvent e, long auditId, Long stepId) {
        return repository.insertStage(e.conversationId(),
                new StageRow(auditId, e.turnId(), stepId, e.stage().name(), e.createdAt(), e.payloadJson()));
    }

    private StepBracket bracket(StageRecordedEvent e) {
        try {
            return StepBracket.of(e.stage(), json.readTree(e.payloadJson()));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stage payload is not JSON at " + e.stage(), ex);
        }
    }
}
