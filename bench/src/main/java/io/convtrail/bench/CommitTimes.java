package io.convtrail.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * When each event appended after a point was committed, read from PostgreSQL itself:
 * {@code pg_xact_commit_timestamp(xmin)} of the event-store row (needs track_commit_timestamp=on,
 * which the bench's embedded PostgreSQL has). Keyed by (conversation, stream sequence) through
 * the audit read model, whose audit_id is the event's global index, and by auditId.
 */
final class CommitTimes {

    /** Epoch microseconds of the commit, or 0 when PostgreSQL does not track commit times. */
    private final Map<UUID, Map<Long, Long>> bySequence = new HashMap<>();
    private final Map<Long, Long> byAuditId = new HashMap<>();
    private final Map<UUID, Integer> eventsPerConversation = new HashMap<>();
    /** Per event: the audit row's commit minus the event's commit (how long the read model took). */
    private final LongList projectionLag = new LongList();
    private int events;

    /** Rows of audit_event joined to their event: conversation, sequence, audit id, event commit, audit row commit. */
    private static final String ROWS = """
            SELECT a.conversation_id, a.seq, a.audit_id,
                   coalesce((extract(epoch FROM pg_xact_commit_timestamp(d.xmin)) * 1000000)::bigint, 0),
                   coalesce((extract(epoch FROM pg_xact_commit_timestamp(a.xmin)) * 1000000)::bigint, 0)
            FROM audit_event a JOIN domainevententry d ON d.globalindex = a.audit_id
            """;
    /**
     * The same rows without commit times: an external server without track_commit_timestamp refuses
     * pg_xact_commit_timestamp (ERROR, not null), and the rest of a scenario still holds.
     */
    private static final String ROWS_UNTIMED = """
            SELECT a.conversation_id, a.seq, a.audit_id, 0::bigint, 0::bigint
            FROM audit_event a
            """;

    private static String rows(BenchDatabase db) throws Exception {
        return db.tracksCommitTimestamps() ? ROWS : ROWS_UNTIMED;
    }

    static CommitTimes after(BenchDatabase db, List<UUID> conversations, long afterIndex) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement(rows(db) + "WHERE a.conversation_id = ANY(?) AND a.audit_id > ?")) {
            Array ids = c.createArrayOf("uuid", conversations.stream().distinct().toArray());
            s.setArray(1, ids);
            s.setLong(2, afterIndex);
            return read(s);
        }
    }

    /**
     * Every {@code every}-th event appended after {@code afterIndex} up to {@code toIndex} (by global index) that
     * the audit projection has written: a sample of a load's events, whatever conversations it ran on.
     */
    static CommitTimes sampled(BenchDatabase db, long afterIndex, long toIndex, long every) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement(rows(db) + "WHERE a.audit_id > ? AND a.audit_id <= ? AND a.audit_id % ? = 0")) {
            s.setLong(1, afterIndex);
            s.setLong(2, toIndex);
            s.setLong(3, Math.max(1, every));
            return read(s);
        }
    }

    private static CommitTimes read(PreparedStatement s) throws Exception {
        CommitTimes times = new CommitTimes();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                UUID conversation = rs.getObject(1, UUID.class);
                long commit = rs.getLong(4);
                times.bySequence.computeIfAbsent(conversation, k -> new HashMap<>()).put(rs.getLong(2), commit);
                times.byAuditId.put(rs.getLong(3), commit);
                times.eventsPerConversation.merge(conversation, 1, Integer::sum);
                if (commit > 0 && rs.getLong(5) > 0) {
                    times.projectionLag.add(rs.getLong(5) - commit);
                }
                times.events++;
            }
        }
        return times;
    }

    long bySequence(UUID conversation, long sequence) {
        Map<Long, Long> seqs = bySequence.get(conversation);
        Long commit = seqs == null ? null : seqs.get(sequence);
        return commit == null ? 0 : commit;
    }

    long byAuditId(long auditId) {
        Long commit = byAuditId.get(auditId);
        return commit == null ? 0 : commit;
    }

    /** Event-store commit to the commit of its audit_event row: the part of stream latency spent before the push. */
    Percentiles projectionLag() {
        return Percentiles.of(projectionLag);
    }

    int events() {
        return events;
    }

    /** Events of this conversation appended in the window: what each of its subscribers should get. */
    int eventsOf(UUID conversation) {
        return eventsPerConversation.getOrDefault(conversation, 0);
    }
}
