package io.convtrail.command.turn;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.command.ConversationState;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.event.VerboseMessage;
import io.convtrail.api.stage.StageMeta;
import io.convtrail.api.stage.StagePayloads;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Collects what one turn records and commits it at flush points. Every stage payload of the turn is
 * written here by {@link StagePayloads}: the {@link StageMeta} block, then the stage's own fields.
 */
public final class TurnJournal {

    private final CommandGateway commands;
    private final StagePayloads payloads;
    private final Clock clock;
    private final UUID conversationId;
    private final UUID turnId;
    private final List<TurnRecord> pending = new ArrayList<>();

    public TurnJournal(CommandGateway commands, ObjectMapper json, Clock clock, UUID conversationId, UUID turnId) {
        this.commands = commands;
        this.payloads = new StagePayloads(json);
        this.clock = clock;
        this.conversationId = conversationId;
        this.turnId = turnId;
    }

    public UUID conversationId() {
        return conversationId;
    }

    public UUID turnId() {
        return turnId;
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * Records a stage as the conversation stands now ({@code intent}, {@code state}); {@code fields}
     * is a map of named fields or a record of the stage vocabulary (a step bracket).
     */
    public void stage(Stage stage, String intent, String state, Object fields) {
        Instant at = clock.instant();
        String payload = payloads.write(new StageMeta(stage, conversationId, turnId, at, intent, state), fields);
        pending.add(new TurnRecord.StageRecord(stage, payload, at));
    }

    /**
     * The one record of a failed turn: ENGINE_KNOWN_FAILURE for an {@link EngineFailure} (its code),
     * ENGINE_UNKNOWN_FAILURE for anything else, recorded in {@code intent} / {@code state} (where the
     * turn stood). Answers the failed result, which leaves the conversation {@code unchanged}.
     */
    public TurnResult failed(RuntimeException e, String intent, String state, ConversationState unchanged) {
        Map<String, Object> fields = new LinkedHashMap<>();
        TurnError error;
        if (e instanceof EngineFailure known) {
            error = new TurnError(known.errorCode(), known.getMessage(), known.recoverable());
            fields.put("errorCode", error.errorCode());
            fields.put("message", error.message());
            stage(Stage.ENGINE_KNOWN_FAILURE, intent, state, withRecoverable(fields, error));
        } else {
            error = new TurnError(null, String.valueOf(e.getMessage()), false);
            fields.put("exception", e.getClass().getName());
            fields.put("message", error.message());
            stage(Stage.ENGINE_UNKNOWN_FAILURE, intent, state, withRecoverable(fields, error));
        }
        return TurnResult.failed(unchanged, error);
    }

    private static Map<String, Object> withRecoverable(Map<String, Object> fields, TurnError error) {
        fields.put("recoverable", error.recoverable());
        return fields;
    }

    public void verbose(VerboseMessage message) {
        pending.add(new TurnRecord.VerboseRecord(message, clock.instant()));
    }

    /** Commits what was recorded since the last flush, so subscribers see it before a blocking call. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        commands.sendAndWait(new RecordTurnEventsCommand(conversationId, turnId, drain()));
    }

    List<TurnRecord> drain() {
        List<TurnRecord> records = List.copyOf(pending);
        pending.clear();
        return records;
    }
}
