package io.convtrail.app.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import io.convtrail.query.stream.StreamHistory;
import io.convtrail.testsupport.api.ConvtrailApi;
import io.convtrail.testsupport.store.EventStoreProbe;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives conversations through the public API and reads back what was stored, so stream tests
 * derive their expectations from the record, whatever stages the engine emits.
 */
final class StoredConversations {

    private final ConvtrailApi api;
    private final StreamHistory history;
    private final EventStoreProbe store;
    private final ObjectMapper json;

    StoredConversations(int port, StreamHistory history, EventStoreProbe store, ObjectMapper json) {
        this.api = ConvtrailApi.local(port);
        this.history = history;
        this.store = store;
        this.json = json;
    }

    void turn(UUID conversationId, String message) {
        JsonNode answer = api.say(conversationId, message);
        assertThat(answer.get("success").asBoolean()).as("turn answered").isTrue();
    }

    /** Stream events recorded in the event store for the conversation: its last sequence. */
    long recordedHead(UUID conversationId) {
        return store.records(conversationId);
    }

    /** The whole stored stream as ConvEngine clients get it (no turn boundaries), once the read model holds everything the event store has. */
    List<StreamEvent> storedStream(UUID conversationId) {
        long head = recordedHead(conversationId);
        List<Long> expected = LongStream.rangeClosed(1, head).boxed().toList();
        AtomicReference<List<StreamEvent>> stored = new AtomicReference<>();
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> {
                    stored.set(history.after(conversationId, 0, Integer.MAX_VALUE).stream()
                            .filter(e -> e.envelope().eventType() != StreamKind.TURN).toList());
                    assertThat(stored.get()).extracting(StreamEvent::sequence)
                            .as("read model of %s: every recorded event, gapless from 1", conversationId)
                            .containsExactlyElementsOf(expected);
                });
        return stored.get();
    }

    JsonNode rawAudit(UUID conversationId) {
        return api.audit(conversationId);
    }

    /** As it reads on the wire: serialized, then parsed like a received message. */
    JsonNode toJson(Object value) {
        try {
            return parse(json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
