package io.convtrail.query.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.export.ExportSummary;
import io.convtrail.api.privacy.ConversationKeys;
import io.convtrail.query.store.EventPositions;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes the event store's records as NDJSON export lines, straight from a database cursor
 * ({@link EventPositions}): rows are fetched a page at a time inside one read-only transaction
 * (PostgreSQL only honours a fetch size outside auto-commit) and written as they come, so an export of
 * any size keeps the heap flat. It reads the event store, not the read models: the export is the record itself.
 */
@Component
public class EventExporter {

    private final EventPositions events;
    private final TransactionTemplate readOnly;
    private final Serializer serializer;
    private final ObjectMapper json;
    private final Clock clock;
    private final ConversationKeys keys;

    public EventExporter(EventPositions events, PlatformTransactionManager transactions,
                         @Qualifier("eventSerializer") Serializer serializer, ObjectMapper json, Clock clock,
                         ConversationKeys keys) {
        this.events = events;
        this.keys = keys;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.serializer = serializer;
        this.json = json;
        this.clock = clock;
    }

    public boolean exists(UUID conversationId) {
        return events.exists(conversationId);
    }

    /** Every record of one conversation in order, then its summary (count and chain head); answers the count. */
    public long conversation(UUID conversationId, OutputStream out) throws IOException {
        ExportSession session = new ExportSession(events, serializer, json, keys, out);
        run(() -> events.exportRowsOf(conversationId, session::row));
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
        return export(after, out, session -> events.exportRowsBetween(from, to, after, session::row));
    }

    /**
     * Every conversation the store holds when the read begins, whole, in global order, from the position
     * after {@code after}; then a summary of this response. Answers the number of records written.
     */
    public long all(long after, OutputStream out) throws IOException {
        return export(after, out, session -> events.exportRowsAfter(after, session::row));
    }

    private long export(long after, OutputStream out, Consumer<ExportSession> rows) throws IOException {
        ExportSession session = new ExportSession(events, serializer, json, keys, out);
        run(() -> rows.accept(session));
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
