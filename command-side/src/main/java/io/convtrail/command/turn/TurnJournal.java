package io.convtrail.command.turn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.event.VerboseMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Collects what one turn records and commits it at flush points. Every stage payload gets the
 * {@code _meta} block ({@code stage, conversationId, turnId, emittedAt, intent, state}) here, in one
 * place, followed by the stage's own fields.
 */
public final class TurnJournal {

    private final CommandGateway commands;
    private final ObjectMapper json;
    private final Clock clock;
    private final UUID conversationId;
    private final UUID turnId;
    private final List<TurnRecord> pending = new ArrayList<>();
    private int flushes;

    public TurnJournal(CommandGateway commands, ObjectMapper json, Clock clock, UUID conversationId, UUID turnId) {
        this.commands = commands;
        this.json = json;
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

    /** Records a stage as the conversation stands now ({@code intent}, {@code state}). */
    public void stage(Stage stage, String intent, String state, Map<String, ?> fields) {
        Instant at = clock.instant();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("stage", stage.name());
        meta.put("conversationId", conversationId.toString());
        meta.put("turnId", turnId.toString());
        meta.put("emittedAt", at.toString());
        meta.put("intent", intent);
        meta.put("state", state);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("_meta", meta);
        payload.putAll(fields);
        pending.add(new TurnRecord.StageRecord(stage, toJson(payload), at));
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
        flushes++;
    }

    /** Flushes done so far; the turn's final commit is not one of them. */
    public int flushes() {
        return flushes;
    }

    List<TurnRecord> drain() {
        List<TurnRecord> records = List.copyOf(pending);
        pending.clear();
        return records;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stage payload is not serializable as JSON", e);
        }
    }
}
