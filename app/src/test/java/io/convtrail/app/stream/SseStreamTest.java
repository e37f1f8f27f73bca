package io.convtrail.app.stream;

import io.convtrail.api.stream.StreamKind;
import io.convtrail.testsupport.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The SSE stream with a real HTTP client: contents, ids, resume, replay, unnamed mode, isolation. */
@ConvtrailIntegrationTest
class SseStreamTest extends StreamClientTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final String STREAM_URI = "/api/v1/conversation/stream/{conversationId}";

    @Autowired
    MeterRegistry meters;

    @Test
    void liveStreamIsTheStoredRecordWithIdsNamesAndTheRawAudit() {
        UUID id = UUID.randomUUID();
        try (SseTestClient sse = open(id, "", Map.of())) {
            assertThat(sse.response().headers().firstValue("X-Accel-Buffering")).hasValue("no");
            assertThat(sse.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            SseTestClient.Event connected = sse.next(WAIT);
            assertThat(connected.name()).isEqualTo("CONNECTED");
            assertThat(connected.id()).isEqualTo("0");

            conversations.turn(id, "hello");
            conversations.turn(id, "and again");
            List<StreamEvent> stored = conversations.storedStream(id);
            List<SseTestClient.Event> streamed = sse.next(stored.size(), WAIT);

            assertSameEvents(streamed, stored, false);
            assertThat(sse.silentFor(Duration.ofMillis(300))).as("nothing beyond the record").isTrue();
            assertAuditEqualsRawAudit(streamed, conversations.rawAudit(id));
        }
    }

    @Test
    void resumingAfterEveryPositionOfATurnGivesExactlyTheMissingEventsThenContinuesLive() {
        UUID id = UUID.randomUUID();
        conversations.turn(id, "first");
        List<StreamEvent> stored = conversations.storedStream(id);

        List<SseTestClient> resumed = new ArrayList<>();
        try {
            // a cut before the turn, after each of its events, and after its end
            for (int cut = 0; cut <= stored.size(); cut++) {
                // the header for even cuts, the query parameter (clients that cannot set headers) for odd ones
                SseTestClient sse = cut % 2 == 0
                        ? open(id, "", Map.of("Last-Event-ID", Long.toString(cut)))
                        : open(id, "?lastEventId=" + cut, Map.of());
                resumed.add(sse);
                SseTestClient.Event connected = sse.next(WAIT);
                assertThat(connected.name()).isEqualTo("CONNECTED");
                assertThat(connected.id()).isEqualTo(Long.toString(cut));
                List<StreamEvent> missing = stored.subList(cut, stored.size());
                assertSameEvents(sse.next(missing.size(), WAIT), missing, false);
            }
            conversations.turn(id, "second");
            List<StreamEvent> all = conversations.storedStream(id);
            List<StreamEvent> second = all.subList(stored.size(), all.size());
            for (SseTestClient sse : resumed) {
                assertSameEvents(sse.next(second.size(), WAIT), second, false);
                assertThat(sse.silentFor(Duration.ofMillis(50))).isTrue();
            }
        } finally {
            resumed.forEach(SseTestClient::close);
        }
    }

    @Test
    void replayStreamsTheWholeConversationAndTheHeaderWinsOverReplayOnReconnect() {
        UUID id = UUID.randomUUID();
        conversations.turn(id, "one");
        conversations.turn(id, "two");
        List<StreamEvent> stored = conversations.storedStream(id);

        try (SseTestClient replay = open(id, "?replay=true", Map.of())) {
            assertThat(replay.next(WAIT).id()).isEqualTo("0");
            assertSameEvents(replay.next(stored.size(), WAIT), stored, false);
        }
        try (SseTestClient reconnect = open(id, "?replay=true", Map.of("Last-Event-ID", "2"))) {
            assertThat(reconnect.next(WAIT).id()).isEqualTo("2");
            assertSameEvents(reconnect.next(stored.size() - 2, WAIT), stored.subList(2, stored.size()), false);
        }
    }

    @Test
    void unnamedModeSendsEveryEnvelopeAsAMessageEventWithTheSameIds() {
        UUID id = UUID.randomUUID();
        conversations.turn(id, "hi");
        List<StreamEvent> stored = conversations.storedStream(id);
        try (SseTestClient sse = open(id, "?replay=true&unnamed=true", Map.of())) {
            assertThat(sse.next(WAIT).name()).isEqualTo("CONNECTED");
            assertSameEvents(sse.next(stored.size(), WAIT), stored, true);
        }
    }

    @Test
    void eventsOfOneConversationNeverReachASubscriberOfAnother() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        try (SseTestClient sseA = open(a, "", Map.of()); SseTestClient sseB = open(b, "", Map.of())) {
            sseA.next(WAIT);
            sseB.next(WAIT);
            for (int i = 0; i < 3; i++) {
                conversations.turn(a, "to a " + i);
                conversations.turn(b, "to b " + i);
            }
            List<StreamEvent> storedA = conversations.storedStream(a);
            List<StreamEvent> storedB = conversations.storedStream(b);
            assertSameEvents(sseA.next(storedA.size(), WAIT), storedA, false);
            assertSameEvents(sseB.next(storedB.size(), WAIT), storedB, false);
            assertThat(sseA.silentFor(Duration.ofMillis(200))).isTrue();
            assertThat(sseB.silentFor(Duration.ofMillis(10))).isTrue();
        }
    }

    @Test
    void aSubscriberJoiningWhileTurnsAreCommittedAndResumingFromTheTurnStartSeesWholeTurns() throws Exception {
        UUID id = UUID.randomUUID();
        conversations.turn(id, "warm up");
        conversations.storedStream(id);
        int turns = 6;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < turns; i++) {
                conversations.turn(id, "busy " + i);
            }
        });
        // join mid-stream: resume from the last turn boundary the read model holds right now
        long boundary = lastTurnStart(id) - 1;
        try (SseTestClient sse = open(id, "", Map.of("Last-Event-ID", Long.toString(boundary)))) {
            assertThat(sse.next(WAIT).id()).isEqualTo(Long.toString(boundary));
            writer.get();
            List<StreamEvent> stored = conversations.storedStream(id);
            List<StreamEvent> expected = stored.subList((int) boundary, stored.size());
            assertSameEvents(sse.next(expected.size(), WAIT), expected, false);
            assertThat(sse.silentFor(Duration.ofMillis(200))).as("no duplicate after the hand-over").isTrue();
        }
    }

    @Test
    void malformedIdsAreRejectedAsProblemJson() throws Exception {
        for (URI uri : List.of(URI.create("http://localhost:" + port + "/api/v1/conversation/stream/not-a-uuid"),
                stream(UUID.randomUUID(), "?lastEventId=abc"), stream(UUID.randomUUID(), "?lastEventId=-1"))) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                    .header("Accept", "text/event-stream").header("Authorization", TestTokens.adminBearer()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(uri.toString()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json.readTree(response.body()).get("status").asInt()).isEqualTo(400);
        }
        HttpResponse<String> badHeader = http.send(HttpRequest.newBuilder(stream(UUID.randomUUID(), ""))
                .header("Last-Event-ID", "x").header("Authorization", TestTokens.adminBearer()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badHeader.statusCode()).isEqualTo(400);
    }

    /** Sequence of the newest USER_INPUT in the read model, i.e. where the latest turn began. */
    private long lastTurnStart(UUID id) {
        return jdbc.sql("SELECT max(seq) FROM audit_event WHERE conversation_id = ? AND stage = 'USER_INPUT'")
                .param(id).query(Long.class).single();
    }

    private SseTestClient open(UUID id, String query, Map<String, String> headers) {
        return SseTestClient.open(http, stream(id, query), headers);
    }

    /** Same sequences in the same order, ids on every event, names by stage, envelopes as stored and valid. */
    void assertSameEvents(List<SseTestClient.Event> streamed, List<StreamEvent> stored, boolean unnamed) {
        assertThat(streamed).extracting(SseTestClient.Event::id)
                .containsExactlyElementsOf(stored.stream().map(e -> Long.toString(e.sequence())).toList());
        for (int i = 0; i < stored.size(); i++) {
            StreamEvent expected = stored.get(i);
            SseTestClient.Event actual = streamed.get(i);
            JsonNode envelope = conversations.parse(actual.data());
            EnvelopeSchema.assertValid(envelope);
            assertThat(envelope).isEqualTo(conversations.toJson(expected.envelope()));
            String name = expected.envelope().eventType() == StreamKind.VERBOSE ? "VERBOSE" : expected.envelope().stage();
            assertThat(actual.name()).isEqualTo(unnamed ? "message" : name);
        }
    }

    @Test
    void aStreamsRequestObservationEndsWhenTheStreamIsEstablishedNotWhenItCloses() throws Exception {
        long before = streamRequestsAnswered();
        try (SseTestClient sse = open(UUID.randomUUID(), "", Map.of())) {
            assertThat(sse.next(WAIT).name()).isEqualTo("CONNECTED");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (streamRequestsAnswered() == before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // Spring's own filter records it (and ends its span) only when the stream closes
            assertThat(streamRequestsAnswered()).as("the open stream's request is observed as answered (200)")
                    .isEqualTo(before + 1);
        }
    }

    private long streamRequestsAnswered() {
        return meters.find("http.server.requests").tag("uri", STREAM_URI).tag("status", "200").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    static void assertAuditEqualsRawAudit(List<SseTestClient.Event> streamed, JsonNode rawAudit) {
        List<String> fromStream = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (SseTestClient.Event event : streamed) {
            JsonNode envelope = read(json, event.data());
            if ("AUDIT".equals(envelope.get("eventType").asText())) {
                fromStream.add(envelope.get("auditId").asLong() + " " + envelope.get("stage").asText() + " "
                        + envelope.get("createdAt").asText() + " " + envelope.get("payload"));
            }
        }
        List<String> fromAudit = new ArrayList<>();
        for (JsonNode row : rawAudit) {
            fromAudit.add(row.get("auditId").asLong() + " " + row.get("stage").asText() + " "
                    + row.get("createdAt").asText() + " " + read(json, row.get("payloadJson").asText()));
        }
        assertThat(fromStream).as("streamed AUDIT envelopes = raw audit rows").containsExactlyElementsOf(fromAudit);
    }

    private static JsonNode read(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
