package io.convtrail.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.command.CompleteTurnCommand;
import io.convtrail.api.command.ConversationState;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.api.event.VerboseMessage;
import io.convtrail.api.stage.StageMeta;
import io.convtrail.api.stage.StagePayloads;
import io.convtrail.api.stage.StepBracket;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Instant;
import java.util.ArrayList;
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

    private static final StagePayloads PAYLOADS = new StagePayloads(new ObjectMapper());

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

    /** A conversation of one complete greeting turn: the user's input inside its step, then no rule matched. */
    public static ScriptedConversation greeting(CommandGateway commands) {
        return new ScriptedConversation(commands)
                .turn("hello")
                .enter("AuditUserInputStep").stage(Stage.USER_INPUT, Map.of("text", "hello"))
                .exit("AuditUserInputStep", 1)
                .stage(Stage.RULE_NO_MATCH, Map.of())
                .complete("GREETING", "IDLE");
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
        return stage(new StepBracket.Enter(step, STEP_PACKAGE + step, step + ".java"));
    }

    public ScriptedConversation exit(String step, long durationMs) {
        return stage(new StepBracket.Exit(step, STEP_PACKAGE + step, step + ".java", "Continue", durationMs));
    }

    public ScriptedConversation error(String step, long durationMs, String message) {
        return stage(new StepBracket.Error(step, STEP_PACKAGE + step, step + ".java", durationMs,
                "IllegalStateException", message));
    }

    private ScriptedConversation stage(StepBracket bracket) {
        return write(bracket.stage(), bracket);
    }

    public ScriptedConversation stage(Stage stage, Map<String, ?> fields) {
        return write(stage, fields);
    }

    /** Written as the engine writes it: {@code _meta} first, by the one payload writer. */
    private ScriptedConversation write(Stage stage, Object fields) {
        Instant at = tick();
        String payload = PAYLOADS.write(new StageMeta(stage, conversationId, turnId, at, null, null), fields);
        pending.add(new TurnRecord.StageRecord(stage, payload, at));
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
        commands.sendAndWait(new CompleteTurnCommand(conversationId, turnId, drain(),
                new ConversationState(intent, state, Map.of(), Map.of()), TurnOutcome.ANSWERED, tick()));
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
}
