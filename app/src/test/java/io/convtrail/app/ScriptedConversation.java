package io.convtrail.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.command.CompleteTurnCommand;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.command.TurnOutcome;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.event.VerboseMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Drives the real conversation aggregate with the records an engine would produce, step brackets
 * included, so read-model tests do not depend on what the current engine happens to emit. Record
 * times advance by one millisecond per record from a fixed start.
 */
public final class ScriptedConversation {

    public static final String STEP_PACKAGE = "io.convtrail.command.engine.step.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandGateway commands;
    private final UUID conversationId = UUID.randomUUID();
    private final List<TurnRecord> pending = new ArrayList<>();
    private Instant clock = Instant.parse("2026-11-24T06:00:00Z");
    private UUID turnId;
    private int recorded;
    private int pendingVerbose;

    public ScriptedConversation(CommandGateway commands) {
        this.commands = commands;
    }

    /** Records starting at {@code start} (the default start lies in the past: its open turns count as stale). */
    public ScriptedConversation(CommandGateway commands, Instant start) {
        this.commands = commands;
        this.clock = start;
    }

    public UUID id() {
        return conversationId;
    }

    public UUID turnId() {
        return turnId;
    }

    /** How many stage records were committed so far (verbose messages not counted). */
    public int recorded() {
        return recorded;
    }

    public ScriptedConversation turn(String userText) {
        return turn(userText, 120_000);
    }

    /** Starts a turn; an open turn older than {@code abandonAfterMillis} is closed as abandoned first. */
    public ScriptedConversation turn(String userText, long abandonAfterMillis) {
        turnId = UUID.randomUUID();
        commands.sendAndWait(new StartTurnCommand(conversationId, turnId, userText, false, Map.of(), "script", "none",
                tick(), abandonAfterMillis, TurnRequester.UNCHECKED));
        return this;
    }

    public ScriptedConversation enter(String step) {
        return stage(Stage.STEP_ENTER, Map.of("step", step, "stepClass", STEP_PACKAGE + step,
                "sourceFile", step + ".java"));
    }

    public ScriptedConversation exit(String step, long durationMs) {
        return stage(Stage.STEP_EXIT, Map.of("step", step, "stepClass", STEP_PACKAGE + step,
                "sourceFile", step + ".java", "outcome", "Continue", "durationMs", durationMs));
    }

    public ScriptedConversation error(String step, long durationMs, String message) {
        return stage(Stage.STEP_ERROR, Map.of("step", step, "stepClass", STEP_PACKAGE + step,
                "sourceFile", step + ".java", "durationMs", durationMs,
                "errorType", "IllegalStateException", "errorMessage", message));
    }

    public ScriptedConversation stage(Stage stage, Map<String, ?> fields) {
        Instant at = tick();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("_meta", Map.of("stage", stage.name(), "conversationId", conversationId.toString(),
                "turnId", turnId.toString(), "emittedAt", at.toString()));
        payload.putAll(fields);
        pending.add(new TurnRecord.StageRecord(stage, json(payload), at));
        return this;
    }

    /** A verbose progress message: part of the stream, not of the audit or the trace. */
    public ScriptedConversation verbose(String text) {
        pending.add(new TurnRecord.VerboseRecord(new VerboseMessage(null, "VERBOSE_PROGRESS", "Script", "STEP", null,
                null, null, null, "INFO", text, Map.of()), tick()));
        pendingVerbose++;
        return this;
    }

    /** Commits what was recorded since the last flush. */
    public ScriptedConversation flush() {
        if (!pending.isEmpty()) {
            commands.sendAndWait(new RecordTurnEventsCommand(conversationId, turnId, drain()));
        }
        return this;
    }

    public ScriptedConversation complete(String intent, String state) {
        commands.sendAndWait(new CompleteTurnCommand(conversationId, turnId, drain(), intent, state, Map.of(),
                Map.of(), TurnOutcome.ANSWERED, tick()));
        return this;
    }

    private List<TurnRecord> drain() {
        List<TurnRecord> records = List.copyOf(pending);
        recorded += records.size() - pendingVerbose;
        pendingVerbose = 0;
        pending.clear();
        return records;
    }

    private Instant tick() {
        clock = clock.plusMillis(1);
        return clock;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
