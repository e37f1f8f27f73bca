package io.convtrail.query.projection;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** SQL of {@code projection_quarantine}: the events each projection holds aside. */
@Repository
public class ProjectionQuarantine {

    /** Errors are kept for the operator, not as a second copy of a payload. */
    private static final int MAX_ERROR_LENGTH = 2000;

    private final JdbcClient jdbc;

    public ProjectionQuarantine(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Holds the event aside, or counts another failed attempt when it already is. */
    public void hold(QuarantinedEvent e) {
        jdbc.sql("""
                        INSERT INTO projection_quarantine (processor, event_id, global_index, conversation_id,
                            aggregate_sequence, payload_type, error, sql_state, attempts, quarantined_at, last_attempt_at)
                        VALUES (:processor, :eventId, :globalIndex, :conversationId, :aggregateSequence, :payloadType,
                                :error, :sqlState, 1, :at, :at)
                        ON CONFLICT (processor, event_id) DO UPDATE
                        SET error = EXCLUDED.error, sql_state = EXCLUDED.sql_state,
                            attempts = projection_quarantine.attempts + 1, last_attempt_at = EXCLUDED.last_attempt_at""")
                .param("processor", e.processor())
                .param("eventId", e.eventId())
                .param("globalIndex", e.globalIndex())
                .param("conversationId", e.conversationId())
                .param("aggregateSequence", e.aggregateSequence())
                .param("payloadType", e.payloadType())
                .param("error", printable(e.error()))
                .param("sqlState", e.sqlState())
                .param("at", Timestamp.from(e.lastAttemptAt()))
                .update();
    }

    /** Counts a failed retry of a held event. */
    public void failedAgain(String processor, String eventId, String error, String sqlState, Instant at) {
        jdbc.sql("""
                        UPDATE projection_quarantine
                        SET error = :error, sql_state = :sqlState, attempts = attempts + 1, last_attempt_at = :at
                        WHERE processor = :processor AND event_id = :eventId""")
                .param("processor", processor)
                .param("eventId", eventId)
                .param("error", printable(error))
                .param("sqlState", sqlState)
                .param("at", Timestamp.from(at))
                .update();
    }

    public void release(String processor, String eventId) {
        jdbc.sql("DELETE FROM projection_quarantine WHERE processor = :processor AND event_id = :eventId")
                .param("processor", processor)
                .param("eventId", eventId)
                .update();
    }

    /** Forgets everything a processor held: a rebuild applies (or holds) every event again. */
    public void releaseAll(String processor) {
        jdbc.sql("DELETE FROM projection_quarantine WHERE processor = :processor")
                .param("processor", processor)
                .update();
    }

    /** Whether the processor holds back any event of the conversation. */
    public boolean holds(String processor, UUID conversationId) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM projection_quarantine
                                       WHERE conversation_id = :conversationId AND processor = :processor)""")
                .param("conversationId", conversationId.toString())
                .param("processor", processor)
                .query(Boolean.class)
                .single();
    }

    /** The processor's held events, oldest position first. */
    public List<QuarantinedEvent> of(String processor) {
        return jdbc.sql("""
                        SELECT processor, event_id, global_index, conversation_id, aggregate_sequence, payload_type,
                               error, sql_state, attempts, quarantined_at, last_attempt_at
                        FROM projection_quarantine WHERE processor = :processor
                        ORDER BY global_index, event_id""")
                .param("processor", processor)
                .query((rs, i) -> new QuarantinedEvent(rs.getString(1), rs.getString(2),
                        rs.getObject(3, Long.class), rs.getString(4), rs.getObject(5, Long.class), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getInt(9), rs.getTimestamp(10).toInstant(),
                        rs.getTimestamp(11).toInstant()))
                .list();
    }

    /** How many events each processor holds; processors holding none are absent. */
    public Map<String, Long> counts() {
        return jdbc.sql("SELECT processor, count(*) FROM projection_quarantine GROUP BY processor")
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** PostgreSQL text cannot hold NUL, and an error quoting the offending input may contain one. */
    private static String printable(String error) {
        String text = error == null ? "" : error.replace('\u0000', '?');
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
