package io.convtrail.query.export;

import io.convtrail.api.event.TurnStartedEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A person's conversations, for subject-access requests (export or erasure per person): the
 * conversations whose first turn the subject posted, read from the event store (the owner is in the
 * first {@code TurnStartedEvent}), so the answer does not depend on any read model. It scans the
 * conversations' first events: a rare compliance request, not worth an index on every write.
 */
@Component
public class SubjectConversations {

    /** One conversation of the subject: when it began, when it last changed, how many events it holds. */
    public record Conversation(UUID conversationId, Instant startedAt, Instant lastEventAt, long events) {
    }

    private final JdbcClient jdbc;

    public SubjectConversations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Conversation> of(String subject) {
        return jdbc.sql("SELECT f.aggregateidentifier, f.timestamp, l.timestamp, l.sequencenumber + 1 "
                        + "FROM domainevententry f CROSS JOIN LATERAL (SELECT timestamp, sequencenumber "
                        + "  FROM domainevententry x WHERE x.aggregateidentifier = f.aggregateidentifier "
                        + "  ORDER BY sequencenumber DESC LIMIT 1) l "
                        + "WHERE f.sequencenumber = 0 AND f.payloadtype = :type "
                        + "AND convert_from(f.payload, 'UTF8')::jsonb ->> 'owner' = :subject ORDER BY f.globalindex")
                .param("type", TurnStartedEvent.class.getName())
                .param("subject", subject)
                .query((rs, row) -> new Conversation(UUID.fromString(rs.getString(1)), Instant.parse(rs.getString(2)),
                        Instant.parse(rs.getString(3)), rs.getLong(4)))
                .list();
    }
}
