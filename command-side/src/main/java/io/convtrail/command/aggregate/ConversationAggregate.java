package io.convtrail.command.aggregate;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.RecordChain;
import io.convtrail.api.Stage;
import io.convtrail.api.command.AbandonTurnCommand;
import io.convtrail.api.command.CompleteTurnCommand;
import io.convtrail.api.command.ConversationState;
import io.convtrail.api.command.ConversationView;
import io.convtrail.api.command.EraseConversationCommand;
import io.convtrail.api.command.RecordFeedbackCommand;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.event.ConversationErasedEvent;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnAbandonedEvent;
import io.convtrail.api.event.TurnCompletedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.privacy.ContentSeal;
import io.convtrail.api.privacy.ConversationKeys;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.api.stage.StageMeta;
import io.convtrail.api.stage.StagePayloads;
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
import java.util.Optional;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One conversation: its intent, state, slots and context, the one turn that may be open, and the
 * position and hash of its last record. It guarantees that turns never interleave and that every
 * record gets the next gapless sequence number and extends the hash chain.
 */
@Aggregate(snapshotTriggerDefinition = "conversationSnapshotTrigger", cache = "conversationCache",
        commandTargetResolver = "conversationTargetResolver")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ConversationAggregate {

    /**
     * Writes the payloads of the records the aggregate makes itself (feedback, abandoned turns): only
     * it knows the conversation's intent and state then. Holds no state.
     */
    private static final StagePayloads PAYLOADS = new StagePayloads(new ObjectMapper());

    /** For the records the aggregate writes itself (abandonment, erasure): they hold no personal content. */
    private static final ContentSeal UNSEALED = ContentSeal.of(null, Optional.empty());

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
    /** Its key was destroyed: it takes no more turns, feedback or erasure. */
    private boolean erased;

    /** The turn currently running, if any, and the process running it (null for turns of revision 1). */
    record OpenTurn(UUID turnId, Instant openedAt, UUID runnerId) {
    }

    protected ConversationAggregate() {
        // for Axon: event sourcing, snapshots and CREATE_IF_MISSING
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public ConversationView handle(StartTurnCommand command, ConversationKeys keys) {
        boolean created = turnCount == 0 && openTurn == null;
        if (!created) {
            requireAllowed(command.requester());
        }
        refuseWhenErased();
        refuseWhenFull(command.maxRecords());
        if (openTurn != null) {
            Instant staleAfter = openTurn.openedAt().plusMillis(command.abandonAfterMillis());
            boolean runnerGone = openTurn.turnId().equals(command.abandonTurnId());
            if (!runnerGone && command.requestedAt().isBefore(staleAfter)) {
                throw new TurnInProgressException(command.conversationId(), openTurn.turnId(), openTurn.runnerId());
            }
            abandonOpenTurn(runnerGone ? "RUNNER_GONE" : "TIMEOUT", command.turnId(), command.requestedAt());
        }
        ContentSeal seal = seal(command.conversationId(), keys);
        apply(new TurnStartedEvent(command.conversationId(), command.turnId(), turnCount + 1,
                seal.text(command.userText()), command.reset(),
                seal.values(command.inputParams() == null ? Map.of() : command.inputParams()),
                command.flowId(), command.flowHash(), command.requestedAt(),
                created ? command.requester().subject() : owner, command.runnerId()));
        return new ConversationView(turnCount,
                new ConversationState(intent, state, seal.openValues(slots), seal.openValues(context)));
    }

    @CommandHandler
    public void handle(RecordTurnEventsCommand command, ConversationKeys keys) {
        requireOpen(command.turnId());
        record(command.turnId(), command.records(), seal(conversationId, keys));
    }

    @CommandHandler
    public void handle(CompleteTurnCommand command, ConversationKeys keys) {
        requireOpen(command.turnId());
        ContentSeal seal = seal(conversationId, keys);
        record(command.turnId(), command.records(), seal);
        ConversationState leaves = command.conversation();
        apply(new TurnCompletedEvent(conversationId, command.turnId(), leaves.intent(), leaves.state(),
                seal.values(leaves.slots()), seal.values(leaves.context()), command.outcome(),
                command.completedAt()));
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
    public long handle(RecordFeedbackCommand command, ConversationKeys keys) {
        if (conversationId == null) {
            throw unknown(command.conversationId());
        }
        requireAllowed(command.requester());
        refuseWhenErased();
        refuseWhenFull(command.maxRecords());
        String payload = PAYLOADS.write(new StageMeta(Stage.MCP_USER_FEEDBACK, conversationId, null,
                command.createdAt(), intent, state), command.feedback());
        record(null, List.of(new TurnRecord.StageRecord(Stage.MCP_USER_FEEDBACK, payload, command.createdAt())),
                seal(conversationId, keys));
        return lastSequence;
    }

    /**
     * Destroys the conversation's key and records the erasure, as a {@code CONVERSATION_ERASED} stage in
     * the chain and as its own event. Answers whether content was shredded (false: there was no key).
     * Created if missing only to refuse it without a failed load (see feedback).
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public boolean handle(EraseConversationCommand command, ConversationKeys keys) {
        if (conversationId == null) {
            throw unknown(command.conversationId());
        }
        refuseWhenErased();
        if (openTurn != null) {
            if (command.requestedAt().isBefore(openTurn.openedAt().plusMillis(command.abandonAfterMillis()))) {
                throw new RefusedException(Refusal.TURN_IN_PROGRESS, "A turn of conversation " + conversationId
                        + " is running; erase it once the turn has finished.");
            }
            abandonOpenTurn("TIMEOUT", null, command.requestedAt());
        }
        boolean shredded = keys.destroy(conversationId);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("erasedBy", command.erasedBy());
        fields.put("reason", command.reason());
        fields.put("shredded", shredded);
        String payload = PAYLOADS.write(new StageMeta(Stage.CONVERSATION_ERASED, conversationId, null,
                command.requestedAt(), intent, state), fields);
        record(null, List.of(new TurnRecord.StageRecord(Stage.CONVERSATION_ERASED, payload, command.requestedAt())),
                UNSEALED);
        apply(new ConversationErasedEvent(conversationId, command.erasedBy(), command.reason(), command.requestedAt(),
                shredded));
        return shredded;
    }

    /**
     * Closes the open turn with a {@code TURN_ABANDONED} stage saying why: {@code TIMEOUT} (open longer
     * than the limit), {@code RUNNER_GONE} (the process that ran it is known to be gone) or
     * {@code SHUTDOWN} (its own process is stopping). {@code closedBy} is the turn that closed it, if any.
     */
    private void abandonOpenTurn(String reason, UUID closedBy, Instant at) {
        UUID abandoned = openTurn.turnId();
        Instant openedAt = openTurn.openedAt();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("abandonedTurnId", abandoned.toString());
        fields.put("openedAt", openedAt.toString());
        fields.put("reason", reason);
        if (closedBy != null) {
            fields.put("closedByTurnId", closedBy.toString());
        }
        String payload = PAYLOADS.write(new StageMeta(Stage.TURN_ABANDONED, conversationId, abandoned, at, intent,
                state), fields);
        record(abandoned, List.of(new TurnRecord.StageRecord(Stage.TURN_ABANDONED, payload, at)), UNSEALED);
        apply(new TurnAbandonedEvent(conversationId, abandoned, openedAt, at, closedBy));
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

    private void refuseWhenErased() {
        if (erased) {
            throw new RefusedException(Refusal.CONVERSATION_ERASED, "Conversation " + conversationId
                    + " was erased; start a new conversation.");
        }
    }

    /** The one place where a turn's payloads are sealed: by the writer that hashes and stores them. */
    private static ContentSeal seal(UUID conversationId, ConversationKeys keys) {
        return ContentSeal.of(conversationId, keys.forWriting(conversationId));
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

    /**
     * Where records become events: each gets the next sequence number and extends the hash chain.
     * {@code turnId} is null for a record outside a turn (feedback, erasure). Personal content is sealed
     * here, before it is hashed: the chain covers what is stored.
     */
    private void record(UUID turnId, List<TurnRecord> records, ContentSeal seal) {
        for (TurnRecord unsealed : records) {
            TurnRecord r = seal.record(unsealed);
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

    @EventSourcingHandler
    void on(ConversationErasedEvent event) {
        erased = true;
        slots = new LinkedHashMap<>();
        context = new LinkedHashMap<>();
    }
}
