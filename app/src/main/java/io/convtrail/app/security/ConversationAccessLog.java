package io.convtrail.app.security;

import io.convtrail.api.security.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who read which conversation when, through which endpoint or stream: every read by an auditor or an
 * admin, for compliance reviews. Owner of {@code conversation_access}. Not a projection: it records
 * reads, not events, so a rebuild leaves it alone.
 */
@Component
class ConversationAccessLog {

    /** One recorded read. */
    record Access(String subject, List<String> roles, String channel, String endpoint, Instant accessedAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    ConversationAccessLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void record(UUID conversationId, String subject, Set<Role> roles, Channel channel, String endpoint) {
        jdbc.sql("INSERT INTO conversation_access (conversation_id, subject, roles, channel, endpoint, accessed_at) "
                        + "VALUES (:conversation, :subject, :roles, :channel, :endpoint, :at)")
                .param("conversation", conversationId)
                .param("subject", subject)
                .param("roles", roles.stream().map(Role::claimValue).collect(Collectors.joining(",")))
                .param("channel", channel.tag())
                .param("endpoint", endpoint)
                .param("at", Timestamp.from(clock.instant()))
                .update();
    }

    List<Access> of(UUID conversationId) {
        return jdbc.sql("SELECT subject, roles, channel, endpoint, accessed_at FROM conversation_access "
                        + "WHERE conversation_id = :conversation ORDER BY id")
                .param("conversation", conversationId)
                .query((rs, row) -> new Access(rs.getString(1), List.of(rs.getString(2).split(",")),
                        rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant()))
                .list();
    }
}
