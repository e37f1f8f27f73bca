package io.convtrail.query.index;

import io.convtrail.api.query.FindConversationsQuery;
import io.convtrail.api.rest.ConversationSummary;
import io.convtrail.query.projection.SqlArrays;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SQL of the conversation index: {@code conversation_index} (the summaries the list reads),
 * {@code conversation_index_turn} (what they are computed from) and {@code conversation_index_text}
 * (the users' messages, the model's only personal content: {@link #eraseText} empties it for a
 * conversation).
 */
@Repository
public class ConversationIndexRepository {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;

    public ConversationIndexRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** A turn start: the index row's owner, times and flow; {@code userText} null when there is none to keep. */
    public record TurnStart(UUID conversationId, UUID turnId, int turnIndex, Instant startedAt, String owner,
                            String flowId, String flowVersion, String userText) {
    }

    public record TurnEnd(UUID conversationId, UUID turnId, Instant endedAt, String outcome, String intent,
                          String state) {
    }

    public void startTurns(List<TurnStart> turns) {
        if (turns.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO conversation_index_turn (turn_id, conversation_id, turn_index, started_at)
                        SELECT * FROM unnest(CAST(:turnIds AS uuid[]), CAST(:conversationIds AS uuid[]),
                                             CAST(:indexes AS integer[]), CAST(:startedAts AS timestamptz[]))
                        ON CONFLICT DO NOTHING""")
                .param("turnIds", SqlArrays.of("uuid", turns, TurnStart::turnId))
                .param("conversationIds", SqlArrays.of("uuid", turns, TurnStart::conversationId))
                .param("indexes", SqlArrays.of("integer", turns, TurnStart::turnIndex))
                .param("startedAts", SqlArrays.of("text", turns, turn -> turn.startedAt()))
                .update();
        List<TurnStart> texts = turns.stream().filter(turn -> turn.userText() != null && !turn.userText().isEmpty())
                .toList();
        if (!texts.isEmpty()) {
            jdbc.sql("""
                            INSERT INTO conversation_index_text (turn_id, conversation_id, user_text)
                            SELECT * FROM unnest(CAST(:turnIds AS uuid[]), CAST(:conversationIds AS uuid[]),
                                                 CAST(:texts AS text[]))
                            ON CONFLICT DO NOTHING""")
                    .param("turnIds", SqlArrays.of("uuid", texts, TurnStart::turnId))
                    .param("conversationIds", SqlArrays.of("uuid", texts, TurnStart::conversationId))
                    .param("texts", SqlArrays.of("text", texts, TurnStart::userText))
                    .update();
        }
        // the flow that answered the latest turn; the owner never changes once known. One statement per turn in
        // a JDBC batch (one round trip): a multi-row upsert may not touch a conversation twice
        batch.batchUpdate("""
                        INSERT INTO conversation_index (conversation_id, owner, started_at, last_activity_at, flow_id,
                                                        flow_version)
                        VALUES (:conversationId, :owner, :startedAt, :startedAt, :flowId, :flowVersion)
                        ON CONFLICT (conversation_id) DO UPDATE
                        SET owner = COALESCE(conversation_index.owner, EXCLUDED.owner),
                            started_at = LEAST(conversation_index.started_at, EXCLUDED.started_at),
                            flow_id = CASE WHEN EXCLUDED.started_at >= conversation_index.last_activity_at
                                           THEN EXCLUDED.flow_id ELSE conversation_index.flow_id END,
                            flow_version = CASE WHEN EXCLUDED.started_at >= conversation_index.last_activity_at
                                                THEN EXCLUDED.flow_version ELSE conversation_index.flow_version END""",
                turns.stream().map(turn -> new MapSqlParameterSource()
                        .addValue("conversationId", turn.conversationId())
                        .addValue("owner", turn.owner())
                        .addValue("startedAt", Timestamp.from(turn.startedAt()))
                        .addValue("flowId", turn.flowId())
                        .addValue("flowVersion", turn.flowVersion())).toArray(SqlParameterSource[]::new));
    }

    /** Ends turns, one per turn id. */
    public void endTurns(List<TurnEnd> turns) {
        if (turns.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE conversation_index_turn t
                        SET ended_at = e.ended_at, outcome = e.outcome, intent = e.intent, state = e.state
                        FROM unnest(CAST(:turnIds AS uuid[]), CAST(:endedAts AS timestamptz[]), CAST(:outcomes AS text[]),
                                    CAST(:intents AS text[]), CAST(:states AS text[]))
                             AS e(turn_id, ended_at, outcome, intent, state)
                        WHERE t.turn_id = e.turn_id""")
                .param("turnIds", SqlArrays.of("uuid", turns, TurnEnd::turnId))
                .param("endedAts", SqlArrays.of("text", turns, turn -> turn.endedAt()))
                .param("outcomes", SqlArrays.of("text", turns, TurnEnd::outcome))
                .param("intents", SqlArrays.of("text", turns, TurnEnd::intent))
                .param("states", SqlArrays.of("text", turns, TurnEnd::state))
                .update();
    }

    /** Recomputes the conversations' summaries from their turn rows, so an event applied twice leaves them as they were. */
    public void summarize(Collection<UUID> conversationIds) {
        if (conversationIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE conversation_index c
                        SET turns = s.turns, answered = s.answered, failed = s.failed, abandoned = s.abandoned,
                            blocked = s.blocked, last_activity_at = GREATEST(c.last_activity_at, s.last_at),
                            last_intent = (SELECT intent FROM conversation_index_turn l
                                           WHERE l.conversation_id = c.conversation_id AND l.intent IS NOT NULL
                                           ORDER BY l.turn_index DESC LIMIT 1),
                            last_state = (SELECT state FROM conversation_index_turn l
                                          WHERE l.conversation_id = c.conversation_id AND l.state IS NOT NULL
                                          ORDER BY l.turn_index DESC LIMIT 1)
                        FROM (SELECT conversation_id, count(*) AS turns,
                                     count(*) FILTER (WHERE outcome = 'ANSWERED') AS answered,
                                     count(*) FILTER (WHERE outcome = 'FAILED') AS failed,
                                     count(*) FILTER (WHERE outcome = 'ABANDONED') AS abandoned,
                                     count(*) FILTER (WHERE outcome = 'BLOCKED') AS blocked,
                                     max(COALESCE(ended_at, started_at)) AS last_at
                              FROM conversation_index_turn
                              WHERE conversation_id = ANY (CAST(:ids AS uuid[]))
                              GROUP BY conversation_id) s
                        WHERE c.conversation_id = s.conversation_id""")
                .param("ids", SqlArrays.of("uuid", List.copyOf(conversationIds), id -> id))
                .update();
    }

    /** Forgets what the conversations' users typed (erasure); the rest of their summaries stays. */
    public void eraseTexts(Collection<UUID> conversationIds) {
        if (conversationIds.isEmpty()) {
            return;
        }
        jdbc.sql("DELETE FROM conversation_index_text WHERE conversation_id = ANY (CAST(:ids AS uuid[]))")
                .param("ids", SqlArrays.of("uuid", List.copyOf(conversationIds), id -> id))
                .update();
    }

    public void truncate() {
        jdbc.sql("TRUNCATE conversation_index, conversation_index_turn, conversation_index_text").update();
    }

    public List<ConversationSummary> find(FindConversationsQuery q) {
        StringBuilder sql = new StringBuilder("""
                SELECT conversation_id, owner, started_at, last_activity_at, turns, last_intent, last_state,
                       answered, failed, abandoned, blocked, flow_id, flow_version
                FROM conversation_index c WHERE TRUE""");
        Map<String, Object> params = new LinkedHashMap<>();
        where(sql, params, q.activeFrom(), " AND c.last_activity_at >= :activeFrom", "activeFrom");
        where(sql, params, q.activeTo(), " AND c.started_at < :activeTo", "activeTo");
        where(sql, params, q.intent(), " AND c.last_intent = :intent", "intent");
        where(sql, params, q.state(), " AND c.last_state = :state", "state");
        where(sql, params, q.flowVersion(), " AND c.flow_version = :flowVersion", "flowVersion");
        where(sql, params, q.owner(), " AND c.owner = :owner", "owner");
        if (q.outcome() != null) {
            // the column names the outcome; the enum is the only source of the name, so nothing else reaches the SQL
            sql.append(" AND c.").append(q.outcome().name().toLowerCase(java.util.Locale.ROOT)).append(" > 0");
        }
        if (q.text() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM conversation_index_text t")
                    .append(" WHERE t.conversation_id = c.conversation_id AND t.user_text ILIKE :pattern)");
            params.put("pattern", "%" + likeEscaped(q.text()) + "%");
        }
        if (q.after() != null) {
            sql.append(" AND (c.started_at, c.conversation_id) < (:afterStartedAt, :afterId)");
            params.put("afterStartedAt", Timestamp.from(q.after().startedAt()));
            params.put("afterId", q.after().conversationId());
        }
        sql.append(" ORDER BY c.started_at DESC, c.conversation_id DESC LIMIT :limit");
        params.put("limit", q.limit());
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString());
        for (Map.Entry<String, Object> p : params.entrySet()) {
            statement = statement.param(p.getKey(), p.getValue());
        }
        return new ArrayList<>(statement.query(ConversationIndexRepository::summary).list());
    }

    private static void where(StringBuilder sql, Map<String, Object> params, Object value, String clause,
                              String name) {
        if (value != null) {
            sql.append(clause);
            params.put(name, value instanceof Instant at ? Timestamp.from(at) : value);
        }
    }

    /** ILIKE's default escape character is the backslash: the user's text matches literally. */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static ConversationSummary summary(ResultSet rs, int row) throws SQLException {
        return new ConversationSummary(rs.getObject(1, UUID.class), rs.getString(2),
                rs.getTimestamp(3).toInstant().toString(), rs.getTimestamp(4).toInstant().toString(), rs.getInt(5),
                rs.getString(6), rs.getString(7),
                new ConversationSummary.OutcomeCounts(rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getInt(11)),
                rs.getString(12), rs.getString(13));
    }
}
