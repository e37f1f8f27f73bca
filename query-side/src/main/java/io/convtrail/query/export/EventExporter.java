package io.convtrail.query.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.event.StageRecordedEvent;
import io.convtrail.api.event.TurnStartedEvent;
import io.convtrail.api.event.VerboseRecordedEvent;
import io.convtrail.api.export.ExportSummary;
import io.convtrail.api.privacy.ConversationKeys;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes the event store's records as NDJSON export lines, straight from a database cursor: rows are
 * fetched {@value #FETCH_SIZE} at a time inside one read-only transaction (PostgreSQL only honours a
 * fetch size outside auto-commit) and written as they come, so an export of any size keeps the heap
 * flat. It reads the event store, not the read models: the export is the record itself.
 */
@Component
public class EventExporter {

    static final int FETCH_SIZE = 500;

    static final String STARTED = TurnStartedEvent.class.getName();
    static final String STAGE = StageRecordedEvent.class.getName();
    static final String VERBOSE = VerboseRecordedEvent.class.getName();

    private static final String COLUMNS = "SELECT globalindex, aggregateidentifier, sequencenumber, payloadtype, "
            + "payloadrevision, payload FROM domainevententry ";
    private static final String KINDS = "payloadtype IN ('" + STARTED + "', '" + STAGE + "', '" + VERBOSE + "') ";

    private final JdbcTemplate cursor;
    private final TransactionTemplate readOnly;
    private final Serializer serializer;
    private final ObjectMapper json;
    private final Clock clock;
    private final ConversationKeys keys;

    public EventExporter(DataSource dataSource, PlatformTransactionManager transactions,
                         @Qualifier("eventSerializer") Serializer serializer, ObjectMapper json, Clock clock,
                         ConversationKeys keys) {
        this.keys = keys;
        this.cursor = new JdbcTemplate(dataSource);
        this.cursor.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.serializer = serializer;
        this.json = json;
        this.clock = clock;
    }

    public boolean exists(UUID conversationId) {
        return Boolean.TRUE.equals(cursor.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM domainevententry WHERE aggregateidentifier = ?)", Boolean.class,
                conversationId.toString()));
    }

    /** Every record of one conversation in order, then its summary (count and chain head); answers the count. */
    public long conversation(UUID conversationId, OutputStream out) throws IOException {
        ExportSession session = new ExportSession(cursor, serializer, json, keys, out);
        run(() -> cursor.query(COLUMNS + "WHERE aggregateidentifier = ? AND " + KINDS + "ORDER BY sequencenumber",
                session::row, conversationId.toString()));
        session.write(new ExportSummary(ExportSummary.TYPE, conversationId, session.records(),
                session.head(conversationId), null, session.lastPosition(), clock.instant().toString()));
        session.flush();
        return session.records();
    }

    /**
     * Every conversation with an event in [from, to), whole (so each chain verifies from its first
     * record), in global order, from the position after {@code after}; then a summary of this response.
     * Answers the number of records written.
     */
    public long window(Instant from, Instant to, long after, OutputStream out) throws IOException {
        ExportSession session = new ExportSession(cursor, serializer, json, keys, out);
        run(() -> cursor.query(COLUMNS + "WHERE globalindex > ? AND " + KINDS + "AND aggregateidentifier IN ("
                        + "SELECT aggregateidentifier FROM domainevententry "
                        + "WHERE timestamp::timestamptz >= ? AND timestamp::timestamptz < ?) ORDER BY globalindex",
                session::row, after, Timestamp.from(from), Timestamp.from(to)));
        session.write(new ExportSummary(ExportSummary.TYPE, null, session.records(), null, after,
                session.lastPosition(), clock.instant().toString()));
        session.flush();
        return session.records();
    }

    private void run(Runnable query) throws IOException {
        try {
            readOnly.executeWithoutResult(status -> query.run());
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the client went away; the transaction (and its cursor) is closed
        }
    }
}
