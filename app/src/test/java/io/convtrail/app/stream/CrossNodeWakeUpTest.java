package io.convtrail.app.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.query.stream.StreamHistory;
import io.convtrail.query.stream.StreamNotifications;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events another node projected reach this node's subscribers: rows written straight into the shared
 * {@code audit_event} table, announced with {@code pg_notify} on the notification channel the way a
 * projection on another node announces them, never pass this node's query bus. The subscriber gets
 * every one of them, in order and once, from the read model.
 */
@ConvtrailIntegrationTest
class CrossNodeWakeUpTest extends StreamClientTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    DataSource dataSource;

    @Autowired
    StreamHistory history;

    @Autowired
    StreamNotifications notifications;

    @Test
    void rowsProjectedElsewhereAreStreamedOnTheirNotification() throws Exception {
        UUID source = UUID.randomUUID();
        conversations.turn(source, "hello");
        List<StreamEvent> stored = conversations.storedStream(source);
        UUID elsewhere = UUID.randomUUID();
        try (SseTestClient sse = SseTestClient.open(http, stream(elsewhere, ""), Map.of())) {
            assertThat(sse.next(WAIT).name()).isEqualTo("CONNECTED");
            // "another node" projects the first half, then the rest, each in one committed transaction
            int half = stored.size() / 2;
            projectElsewhere(source, elsewhere, 1, half);
            projectElsewhere(source, elsewhere, half + 1, stored.size());

            List<SseTestClient.Event> streamed = sse.next(stored.size(), WAIT);
            assertThat(streamed).extracting(SseTestClient.Event::sequence)
                    .containsExactlyElementsOf(stored.stream().map(StreamEvent::sequence).toList());
            // each streamed envelope is the one the read model holds for that conversation (its sealed content,
            // bound to the source conversation, reads "[unreadable]" there, on the stream and in the history alike)
            List<StreamEvent> copied = history.after(elsewhere, 0, stored.size() + 1);
            assertThat(copied).hasSameSizeAs(stored);
            for (int i = 0; i < stored.size(); i++) {
                ObjectNode copy = (ObjectNode) conversations.parse(streamed.get(i).data());
                assertThat(copy).isEqualTo(conversations.toJson(copied.get(i).envelope()));
                Long auditId = stored.get(i).envelope().auditId();
                assertThat(copy.get("auditId").asLong(0)).isEqualTo(auditId == null ? 0 : -(auditId + 1_000_000_000L));
                assertThat(copy.get("stage")).isEqualTo(conversations.toJson(stored.get(i).envelope()).get("stage"));
            }
            assertThat(sse.silentFor(Duration.ofMillis(300))).as("nothing twice").isTrue();
        }
    }

    /**
     * This node's own notifications wake nobody: its hub was handed the rows when they committed, and a
     * wake-up would only make every subscriber read them again. A notification from another process
     * (marked as such) still wakes them.
     */
    @Test
    void aNodeIsNotWokenByItsOwnNotifications() throws Exception {
        UUID source = UUID.randomUUID();
        conversations.turn(source, "hello");
        List<StreamEvent> stored = conversations.storedStream(source);
        UUID elsewhere = UUID.randomUUID();
        try (SseTestClient sse = SseTestClient.open(http, stream(elsewhere, ""), Map.of())) {
            assertThat(sse.next(WAIT).name()).isEqualTo("CONNECTED");
            // the subscription's first read of the read model (on its sender, after CONNECTED) finds nothing
            // before the rows are copied; a read after the copy would rightly deliver them, wake-up or not
            assertThat(sse.silentFor(Duration.ofMillis(500))).as("nothing before the copy").isTrue();
            copyRows(source, elsewhere, 1, stored.size(), null);
            notifications.announce(elsewhere, stored.size());
            assertThat(sse.silentFor(Duration.ofMillis(1_000))).as("own notification ignored").isTrue();

            copyRows(source, elsewhere, stored.size() + 1, stored.size(),
                    "@another-node " + elsewhere + ":" + stored.size());
            assertThat(sse.next(stored.size(), WAIT)).extracting(SseTestClient.Event::sequence)
                    .containsExactlyElementsOf(stored.stream().map(StreamEvent::sequence).toList());
        }
    }

    /**
     * A history page reads records, then turn boundaries, in two statements: a boundary committed between
     * them (with records of its own not read) waits for the next page, behind its record, not ahead of it.
     * Here the other conversation's boundaries are all there while only its first records are.
     */
    @Test
    void aHistoryPageHoldsNoBoundaryAheadOfItsRecord() throws Exception {
        UUID source = UUID.randomUUID();
        conversations.turn(source, "hello");
        conversations.turn(source, "again");
        List<StreamEvent> stored = conversations.storedStream(source);
        UUID elsewhere = UUID.randomUUID();
        long half = stored.size() / 2;
        copyRows(source, elsewhere, 1, half, null);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement copy = connection.prepareStatement("""
                     INSERT INTO audit_turn_boundary (audit_id, conversation_id, after_seq, turn_id, stage,
                                                      payload_json, created_at)
                     SELECT -(audit_id + 1000000000), ?, after_seq, turn_id, stage, payload_json, created_at
                     FROM audit_turn_boundary WHERE conversation_id = ?""")) {
            copy.setObject(1, elsewhere);
            copy.setObject(2, source);
            assertThat(copy.executeUpdate()).as("the source's boundaries").isGreaterThanOrEqualTo(4);
        }

        List<StreamEvent> page = history.after(elsewhere, 0, 1_000);
        assertThat(page).extracting(StreamEvent::sequence).isSorted().allMatch(sequence -> sequence <= half);
        assertThat(page).filteredOn(event -> event.envelope().eventType() != StreamKind.TURN).hasSize((int) half);
        assertThat(page).as("the first turn's boundaries")
                .anyMatch(event -> event.envelope().eventType() == StreamKind.TURN);
    }

    /** Copies the source conversation's rows {@code from..to} as the other conversation's, and announces the last. */
    private void projectElsewhere(UUID source, UUID target, long from, long to) throws Exception {
        // as a projection batch announces: the newest sequence of each conversation it touched
        copyRows(source, target, from, to, UUID.randomUUID() + ":7 " + target + ":" + to + " not-an-entry");
    }

    /** Copies rows {@code from..to} (none when {@code from > to}) and sends {@code notification}, if any, in one transaction. */
    private void copyRows(UUID source, UUID target, long from, long to, String notification) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement copy = connection.prepareStatement("""
                    INSERT INTO audit_event (audit_id, conversation_id, seq, turn_id, kind, stage, payload_json,
                                             created_at, hash)
                    SELECT -(audit_id + 1000000000), ?, seq, turn_id, kind, stage, payload_json, created_at, hash
                    FROM audit_event WHERE conversation_id = ? AND seq BETWEEN ? AND ?""");
                 PreparedStatement announce = connection.prepareStatement("SELECT pg_notify('convtrail_stream', ?)")) {
                copy.setObject(1, target);
                copy.setObject(2, source);
                copy.setLong(3, from);
                copy.setLong(4, to);
                assertThat(copy.executeUpdate()).isEqualTo((int) Math.max(0, to - from + 1));
                if (notification != null) {
                    announce.setString(1, notification);
                    announce.execute();
                }
            }
            connection.commit();
        }
    }
}
