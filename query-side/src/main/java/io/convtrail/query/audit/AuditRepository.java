package io.convtrail.query.audit;

import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.api.stream.StreamEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** SQL of the {@code audit_event} read model: one row per stage or verbose record. */
@Repository
public class AuditRepository {

    /** What a stored row holds. {@code kind} is AUDIT or VERBOSE. */
    public record StoredEvent(long auditId, UUID conversationId, long sequence, UUID turnId, String kind,
                              String stage, String payloadJson, Instant createdAt, String hash) {
    }

    private final JdbcClient jdbc;
    private final StreamEnvelopes envelopes;

    public AuditRepository(JdbcClient jdbc, StreamEnvelopes envelopes) {
        this.jdbc = jdbc;
        this.envelopes = envelopes;
    }

    /** Inserts the row unless it is already there; answers whether it was new. */
    public boolean insert(StoredEvent e) {
        return jdbc.sql("""
                        INSERT INTO audit_event (audit_id, conversation_id, seq, turn_id, kind, stage, payload_json,
                                                 created_at, hash)
                        VALUES (:auditId, :conversationId, :seq, :turnId, :kind, :stage, :payloadJson, :createdAt, :hash)
                        ON CONFLICT DO NOTHING""")
                .param("auditId", e.auditId())
                .param("conversationId", e.conversationId())
                .param("seq", e.sequence())
                .param("turnId", e.turnId())
                .param("kind", e.kind())
                .param("stage", e.stage())
                .param("payloadJson", e.payloadJson())
                .param("createdAt", Timestamp.from(e.createdAt()))
                .param("hash", e.hash())
                .update() == 1;
    }

    public List<AuditRow> findAudit(FindConversationAuditQuery q) {
        ContentOpener opener = envelopes.opener(q.conversationId());
        return jdbc.sql("""
                        SELECT audit_id, conversation_id, stage, payload_json, created_at
                        FROM audit_event
                        WHERE conversation_id = :conversationId AND kind = 'AUDIT'
                          AND audit_id > :after AND (CAST(:stage AS text) IS NULL OR stage = :stage)
                        ORDER BY audit_id
                        LIMIT :limit""")
                .param("conversationId", q.conversationId())
                .param("after", q.afterAuditId() == null ? -1L : q.afterAuditId())
                .param("stage", q.stage())
                .param("limit", q.limit() == null ? Integer.MAX_VALUE : q.limit())
                .query((rs, i) -> new AuditRow(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                        opener.stagePayload(rs.getString(4)), rs.getTimestamp(5).toInstant().toString()))
                .list();
    }

    public List<StreamEvent> findStream(UUID conversationId, long afterSequence, int limit) {
        ContentOpener opener = envelopes.opener(conversationId);
        return jdbc.sql("""
                        SELECT audit_id, seq, kind, stage, payload_json, created_at
                        FROM audit_event
                        WHERE conversation_id = :conversationId AND seq > :after
                        ORDER BY seq
                        LIMIT :limit""")
                .param("conversationId", conversationId)
                .param("after", afterSequence)
                .param("limit", limit)
                .query((rs, i) -> {
                    Instant createdAt = rs.getTimestamp(6).toInstant();
                    String payload = rs.getString(5);
                    return new StreamEvent(conversationId, rs.getLong(2), "VERBOSE".equals(rs.getString(3))
                            ? envelopes.verbose(opener, payload, createdAt)
                            : envelopes.audit(opener, rs.getLong(1), rs.getString(4), payload, createdAt));
                })
                .list();
    }

    /** The conversation's highest stored stream position, 0 when it has none. */
    public long lastSequence(UUID conversationId) {
        return jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM audit_event WHERE conversation_id = :conversationId")
                .param("conversationId", conversationId)
                .query(Long.class)
                .single();
    }
}
