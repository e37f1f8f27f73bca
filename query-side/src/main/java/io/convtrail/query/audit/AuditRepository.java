package io.convtrail.query.audit;

import io.convtrail.api.Stage;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.query.FindConversationAuditQuery;
import io.convtrail.api.rest.AuditRow;
import io.convtrail.api.stream.StreamEvent;
import io.convtrail.api.stream.StreamKind;
import io.convtrail.query.json.IsoInstants;
import io.convtrail.query.json.StoredInstants;
import io.convtrail.query.projection.CopyRows;
import io.convtrail.query.projection.KeyOrderReads;
import io.convtrail.query.projection.NewRows;
import io.convtrail.query.projection.SqlArrays;
import io.convtrail.query.stream.StreamHistory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one owner of the raw-audit read model's SQL: {@code audit_event} (one row per stage or verbose
 * record) and {@code audit_turn_boundary} (the stream's turn boundaries). The projection writes
 * through it; the audit endpoint, the live streams' history and the chain verifier read through it.
 */
@Repository
public class AuditRepository implements StreamHistory {

    /** What a stored row holds. */
    public record StoredEvent(long auditId, UUID conversationId, long sequence, UUID turnId, StreamKind kind,
                              String stage, String payloadJson, Instant createdAt, String hash) {
    }

    /** A stored row as the chain verifier recomputes its hash. */
    public record ChainRow(long sequence, StreamKind kind, String stage, String payloadJson, Instant createdAt) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final StreamEnvelopes envelopes;
    private final NewRows newRows;
    private final KeyOrderReads reads;

    public AuditRepository(JdbcClient jdbc, JdbcTemplate template, StreamEnvelopes envelopes, NewRows newRows,
                           KeyOrderReads reads) {
        this.jdbc = jdbc;
        this.template = template;
        this.envelopes = envelopes;
        this.newRows = newRows;
        this.reads = reads;
    }

    /** A turn boundary to store: {@code auditId} is the turn event's global index. */
    public record NewBoundary(long auditId, UUID conversationId, UUID turnId, String stage, String payloadJson,
                              Instant at) {
    }

    /**
     * Inserts the rows that are not there yet, in one statement (two where one is there already: {@link NewRows});
     * answers the auditIds it inserted.
     */
    public Set<Long> insertAll(List<StoredEvent> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        return newRows.insert(() -> insertAll(rows, ""), () -> insertAll(rows, "ON CONFLICT DO NOTHING"));
    }

    private Set<Long> insertAll(List<StoredEvent> rows, String onConflict) {
        return new HashSet<>(jdbc.sql("""
                        INSERT INTO audit_event (audit_id, conversation_id, seq, turn_id, kind, stage, payload_json,
                                                 created_at, hash)
                        SELECT * FROM unnest(CAST(:auditIds AS bigint[]), CAST(:conversationIds AS uuid[]),
                                             CAST(:seqs AS bigint[]), CAST(:turnIds AS uuid[]), CAST(:kinds AS text[]),
                                             CAST(:stages AS text[]), CAST(:payloads AS text[]),
                                             CAST(:createdAts AS timestamptz[]), CAST(:hashes AS text[]))
                        %s
                        RETURNING audit_id""".formatted(onConflict))
                .param("auditIds", SqlArrays.of("bigint", rows, StoredEvent::auditId))
                .param("conversationIds", SqlArrays.of("uuid", rows, StoredEvent::conversationId))
                .param("seqs", SqlArrays.of("bigint", rows, StoredEvent::sequence))
                .param("turnIds", SqlArrays.of("uuid", rows, StoredEvent::turnId))
                .param("kinds", SqlArrays.of("text", rows, row -> row.kind().name()))
                .param("stages", SqlArrays.of("text", rows, StoredEvent::stage))
                .param("payloads", SqlArrays.of("text", rows, StoredEvent::payloadJson))
                .param("createdAts", SqlArrays.of("text", rows, row -> row.createdAt()))
                .param("hashes", SqlArrays.of("text", rows, StoredEvent::hash))
                .query(Long.class)
                .list());
    }

    /** Copies in rows new to the table ({@link CopyRows}: a replay's), failing if one is there already. */
    public void copyAll(List<StoredEvent> rows) {
        CopyRows copy = new CopyRows("audit_event (audit_id, conversation_id, seq, turn_id, kind, stage, "
                + "payload_json, created_at, hash)", 9);
        for (StoredEvent row : rows) {
            copy.row().bigint(row.auditId()).uuid(row.conversationId()).bigint(row.sequence()).uuid(row.turnId())
                    .text(row.kind().name()).text(row.stage()).text(row.payloadJson()).timestamptz(row.createdAt())
                    .text(row.hash());
        }
        copy.copyInto(template);
    }

    /**
     * Stores the turn boundaries that are not there yet, in one statement, each after the
     * conversation's last record before it (by global index: the records stored with it count too);
     * answers the new ones' stream positions (after which record each goes), by auditId.
     */
    public Map<Long, Long> insertBoundaries(List<NewBoundary> boundaries) {
        if (boundaries.isEmpty()) {
            return Map.of();
        }
        Map<Long, Long> inserted = new HashMap<>();
        jdbc.sql("""
                        INSERT INTO audit_turn_boundary (audit_id, conversation_id, after_seq, turn_id, stage,
                                                         payload_json, created_at)
                        SELECT b.audit_id, b.conversation_id,
                               COALESCE((SELECT e.seq FROM audit_event e
                                         WHERE e.conversation_id = b.conversation_id AND e.audit_id < b.audit_id
                                         ORDER BY e.audit_id DESC LIMIT 1), 0),
                               b.turn_id, b.stage, b.payload_json, b.created_at
                        FROM unnest(CAST(:auditIds AS bigint[]), CAST(:conversationIds AS uuid[]),
                                    CAST(:turnIds AS uuid[]), CAST(:stages AS text[]), CAST(:payloads AS text[]),
                                    CAST(:createdAts AS timestamptz[]))
                             AS b(audit_id, conversation_id, turn_id, stage, payload_json, created_at)
                        ON CONFLICT DO NOTHING
                        RETURNING audit_id, after_seq""")
                .param("auditIds", SqlArrays.of("bigint", boundaries, NewBoundary::auditId))
                .param("conversationIds", SqlArrays.of("uuid", boundaries, NewBoundary::conversationId))
                .param("turnIds", SqlArrays.of("uuid", boundaries, NewBoundary::turnId))
                .param("stages", SqlArrays.of("text", boundaries, NewBoundary::stage))
                .param("payloads", SqlArrays.of("text", boundaries, NewBoundary::payloadJson))
                .param("createdAts", SqlArrays.of("text", boundaries, boundary -> boundary.at()))
                .query(rs -> {
                    inserted.put(rs.getLong(1), rs.getLong(2));
                });
        return inserted;
    }

    public List<AuditRow> findAudit(FindConversationAuditQuery q) {
        ContentOpener opener = envelopes.opener(q.conversationId());
        return readAudit(q).stream().map(row -> new AuditRow(row.auditId(), q.conversationId(), row.stage(),
                opener.stagePayload(row.payloadUtf8() == null ? null
                        : new String(row.payloadUtf8(), StandardCharsets.UTF_8)),
                IsoInstants.format(row.createdAt()))).toList();
    }

    /** An audit row as stored: the payload's UTF-8 straight from the driver, sealed values still sealed. */
    public record StoredAuditRow(long auditId, Stage stage, byte[] payloadUtf8, Instant createdAt) {
    }

    /**
     * The audit rows of a query in auditId order, as stored: no {@code String} is made of a payload, so an
     * answer can copy it without decoding and encoding it again. Read along the primary key, in binary
     * ({@link KeyOrderReads}).
     */
    public List<StoredAuditRow> readAudit(FindConversationAuditQuery q) {
        String stage = q.stage() == null ? null : q.stage().name();
        return reads.inKeyOrder(() -> reads.inBinary("""
                        SELECT audit_id, stage, payload_json, created_at
                        FROM audit_event
                        WHERE conversation_id = ? AND kind = ?
                          AND audit_id > ? AND (CAST(? AS text) IS NULL OR stage = ?)
                        ORDER BY audit_id
                        LIMIT ?""",
                (rs, i) -> new StoredAuditRow(rs.getLong(1), Stage.valueOf(rs.getString(2)), rs.getBytes(3),
                        StoredInstants.read(rs, 4)),
                q.conversationId(), StreamKind.AUDIT.name(), q.afterAuditId() == null ? -1L : q.afterAuditId(),
                stage, stage, q.limit() == null ? Integer.MAX_VALUE : q.limit()));
    }

    @Override
    public List<StreamEvent> after(UUID conversationId, long afterSequence, int limit) {
        ContentOpener opener = envelopes.opener(conversationId);
        List<StreamEvent> records = jdbc.sql("""
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
                    return new StreamEvent(conversationId, rs.getLong(2),
                            StreamKind.valueOf(rs.getString(3)) == StreamKind.VERBOSE
                                    ? envelopes.verbose(opener, payload, createdAt)
                                    : envelopes.audit(opener, rs.getLong(1), rs.getString(4), payload, createdAt));
                })
                .list();
        // only boundaries whose record this page holds or an earlier one sent: read in a second statement, a
        // boundary committed after the records were read would otherwise go out ahead of its own record
        long lastRecord = records.isEmpty() ? afterSequence : records.get(records.size() - 1).sequence();
        long upTo = records.size() < limit ? lastRecord : lastRecord - 1;
        List<StreamEvent> boundaries = boundaries(opener, conversationId, afterSequence, upTo);
        if (boundaries.isEmpty()) {
            return records;
        }
        List<StreamEvent> merged = new ArrayList<>(records.size() + boundaries.size());
        merged.addAll(boundaries);
        merged.addAll(records);
        // a boundary goes after the record of its sequence: stable sort on (sequence, record before boundary)
        merged.sort(Comparator.comparingLong(StreamEvent::sequence)
                .thenComparing(e -> e.envelope().eventType() == StreamKind.TURN));
        return merged;
    }

    private List<StreamEvent> boundaries(ContentOpener opener, UUID conversationId, long fromSequence,
                                         long upToSequence) {
        return jdbc.sql("""
                        SELECT audit_id, after_seq, stage, payload_json, created_at
                        FROM audit_turn_boundary
                        WHERE conversation_id = :conversationId AND after_seq >= :from AND after_seq <= :upTo
                        ORDER BY after_seq, audit_id""")
                .param("conversationId", conversationId)
                .param("from", fromSequence)
                .param("upTo", upToSequence)
                .query((rs, i) -> new StreamEvent(conversationId, rs.getLong(2), envelopes.turn(opener, rs.getLong(1),
                        rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant())))
                .list();
    }

    @Override
    public long head(UUID conversationId) {
        return lastSequence(conversationId);
    }

    /** The conversation's highest stored stream position, 0 when it has none. */
    public long lastSequence(UUID conversationId) {
        return jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM audit_event WHERE conversation_id = :conversationId")
                .param("conversationId", conversationId)
                .query(Long.class)
                .single();
    }

    /** Every stored record of the conversation, for the chain verifier. */
    public List<ChainRow> chainRows(UUID conversationId) {
        return jdbc.sql("SELECT seq, kind, stage, payload_json, created_at FROM audit_event WHERE conversation_id = ?")
                .param(conversationId)
                .query((rs, i) -> new ChainRow(rs.getLong(1), StreamKind.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant()))
                .list();
    }

    /** Empties the read model before a rebuild. */
    public void clear() {
        jdbc.sql("TRUNCATE audit_event, audit_turn_boundary").update();
    }
}
