package io.convtrail.query.store;

import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one owner of SQL on Axon's event table ({@code domainevententry}); every other package asks it.
 * Above all it answers the global index of an event: the auditId every read model keys its rows by.
 * The projections' stream stamps it on most events ({@link PositionedEvents}); it is read from the store
 * for the rest: an event delivered late to fill a gap (a concurrent transaction committed after a later
 * one) carries a token whose position is the highest index seen so far, not its own, and the stream reads
 * its index off the tokens only where they tell it for sure (a gap filled less than the gap offset behind),
 * and an event handled outside a tracking processor (a quarantine retry) has no token. It also streams the
 * records an export writes, on a database cursor
 * ({@value #FETCH_SIZE} rows at a time; PostgreSQL honours a fetch size only inside a transaction,
 * which the caller holds).
 */
@Component
public class EventPositions {

    public static final int FETCH_SIZE = 500;

    private static final String STARTED = TurnStartedEvent.class.getName();
    private static final String STAGE = StageRecordedEvent.class.getName();
    private static final String VERBOSE = VerboseRecordedEvent.class.getName();
    /** The columns an export row has, in this order. */
    private static final String EXPORT_COLUMNS = "SELECT globalindex, aggregateidentifier, sequencenumber, "
            + "payloadtype, payloadrevision, payload FROM domainevententry ";
    private static final String EXPORTED = "payloadtype IN ('" + STARTED + "', '" + STAGE + "', '" + VERBOSE + "') ";

    /** One conversation of a subject: when it began, when it last changed, how many events it holds. */
    public record ConversationSpan(UUID conversationId, Instant startedAt, Instant lastEventAt, long events) {
    }

    /** A rebuild's page: the events after a global index, in its order. */
    private static final String PAGE = """
            SELECT globalindex, eventidentifier, aggregateidentifier, sequencenumber, type, timestamp,
                   payloadtype, payloadrevision, payload, metadata
            FROM domainevententry WHERE globalindex > ? ORDER BY globalindex LIMIT ?""";

    private final JdbcClient jdbc;
    private final JdbcTemplate cursor;

    public EventPositions(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.cursor = new JdbcTemplate(dataSource);
        this.cursor.setFetchSize(FETCH_SIZE);
    }

    /** The event's global index: the one {@link PositionedEvents} stamped on it, else read from the store. */
    public long globalIndex(Long stamped, UUID conversationId, long aggregateSequence) {
        return stamped != null ? stamped : globalIndex(conversationId, aggregateSequence);
    }

    public long globalIndex(UUID conversationId, long aggregateSequence) {
        return jdbc.sql("""
                        SELECT globalindex FROM domainevententry
                        WHERE aggregateidentifier = :aggregateId AND sequencenumber = :sequence""")
                .param("aggregateId", conversationId.toString())
                .param("sequence", aggregateSequence)
                .query(Long.class)
                .single();
    }

    /**
     * The global index of the conversation's newest event (its head) of a type other than
     * {@code ignoredTypes}, empty when it has none. Walks the conversation's events backwards on the
     * (aggregate, sequence) key, so it reads a row or a few.
     */
    public Optional<Long> head(UUID conversationId, Collection<String> ignoredTypes) {
        return jdbc.sql("""
                        SELECT globalindex FROM domainevententry
                        WHERE aggregateidentifier = :aggregateId AND NOT (payloadtype = ANY (string_to_array(:ignored, ',')))
                        ORDER BY sequencenumber DESC LIMIT 1""")
                .param("aggregateId", conversationId.toString())
                .param("ignored", String.join(",", ignoredTypes))
                .query(Long.class)
                .optional();
    }

    /** When the first event after {@code position} was stored; empty when there is none (caught up). */
    public Optional<Instant> storedAfter(long position) {
        return jdbc.sql("SELECT timestamp FROM domainevententry WHERE globalindex > :at ORDER BY globalindex LIMIT 1")
                .param("at", position)
                .query(String.class)
                .optional()
                .map(Instant::parse);
    }

    /**
     * The global index of an aggregate's event, empty when it is not stored. Found on the
     * (aggregate, sequence) key: the table has no index on the event identifier (V61).
     */
    public Optional<Long> globalIndexOf(String aggregateIdentifier, long aggregateSequence) {
        return jdbc.sql("""
                        SELECT globalindex FROM domainevententry
                        WHERE aggregateidentifier = :aggregateId AND sequencenumber = :sequence""")
                .param("aggregateId", aggregateIdentifier)
                .param("sequence", aggregateSequence)
                .query(Long.class)
                .optional();
    }

    public boolean exists(UUID conversationId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM domainevententry WHERE aggregateidentifier = :aggregateId)")
                .param("aggregateId", conversationId.toString())
                .query(Boolean.class)
                .single();
    }

    /** The serialized payload of the conversation's first event (its first turn's start), empty before it. */
    public Optional<byte[]> firstPayload(UUID conversationId) {
        return jdbc.sql("SELECT payload FROM domainevententry WHERE aggregateidentifier = :id AND sequencenumber = 0")
                .param("id", conversationId.toString())
                .query((rs, row) -> rs.getBytes(1))
                .optional();
    }

    /** Every exported event (turn starts and records) of one conversation, in order, as export rows. */
    public void exportRowsOf(UUID conversationId, RowCallbackHandler rows) {
        cursor.query(EXPORT_COLUMNS + "WHERE aggregateidentifier = ? AND " + EXPORTED + "ORDER BY sequencenumber",
                rows, conversationId.toString());
    }

    /**
     * Every exported event in the store, in global order after {@code after}: the whole store as the
     * statement sees it when it begins. Read along the primary key, so rows come back at once; the window
     * below must first read every event to find its conversations (36 s for 3.7 million events, more than
     * the driver's socket timeout before the first row).
     */
    public void exportRowsAfter(long after, RowCallbackHandler rows) {
        cursor.query(EXPORT_COLUMNS + "WHERE globalindex > ? AND " + EXPORTED + "ORDER BY globalindex", rows, after);
    }

    /**
     * Every exported event, in global order after {@code after}, of the conversations with an event in
     * [from, to), whole (so each chain verifies from its first record), as export rows.
     */
    public void exportRowsBetween(Instant from, Instant to, long after, RowCallbackHandler rows) {
        cursor.query(EXPORT_COLUMNS + "WHERE globalindex > ? AND " + EXPORTED + "AND aggregateidentifier IN ("
                        + "SELECT aggregateidentifier FROM domainevententry "
                        + "WHERE timestamp::timestamptz >= ? AND timestamp::timestamptz < ?) ORDER BY globalindex",
                rows, after, Timestamp.from(from), Timestamp.from(to));
    }

    /**
     * Up to {@code limit} events after {@code after}, in global order, with every column a message is
     * built from: (globalindex, eventidentifier, aggregateidentifier, sequencenumber, type, timestamp,
     * payloadtype, payloadrevision, payload, metadata). A rebuild reads the store this way, in large pages.
     */
    public void pageAfter(long after, int limit, RowCallbackHandler rows) {
        cursor.query(connection -> {
            PreparedStatement page = connection.prepareStatement(PAGE);
            // rows in PostgreSQL's binary format: the payload and metadata (bytea) arrive as they are stored,
            // not hex-encoded by the server and decoded by the driver (both ~2 % of a rebuild's CPU); a negative
            // threshold is the driver's switch for it (one more round trip per page, to describe the columns)
            page.unwrap(PGStatement.class).setPrepareThreshold(-1);
            page.setLong(1, after);
            page.setInt(2, limit);
            return page;
        }, rows);
    }

    /** The conversation's turn starts, as (payloadtype, payloadrevision, payload) rows. */
    public void turnStartsOf(UUID conversationId, RowCallbackHandler rows) {
        cursor.query("SELECT payloadtype, payloadrevision, payload FROM domainevententry "
                + "WHERE aggregateidentifier = ? AND payloadtype = ?", rows, conversationId.toString(), STARTED);
    }

    /** The record (stage or verbose) before {@code aggregateSequence}, as a (payloadtype, payloadrevision, payload) row. */
    public <T> T recordBefore(UUID conversationId, long aggregateSequence, ResultSetExtractor<T> row) {
        return cursor.query("SELECT payloadtype, payloadrevision, payload FROM domainevententry "
                + "WHERE aggregateidentifier = ? AND sequencenumber < ? AND payloadtype IN (?, ?) "
                + "ORDER BY sequencenumber DESC LIMIT 1", row, conversationId.toString(), aggregateSequence, STAGE, VERBOSE);
    }

    /**
     * The conversations whose first turn {@code subject} posted (the owner is in the first
     * {@code TurnStartedEvent}). It scans the conversations' first events: a rare compliance request,
     * not worth an index on every write.
     */
    public List<ConversationSpan> ownedBy(String subject) {
        return jdbc.sql("SELECT f.aggregateidentifier, f.timestamp, l.timestamp, l.sequencenumber + 1 "
                        + "FROM domainevententry f CROSS JOIN LATERAL (SELECT timestamp, sequencenumber "
                        + "  FROM domainevententry x WHERE x.aggregateidentifier = f.aggregateidentifier "
                        + "  ORDER BY sequencenumber DESC LIMIT 1) l "
                        + "WHERE f.sequencenumber = 0 AND f.payloadtype = :type "
                        + "AND convert_from(f.payload, 'UTF8')::jsonb ->> 'owner' = :subject ORDER BY f.globalindex")
                .param("type", STARTED)
                .param("subject", subject)
                .query((rs, row) -> new ConversationSpan(UUID.fromString(rs.getString(1)), Instant.parse(rs.getString(2)),
                        Instant.parse(rs.getString(3)), rs.getLong(4)))
                .list();
    }
}
