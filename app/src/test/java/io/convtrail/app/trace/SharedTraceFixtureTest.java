package io.convtrail.app.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.command.CompleteTurnCommand;
import io.convtrail.api.command.ConversationState;
import io.convtrail.api.command.RecordFeedbackCommand;
import io.convtrail.api.command.RecordTurnEventsCommand;
import io.convtrail.api.command.StartTurnCommand;
import io.convtrail.api.command.TurnRecord;
import io.convtrail.api.command.TurnRequester;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.api.event.VerboseMessage;
import io.convtrail.api.query.FindConversationTraceQuery;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.api.stage.UserFeedback;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.stream.SseTestClient;
import io.convtrail.testsupport.TestTokens;
import io.convtrail.testsupport.trace.TraceFixture;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared trace fixture on the server: its recorded conversation is committed again through the
 * real aggregate (same records, same order, fresh ids), and the trace projection must group it into
 * the fixture's tree, while the stream must send it back in the recorded order, boundaries included.
 * The console runs the same fixture through timeline-model.js ({@code ConsoleTraceFixtureTest}).
 */
@ConvtrailIntegrationTest
class SharedTraceFixtureTest {

    @LocalServerPort
    int port;
    @Autowired
    CommandGateway commands;
    @Autowired
    QueryGateway queries;
    @Autowired
    ObjectMapper json;

    final TraceFixture fixture = TraceFixture.load();

    @Test
    void theServersTraceOfTheRecordedConversationIsTheFixturesTree() throws Exception {
        UUID conversationId = new Replayer().replay(fixture.stream());
        int turns = fixture.expectedTrace().get("turns").size();

        ConversationTrace trace = await().atMost(Duration.ofSeconds(20)).until(
                () -> queries.query(new FindConversationTraceQuery(conversationId), ConversationTrace.class).join(),
                t -> t.turns().size() == turns && t.turns().stream().allMatch(turn -> turn.status() != TraceTurn.Status.RUNNING));

        assertThat(json.writerWithDefaultPrettyPrinter().writeValueAsString(TraceFixture.treeOf(trace)))
                .isEqualTo(json.writerWithDefaultPrettyPrinter().writeValueAsString(fixture.expectedTrace()));
    }

    @Test
    void theStreamSendsTheRecordedConversationBackInTheRecordedOrderWithItsBoundaries() throws Exception {
        UUID conversationId = new Replayer().replay(fixture.stream());
        int expected = fixture.stream().size();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://localhost:" + port + "/api/v1/conversation/stream/" + conversationId
                + "?replay=true&unnamed=true&turns=true");
        List<String> streamed = new ArrayList<>();
        try (SseTestClient sse = SseTestClient.open(http, uri, Map.of("Authorization", TestTokens.adminBearer()))) {
            while (streamed.size() < expected) {
                SseTestClient.Event event = sse.next(Duration.ofSeconds(20));
                if (!"CONNECTED".equals(event.name())) {
                    streamed.add(event.id() + " " + positionAndKind(json.readTree(event.data())));
                }
            }
        }
        assertThat(streamed).containsExactlyElementsOf(fixture.stream().stream()
                .map(e -> e.get("id").asLong() + " " + positionAndKind(e.get("envelope"))).toList());
    }

    /** What the order is checked by: the kind and stage of an envelope (ids and times differ from the recording). */
    private static String positionAndKind(JsonNode envelopeOrEntry) {
        JsonNode envelope = envelopeOrEntry.has("envelope") ? envelopeOrEntry.get("envelope") : envelopeOrEntry;
        String kind = envelope.get("eventType").asText() + ":" + envelope.get("stage").asText();
        return envelope.get("eventType").asText().equals("TURN")
                ? kind + ":" + envelope.get("payload").get("status").asText() : kind;
    }

    /**
     * Commits the recorded stream again through the aggregate's commands: a turn's records are sent
     * when the turn ends (or before the next turn starts, which abandons a turn left open: the
     * aggregate then records TURN_ABANDONED itself, so the recorded one is not sent); a record of no
     * turn is feedback. Recorded ids are replaced by fresh ones in the payloads.
     */
    private final class Replayer {
        final UUID conversationId = UUID.randomUUID();
        final Map<String, String> ids = new HashMap<>();
        final List<TurnRecord> pending = new ArrayList<>();
        UUID openTurn;

        UUID replay(List<JsonNode> stream) throws Exception {
            for (JsonNode entry : stream) {
                JsonNode envelope = entry.get("envelope");
                Instant at = Instant.parse(envelope.get("createdAt").asText());
                JsonNode payload = envelope.get("payload");
                switch (envelope.get("eventType").asText()) {
                    case "TURN" -> boundary(envelope.get("stage").asText(), payload, at);
                    case "VERBOSE" -> pending.add(new TurnRecord.VerboseRecord(
                            json.treeToValue(payload.get("verbose"), VerboseMessage.class), at));
                    default -> stage(Stage.valueOf(envelope.get("stage").asText()), payload, at);
                }
            }
            return conversationId;
        }

        private void boundary(String stage, JsonNode turn, Instant at) {
            if (stage.equals("TURN_START")) {
                flush();
                openTurn = fresh(turn.get("turnId").asText());
                commands.sendAndWait(new StartTurnCommand(conversationId, openTurn, turn.get("userText").asText(),
                        false, Map.of(), "fixture", "none", at, 0, TurnRequester.UNCHECKED));
            } else if (turn.get("status").asText().equals("COMPLETED")) {
                commands.sendAndWait(new CompleteTurnCommand(conversationId, openTurn, List.copyOf(pending),
                        new ConversationState(turn.get("intent").asText(), turn.get("state").asText(), Map.of(),
                                Map.of()),
                        TurnOutcome.valueOf(turn.get("outcome").asText()), at));
                pending.clear();
                openTurn = null;
            }
        }

        private void stage(Stage stage, JsonNode payload, Instant at) {
            ids.putIfAbsent(payload.path("_meta").path("conversationId").asText(), conversationId.toString());
            String text = rewriteIds(payload.toString());
            if (stage == Stage.TURN_ABANDONED) {
                flush(); // the next turn's start abandons the turn and records this stage
            } else if (payload.path("_meta").path("turnId").isNull()) {
                UserFeedback feedback = new UserFeedback(payload.path("feedbackType").asText(),
                        payload.get("messageId"), payload.get("assistantResponse"), payload.get("metadata"));
                commands.sendAndWait(new RecordFeedbackCommand(conversationId, feedback, at, Long.MAX_VALUE,
                        TurnRequester.UNCHECKED));
            } else {
                pending.add(new TurnRecord.StageRecord(stage, text, at));
            }
        }

        private void flush() {
            if (openTurn != null && !pending.isEmpty()) {
                commands.sendAndWait(new RecordTurnEventsCommand(conversationId, openTurn, List.copyOf(pending)));
                pending.clear();
            }
        }

        private UUID fresh(String recorded) {
            return UUID.fromString(ids.computeIfAbsent(recorded, id -> UUID.randomUUID().toString()));
        }

        private String rewriteIds(String text) {
            for (Map.Entry<String, String> id : ids.entrySet()) {
                text = text.replace(id.getKey(), id.getValue());
            }
            return text;
        }
    }
}
