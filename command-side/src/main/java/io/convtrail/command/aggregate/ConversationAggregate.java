package io.convtrail.command.aggregate;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convtrail.api.RecordChain;
import io.convtrail.api.Stage;
import io.convtrail.api.command.AbandonTurnCommand;
import io.convtrail.api.command.CompleteTurnCommand;
import io.convtrail.api.command.ConversationView;
import io.convtrail.api.command.RecordFeedbackCommand;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnAbandonedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One conversation: its intent, state, slots and context, the one turn that may be open, and the
 * position and hash of its last record. It guarantees that turns never interleave and that every
 * record gets the next gapless sequence number and extends the hash chain.
 */
@Aggregate(snapshotTriggerDefinition = "conversationSnapshotTrigger", cache = "conversationCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ConversationAggregate {

    /** Only reads and writes the small JSON of records the aggregate writes itself; holds no state. */
    private static final ObjectMapper PAYLOADS = new ObjectMapper();

    @AggregateIdentifier
    private UUID conversationId;
    private int turnCount;
    private String intent;
    private String state;
    private Map<String, Object> slots = new LinkedHashMap<>();
    private Map<String, Object> context = new LinkedHashMap<>();
    private OpenTurn openTurn;
    private long lastSequence;
    private String lastHash = RecordChain.GENESIS;
    /** The sub that posted the first turn; null when security was off then. */
    private String owner;

    /** The turn currently running, if any, and the process running it (null for turns of revision 1). */
    record OpenTurn(UUID turnId, Instant openedAt, UUID runnerId) {
    }

    protected ConversationAggregate() {
        // for Axon: event sourcing, snapshots and CREATE_IF_MISSING
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public ConversationView handle(StartTurnCommand command) {
        boolean created = turnCount == 0 && openTurn == null;
        if (!created) {
            requireAllowed(command.requester());
        }
        refuseWhenFull(command.maxRecords());
        if (openTurn != null) {
            Instant staleAfter = openTurn.openedAt().plusMillis(command.abandonAfterMillis());
            boolean runnerGone = openTurn.turnId().equals(command.abandonTurnId());
            if (!runnerGone && command.requestedAt().isBefore(staleAfter)) {
                throw new TurnInProgressException(command.conversationId(), openTurn.turnId(), openTurn.runnerId());
            }
            abandonOpenTurn(runnerGone ? "RUNNER_GONE" : "TIMEOUT", command.turnId(), command.requestedAt());
        }
        apply(new TurnStartedEvent(command.conversationId(), command.turnId(), turnCount + 1, command.userText(),
                command.reset(), command.inputParams() == null ? Map.of() : command.inputParams(),
                command.flowId(), command.flowHash(), command.requestedAt(),
                created ? command.requester().subject() : owner, command.runnerId()));
        return new ConversationView(turnCount, intent, state, Map.copyOf(slots), Map.copyOf(context));
    }

    @CommandHandler
    public void handle(RecordTurnEventsCommand command) {
        requireOpen(command.turnId());
        record(command.turnId(), command.records());
    }

    @CommandHandler
    public void handle(CompleteTurnCommand command) {
        requireOpen(command.turnId());
        record(command.turnId(), command.records());
        apply(new TurnCompletedEvent(conversationId, command.turnId(), command.intent(), command.state(),
                command.slots(), command.context(), command.outcome(), command.completedAt()));
    }

    /** Answers whether the turn was still open and is now closed; a turn that finished meanwhile stays as it is. */
    @CommandHandler
    public boolean handle(AbandonTurnCommand command) {
        if (openTurn == null || !openTurn.turnId().equals(command.turnId())) {
            return false;
        }
        abandonOpenTurn(command.reason(), null, command.requestedAt());
        return true;
    }

    /**
     * Answers the feedback record's sequence number, which the endpoint reports as ConvEngine's feedbackId.
     * Created if missing only to refuse it without a failed load: Axon logs a failed load with its stack
     * trace, and any client can name a conversation that does not exist.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public long handle(RecordFeedbackCommand command) {
        if (conversationId == null) {
            throw unknown(command.conversationId());
        }
        requireAllowed(command.requester());
        refuseWhenFull(command.maxRecords());
        long sequence = lastSequence + 1;
        String payload = withConversationState(command.payloadJson());
        apply(new StageRecordedEvent(conversationId, null, sequence, Stage.MCP_USER_FEEDBACK, payload,
                command.createdAt(), RecordChain.stageHash(lastHash, sequence, Stage.MCP_USER_FEEDBACK, payload,
                        command.createdAt())));
        return sequence;
    }

    /**
     * Closes the open turn with a {@code TURN_ABANDONED} stage saying why: {@code TIMEOUT} (open longer
     * than the limit), {@code RUNNER_GONE} (the process that ran it is known to be gone) or
     * {@code SHUTDOWN} (its own process is stopping). {@code closedBy} is the turn that closed it, if any.
     */
    private void abandonOpenTurn(String reason, UUID closedBy, Instant at) {
        UUID abandoned = openTurn.turnId();
        Instant openedAt = openTurn.openedAt();
        ObjectNode payload = PAYLOADS.createObjectNode();
        ObjectNode meta = payload.putObject("_meta");
        meta.put("stage", Stage.TURN_ABANDONED.name());
        meta.put("conversationId", conversationId.toString());
        meta.put("turnId", abandoned.toString());
        meta.put("emittedAt", at.toString());
        payload.put("abandonedTurnId", abandoned.toString());
        payload.put("openedAt", openedAt.toString());
        payload.put("reason", reason);
        if (closedBy != null) {
            payload.put("closedByTurnId", closedBy.toString());
        }
        record(abandoned, List.of(new TurnRecord.StageRecord(Stage.TURN_ABANDONED,
                withConversationState(payload.toString()), at)));
        apply(new TurnAbandonedEvent(conversationId, abandoned, openedAt, at, closedBy));
    }

    /**
     * Adds the conversation's intent and state to a payload's {@code _meta}: records made outside the
     * engine (feedback, abandonment) are written where only the aggregate knows them.
     */
    private String withConversationState(String payloadJson) {
        try {
            JsonNode payload = PAYLOADS.readTree(payloadJson);
            if (payload instanceof ObjectNode object && object.get("_meta") instanceof ObjectNode meta) {
                meta.put("intent", intent);
                meta.put("state", state);
                return object.toString();
            }
            return payloadJson;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("record payload is not JSON", e);
        }
    }

    /** Refused exactly like an unknown conversation, so a refusal does not tell that it exists. */
    private void requireAllowed(TurnRequester requester) {
        if (!requester.mayUse(owner)) {
            throw unknown(conversationId);
        }
    }

    private static RefusedException unknown(UUID conversationId) {
        return new RefusedException(Refusal.UNKNOWN_CONVERSATION, "No conversation with id " + conversationId);
    }

    private void refuseWhenFull(long maxRecords) {
        if (lastSequence >= maxRecords) {
            throw new RefusedException(Refusal.CONVERSATION_FULL, "Conversation " + conversationId + " holds "
                    + lastSequence + " records, its limit is " + maxRecords + "; start a new conversation.");
        }
    }

    private void requireOpen(UUID turnId) {
        if (openTurn == null || !openTurn.turnId().equals(turnId)) {
            throw new TurnNotOpenException(conversationId, turnId);
        }
    }

    private void record(UUID turnId, List<TurnRecord> records) {
        for (TurnRecord r : records) {
            long sequence = lastSequence + 1;
            if (r instanceof TurnRecord.StageRecord s) {
                apply(new StageRecordedEvent(conversationId, turnId, sequence, s.stage(), s.payloadJson(),
                        s.createdAt(), RecordChain.stageHash(lastHash, sequence, s.stage(), s.payloadJson(),
                        s.createdAt())));
            } else if (r instanceof TurnRecord.VerboseRecord v) {
                apply(new VerboseRecordedEvent(conversationId, turnId, sequence, v.verbose().withVerboseId(sequence),
                        v.createdAt(), RecordChain.verboseHash(lastHash, sequence, v.verbose(), v.createdAt())));
            }
        }
    }

    @EventSourcingHandler
    void on(TurnStartedEvent event) {
        conversationId = event.conversationId();
        turnCount = event.turnIndex();
        owner = event.owner();
        openTurn = new OpenTurn(event.turnId(), event.startedAt(), event.runnerId());
    }

    @EventSourcingHandler
    void on(StageRecordedEvent event) {
        lastSequence = event.sequence();
        lastHash = event.hash();
    }

    @EventSourcingHandler
    void on(VerboseRecordedEvent event) {
        lastSequence = event.sequence();
        lastHash = event.hash();
    }

    @EventSourcingHandler
    void on(TurnCompletedEvent event) {
        intent = event.intent();
        state = event.state();
        slots = new LinkedHashMap<>(event.slots() == null ? Map.of() : event.slots());
        context = new LinkedHashMap<>(event.context() == null ? Map.of() : event.context());
        openTurn = null;
    }

    @EventSourcingHandler
    void on(TurnAbandonedEvent event) {
        openTurn = null;
    }
}
