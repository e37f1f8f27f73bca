package io.convtrail.app.stream;

import io.convtrail.app.LocalApi;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import io.convtrail.query.stream.StreamHistory;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

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

    private final RestClient http;
    private final StreamHistory history;
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    StoredConversations(int port, StreamHistory history, JdbcClient jdbc, ObjectMapper json) {
        this.http = LocalApi.strict(port);
        this.history = history;
        this.jdbc = jdbc;
        this.json = json;
    }

    void turn(UUID conversationId, String message) {
        JsonNode answer = http.post().uri("/api/v1/conversation/message").contentType(MediaType.APPLICATION_JSON)
                .body("{\"conversationId\":\"" + conversationId + "\",\"message\":\"" + message + "\"}")
                .retrieve().body(JsonNode.class);
        assertThat(answer.get("success").asBoolean()).as("turn answered").isTrue();
    }

    /** Stream events recorded in the event store for the conversation: its last sequence. */
    long recordedHead(UUID conversationId) {
        return jdbc.sql("""
                        SELECT count(*) FROM domainevententry
                        WHERE aggregateidentifier = :id AND payloadtype IN (:stage, :verbose)""")
                .param("id", conversationId.toString())
                .param("stage", StageRecordedEvent.class.getName())
                .param("verbose", VerboseRecordedEvent.class.getName())
                .query(Long.class).single();
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
        return http.get().uri("/api/v1/conversation/audit/{id}", conversationId).retrieve().body(JsonNode.class);
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
