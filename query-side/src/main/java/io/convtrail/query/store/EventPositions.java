package io.convtrail.query.store;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * The global index of an event in the event store: the auditId every read model keys its rows by.
 * It is read from the store, not from the tracking token: an event delivered late to fill a gap (a
 * concurrent transaction committed after a later one) carries a token whose position is the highest
 * index seen so far, not its own.
 */
@Component
public class EventPositions {

    private final JdbcClient jdbc;

    public EventPositions(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    public Optional<Long> globalIndexOf(String eventIdentifier) {
        return jdbc.sql("SELECT globalindex FROM domainevententry WHERE eventidentifier = :eventId")
                .param("eventId", eventIdentifier)
                .query(Long.class)
                .optional();
    }
}
