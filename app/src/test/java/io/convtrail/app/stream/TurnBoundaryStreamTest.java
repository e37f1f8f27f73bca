package io.convtrail.app.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Turn boundaries on the SSE stream: only a client that asks ({@code turns=true}) gets them, as events
 * named TURN around each turn's records, carrying the id of the record they follow; a resume at that
 * id sends the boundary again, and a ConvEngine client's stream is the record alone.
 */
@ConvtrailIntegrationTest
class TurnBoundaryStreamTest extends StreamClientTest {

    static final Duration WAIT = SseStreamTest.WAIT;

    @Test
    void aClientThatAsksGetsEachTurnsStartAndEndAroundItsRecordsAndOthersGetNone() {
        UUID id = UUID.randomUUID();
        try (SseTestClient withTurns = SseTestClient.open(http, stream(id, "?turns=true"), Map.of());
             SseTestClient convEngine = SseTestClient.open(http, stream(id, ""), Map.of())) {
            assertThat(withTurns.next(WAIT).name()).isEqualTo("CONNECTED");
            assertThat(convEngine.next(WAIT).name()).isEqualTo("CONNECTED");

            conversations.turn(id, "hello");
            List<StreamEvent> stored = conversations.storedStream(id);
            long last = stored.get(stored.size() - 1).sequence();

            List<SseTestClient.Event> events = withTurns.next(stored.size() + 2, WAIT);
            SseTestClient.Event start = events.get(0);
            SseTestClient.Event end = events.get(events.size() - 1);
            assertThat(start.name()).isEqualTo("TURN");
            assertThat(start.id()).as("a start follows the record before it: none").isEqualTo("0");
            JsonNode started = conversations.parse(start.data());
            assertThat(started.get("eventType").asText()).isEqualTo("TURN");
            assertThat(started.get("stage").asText()).isEqualTo("TURN_START");
            assertThat(started.at("/payload/index").asInt()).isEqualTo(1);
            assertThat(started.at("/payload/userText").asText()).isEqualTo("hello");
            assertThat(started.at("/payload/status").asText()).isEqualTo("RUNNING");
            assertThat(events.subList(1, events.size() - 1)).extracting(SseTestClient.Event::sequence)
                    .containsExactlyElementsOf(stored.stream().map(StreamEvent::sequence).toList());
            assertThat(end.name()).isEqualTo("TURN");
            assertThat(end.sequence()).as("an end repeats the id of the turn's last record").isEqualTo(last);
            JsonNode ended = conversations.parse(end.data());
            assertThat(ended.get("stage").asText()).isEqualTo("TURN_END");
            assertThat(ended.at("/payload/turnId").asText()).isEqualTo(started.at("/payload/turnId").asText());
            assertThat(ended.at("/payload/status").asText()).isEqualTo("COMPLETED");
            assertThat(ended.at("/payload/outcome").asText()).isEqualTo("ANSWERED");

            List<SseTestClient.Event> plain = convEngine.next(stored.size(), WAIT);
            assertThat(plain).extracting(SseTestClient.Event::name).doesNotContain("TURN");
            assertThat(convEngine.silentFor(Duration.ofMillis(300))).as("no boundary for a ConvEngine client").isTrue();

            // resuming at the turn's last record: the end that follows it comes again (clients drop it by auditId)
            try (SseTestClient resumed = SseTestClient.open(http, stream(id, "?turns=true&unnamed=true&lastEventId=" + last),
                    Map.of())) {
                assertThat(resumed.next(WAIT).name()).isEqualTo("CONNECTED");
                SseTestClient.Event again = resumed.next(WAIT);
                assertThat(again.name()).as("unnamed mode").isEqualTo("message");
                assertThat(again.sequence()).isEqualTo(last);
                assertThat(conversations.parse(again.data()).get("auditId"))
                        .isEqualTo(ended.get("auditId"));
                assertThat(resumed.silentFor(Duration.ofMillis(300))).isTrue();
            }
        }
    }
}
