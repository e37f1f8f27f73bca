package io.convtrail.query.store;

import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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

    /**
     * A window's step (a), parameters {@link #windowParameters}: its conversations, with the global index of
     * the earliest first event and the latest last event among them, each probed on the (aggregate, sequence)
     * key (a conversation's events take rising global indexes). One row; nulls when the window holds no event.
     * The events are found on V62's BRIN index of Axon's {@code timestamp} text in "C" order, by the window's
     * whole seconds as text, then kept by the exact time: right for any UTC ISO-8601 text, Axon's fixed
     * three-digit fraction or one without trailing zeros. Public so a test can check its plan.
     */
    public static final String WINDOW_CONVERSATIONS = """
            SELECT min(f.globalindex), max(l.globalindex), array_agg(w.aggregateidentifier)
            FROM (SELECT DISTINCT aggregateidentifier FROM domainevententry
                  WHERE timestamp COLLATE "C" >= ? AND timestamp COLLATE "C" < ?
                    AND timestamp::timestamptz >= ? AND timestamp::timestamptz < ?) w
            CROSS JOIN LATERAL (SELECT globalindex FROM domainevententry e WHERE e.aggregateidentifier = w.aggregateidentifier
                                ORDER BY e.sequencenumber LIMIT 1) f
            CROSS JOIN LATERAL (SELECT globalindex FROM domainevententry e WHERE e.aggregateidentifier = w.aggregateidentifier
                                ORDER BY e.sequencenumber DESC LIMIT 1) l""";

    /** The text of a whole second up to its seconds ({@code 2026-12-03T07:21:23}), as Instant.toString() begins. */
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final Instant FIRST_FOUR_DIGIT_YEAR = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST_FOUR_DIGIT_YEAR = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * A window's step (b), parameters: after (exclusive), last (inclusive) and the conversations (varchar[]).
     * One range scan of the primary key in global order. {@code IS TRUE} keeps the planner from turning the
     * {@code IN} into a join (whose hash or sort would come before the first row): it stays a hashed filter
     * on the scan, so rows stream on the cursor. Public so a test can check its plan.
     */
    public static final String WINDOW_ROWS = EXPORT_COLUMNS + "WHERE globalindex > ? AND globalindex <= ? AND " + EXPORTED
            + "AND (aggregateidentifier IN (SELECT unnest(?::varchar[]))) IS TRUE ORDER BY globalindex";

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
        cursor.query(inBinary(EXPORT_COLUMNS + "WHERE aggregateidentifier = ? AND " + EXPORTED
                + "ORDER BY sequencenumber", conversationId.toString()), rows);
    }

    /**
     * Every exported event in the store, in global order after {@code after}: the whole store as the
     * statement sees it when it begins. Read along the primary key, so rows come back at once.
     */
    public void exportRowsAfter(long after, RowCallbackHandler rows) {
        cursor.query(inBinary(EXPORT_COLUMNS + "WHERE globalindex > ? AND " + EXPORTED + "ORDER BY globalindex", after),
                rows);
    }

    /**
     * Every exported event, in global order after {@code after}, of the conversations with an event in
     * [from, to), whole (so each chain verifies from its first record), as export rows. Two statements in
     * the caller's transaction, so the first row comes after a read of the window, not of the store:
     * {@link #WINDOW_CONVERSATIONS}, then {@link #WINDOW_ROWS} over the global range they span. An empty
     * window runs the first only. Events a window conversation gains between the two (past its last
     * event as the first saw it) are left to a continuation by {@code after}.
     */
    public void exportRowsBetween(Instant from, Instant to, long after, RowCallbackHandler rows) {
        // the planner's cost for a wide window runs high (it expects most of the window's events to be
        // conversations of their own), past PostgreSQL's JIT thresholds: it compiled first, for rows cheap to
        // read (an 8-hour window of 3.7 million events, measured on V62's first, function index: first row after
        // 2.1 s with JIT, 1.3 s without)
        jdbc.sql("SET LOCAL jit = off").update();
        Optional<WindowSpan> window = jdbc.sql(WINDOW_CONVERSATIONS)
                .params(windowParameters(from, to))
                .query((rs, row) -> rs.getObject(1) == null ? null
                        : new WindowSpan(rs.getLong(1), rs.getLong(2), (String[]) rs.getArray(3).getArray()))
                .optional();
        if (window.isEmpty() || after >= window.get().last()) {
            return;
        }
        WindowSpan span = window.get();
        cursor.query(inBinary(WINDOW_ROWS, Math.max(after, span.first() - 1), span.last(), span.conversations()), rows);
    }

    /**
     * {@link #WINDOW_CONVERSATIONS}'s parameters for [from, to): text bounds that hold every event of the
     * window's seconds, from the start of {@code from}'s second to the end of {@code to}'s, then the exact
     * times. Every stored time is UTC ISO-8601 text in a four-digit year, so text compares with it up to the
     * second; a bound beyond those years is the empty text or one above every digit.
     */
    public static Object[] windowParameters(Instant from, Instant to) {
        return new Object[] {secondText(from), secondText(to.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)),
                OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.ofInstant(to, ZoneOffset.UTC)};
    }

    private static String secondText(Instant at) {
        if (at.isBefore(FIRST_FOUR_DIGIT_YEAR)) {
            return "";
        }
        return at.isAfter(LAST_FOUR_DIGIT_YEAR) ? "~" : SECOND.format(at);
    }

    /**
     * A window's conversations: the global index of the earliest first event and of the latest last
     * event among them, and their ids.
     */
    private record WindowSpan(long first, long last, String[] conversations) {
    }

    /**
     * Up to {@code limit} events after {@code after}, in global order, with every column a message is
     * built from: (globalindex, eventidentifier, aggregateidentifier, sequencenumber, type, timestamp,
     * payloadtype, payloadrevision, payload, metadata). A rebuild reads the store this way, in large pages.
     */
    public void pageAfter(long after, int limit, RowCallbackHandler rows) {
        cursor.query(inBinary(PAGE, after, limit), rows);
    }

    /**
     * A read of stored events with its rows in PostgreSQL's binary format: the payload and metadata (bytea)
     * arrive as they are stored, not hex-encoded by the server (twice the bytes on the wire) and decoded by
     * the driver (both ~2 % of a rebuild's CPU; the driver's hex decoding alone 10.5 % of an export's). A
     * negative threshold is the driver's switch for it: one more round trip per statement, to describe the
     * columns. Every column these reads take is read the same way in either format (numbers, text, bytea).
     * A {@code String[]} parameter goes as a {@code varchar[]}.
     */
    private static PreparedStatementCreator inBinary(String sql, Object... parameters) {
        return connection -> {
            PreparedStatement select = connection.prepareStatement(sql);
            select.unwrap(PGStatement.class).setPrepareThreshold(-1);
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                select.setObject(i + 1, parameter instanceof String[] texts
                        ? connection.createArrayOf("varchar", texts) : parameter);
            }
            return select;
        };
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
