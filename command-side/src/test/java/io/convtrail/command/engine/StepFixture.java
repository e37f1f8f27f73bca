package io.convtrail.command.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.command.ConversationView;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.event.VerboseMessage;
import io.convtrail.command.flow.FlowDefinition;
import io.convtrail.command.flow.FlowParser;
import io.convtrail.command.turn.TurnInput;
import io.convtrail.command.turn.TurnJournal;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A turn for step tests: the demo flow, a real TurnJournal on a real (in-memory) Axon command bus
 * whose RecordTurnEventsCommand handler keeps what each flush committed.
 */
public final class StepFixture {

    public static final FlowDefinition DEMO = demoFlow();

    private final ObjectMapper json = new ObjectMapper();
    private final List<TurnRecord> committed = new ArrayList<>();
    private final TurnJournal journal;

    public StepFixture() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(RecordTurnEventsCommand.class.getName(), message -> {
            List<TurnRecord> records = ((RecordTurnEventsCommand) message.getPayload()).records();
            committed.addAll(records);
            return null;
        });
        journal = new TurnJournal(DefaultCommandGateway.builder().commandBus(bus).build(), json, Clock.systemUTC(),
                UUID.randomUUID(), UUID.randomUUID());
    }

    /** A session for {@code message} on a conversation in {@code intent} / {@code state}. */
    public TurnSession session(String message, String intent, String state) {
        return session(DEMO, message, false, new ConversationView(2, intent, state, Map.of(), Map.of()));
    }

    public TurnSession session(FlowDefinition flow, String message, boolean reset, ConversationView view) {
        TurnInput input = new TurnInput(journal.conversationId(), journal.turnId(), message, reset, Map.of(), view);
        TurnSession session = new TurnSession(flow, input, journal);
        session.moveTo(view.intent(), view.state());
        session.restore(view.slots(), view.context());
        return session;
    }

    /** Commits what is pending and answers the stage names recorded so far, in order. */
    public List<Stage> stages() {
        journal.flush();
        return committed.stream().filter(r -> r instanceof TurnRecord.StageRecord)
                .map(r -> ((TurnRecord.StageRecord) r).stage()).toList();
    }

    public List<VerboseMessage> verbose() {
        journal.flush();
        return committed.stream().filter(r -> r instanceof TurnRecord.VerboseRecord)
                .map(r -> ((TurnRecord.VerboseRecord) r).verbose()).toList();
    }

    /** The payload of the first recorded {@code stage}. */
    public JsonNode payload(Stage stage) {
        journal.flush();
        return committed.stream().filter(r -> r instanceof TurnRecord.StageRecord s && s.stage() == stage)
                .map(r -> read(((TurnRecord.StageRecord) r).payloadJson())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + stage + " recorded; got " + stages()));
    }

    public List<TurnRecord> committed() {
        return committed;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FlowDefinition demoFlow() {
        try (InputStream in = StepFixture.class.getResourceAsStream("/flows/demo.yml")) {
            return FlowParser.parse("demo.yml", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
