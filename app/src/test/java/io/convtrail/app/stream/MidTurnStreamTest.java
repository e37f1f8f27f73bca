package io.convtrail.app.stream;

import io.convtrail.api.stream.StreamKind;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.app.ConvtrailIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A turn that takes seconds (the demo credit-rating tool is slowed down): a subscriber that joins
 * while it runs gets the rest of it live, the tool's progress before the answer, and with resume
 * the part it missed. Same properties as the engine's slow-tool tests, so the context is shared.
 */
@ConvtrailIntegrationTest
@TestPropertySource(properties = {"convtrail.demo-tool.delay=2s", "convtrail.turn.busy-wait=500ms"})
class MidTurnStreamTest extends StreamClientTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSubscriberJoiningMidTurnGetsTheRestLiveAndTheWholeTurnWithResume() throws Exception {
        UUID id = UUID.randomUUID();
        conversations.turn(id, "I want to apply for a loan");
        conversations.turn(id, "15000 over 36 months");
        long turnStartsAfter = conversations.storedStream(id).size();

        CompletableFuture<Void> slowTurn = CompletableFuture.runAsync(() -> conversations.turn(id, "jane@example.com"));
        await().atMost(WAIT).until(() -> toolProgressProjected(id));

        try (SseTestClient live = SseTestClient.open(http, stream(id, ""), Map.of())) {
            long joinedAfter = live.next(WAIT).sequence();
            assertThat(slowTurn).as("joined while the turn runs").isNotDone();
            assertThat(joinedAfter).as("joined mid-turn").isGreaterThan(turnStartsAfter);

            slowTurn.get(30, TimeUnit.SECONDS);
            List<StreamEvent> stored = conversations.storedStream(id);
            List<StreamEvent> rest = stored.subList((int) joinedAfter, stored.size());
            List<SseTestClient.Event> received = live.next(rest.size(), WAIT);
            assertThat(received).extracting(SseTestClient.Event::sequence)
                    .containsExactlyElementsOf(rest.stream().map(StreamEvent::sequence).toList());
            assertThat(received).extracting(SseTestClient.Event::name).contains("ASSISTANT_OUTPUT");

            // the same subscriber reconnects from where the turn began: exactly the whole turn
            try (SseTestClient resumed = SseTestClient.open(http, stream(id, ""),
                    Map.of("Last-Event-ID", Long.toString(turnStartsAfter)))) {
                resumed.next(WAIT);
                List<StreamEvent> wholeTurn = stored.subList((int) turnStartsAfter, stored.size());
                assertThat(resumed.next(wholeTurn.size(), WAIT)).extracting(SseTestClient.Event::sequence)
                        .containsExactlyElementsOf(wholeTurn.stream().map(StreamEvent::sequence).toList());
                assertThat(wholeTurn.stream().filter(e -> e.envelope().eventType() == StreamKind.AUDIT)
                        .map(e -> e.envelope().payload().path("_meta").path("turnId").asText()).distinct())
                        .as("one turn").hasSize(1)
                        .doesNotContain(stored.get((int) turnStartsAfter - 1).envelope().payload()
                                .path("_meta").path("turnId").asText());
                assertThat(resumed.silentFor(Duration.ofMillis(200))).isTrue();
            }
        }
    }

    private boolean toolProgressProjected(UUID id) {
        return jdbc.sql("""
                        SELECT count(*) FROM audit_event
                        WHERE conversation_id = ? AND kind = 'VERBOSE' AND payload_json LIKE '%credit_rating%'""")
                .param(id).query(Long.class).single() > 0;
    }
}
