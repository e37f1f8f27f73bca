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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

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

    /**
     * The conversations' rows as the batch's turn starts leave them, one statement per start in a JDBC batch (one
     * round trip; a multi-row upsert may not touch a conversation twice): the flow that answered the latest turn;
     * the owner never changes once known. Before {@link #writeTurns}, which summarizes into these rows.
     */
    public void startConversations(List<TurnStart> turns) {
        if (turns.isEmpty()) {
            return;
        }
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

    /**
     * In one statement: stores the turns started (with their texts) and ends the turns ended (one per turn id), then
     * recomputes the summaries of the {@code touched} conversations from their turn rows, so an event applied twice
     * leaves them as they were. A turn started and ended in the batch is inserted ended: the statement's parts see
     * the rows as they were before it, so the end's {@code UPDATE} finds only turns stored before, and the summary
     * counts the rows stored before but ended here in their new version ({@code RETURNING}), and the new rows once.
     * The summaries are found by their key: joined only to the aggregate, whose size the planner cannot know, they
     * were read by a scan of every conversation's summary in each batch.
     */
    public void writeTurns(List<TurnStart> starts, List<TurnEnd> ends, Collection<UUID> touched) {
        if (touched.isEmpty()) {
            return;
        }
        Map<UUID, TurnEnd> endOf = new HashMap<>();
        ends.forEach(end -> endOf.put(end.turnId(), end));
        Function<TurnStart, TurnEnd> end = start -> endOf.getOrDefault(start.turnId(), NOT_ENDED);
        List<TurnStart> texts = starts.stream()
                .filter(turn -> turn.userText() != null && !turn.userText().isEmpty()).toList();
        jdbc.sql("""
                        WITH texts AS (
                            INSERT INTO conversation_index_text (turn_id, conversation_id, user_text)
                            SELECT * FROM unnest(CAST(:textTurnIds AS uuid[]), CAST(:textConversationIds AS uuid[]),
                                                 CAST(:texts AS text[]))
                            ON CONFLICT DO NOTHING),
                        started AS (
                            INSERT INTO conversation_index_turn (turn_id, conversation_id, turn_index, started_at,
                                                                 ended_at, outcome, intent, state)
                            SELECT * FROM unnest(CAST(:turnIds AS uuid[]), CAST(:conversationIds AS uuid[]),
                                                 CAST(:indexes AS integer[]), CAST(:startedAts AS timestamptz[]),
                                                 CAST(:startEndedAts AS timestamptz[]), CAST(:startOutcomes AS text[]),
                                                 CAST(:startIntents AS text[]), CAST(:startStates AS text[]))
                            ON CONFLICT DO NOTHING
                            RETURNING conversation_id, turn_index, started_at, ended_at, intent, state, outcome),
                        ended AS (
                            UPDATE conversation_index_turn t
                            SET ended_at = e.ended_at, outcome = e.outcome, intent = e.intent, state = e.state
                            FROM unnest(CAST(:endTurnIds AS uuid[]), CAST(:endedAts AS timestamptz[]),
                                        CAST(:outcomes AS text[]), CAST(:intents AS text[]), CAST(:states AS text[]))
                                 AS e(turn_id, ended_at, outcome, intent, state)
                            WHERE t.turn_id = e.turn_id
                            RETURNING t.turn_id, t.conversation_id, t.turn_index, t.started_at, t.ended_at, t.intent,
                                      t.state, t.outcome),
                        turns AS (
                            SELECT conversation_id, turn_index, started_at, ended_at, intent, state, outcome
                            FROM started
                            UNION ALL
                            SELECT conversation_id, turn_index, started_at, ended_at, intent, state, outcome
                            FROM ended WHERE conversation_id = ANY (CAST(:ids AS uuid[]))
                            UNION ALL
                            SELECT conversation_id, turn_index, started_at, ended_at, intent, state, outcome
                            FROM conversation_index_turn s
                            WHERE s.conversation_id = ANY (CAST(:ids AS uuid[]))
                              AND NOT EXISTS (SELECT 1 FROM ended WHERE ended.turn_id = s.turn_id))
                        UPDATE conversation_index c
                        SET turns = s.turns, answered = s.answered, failed = s.failed, abandoned = s.abandoned,
                            blocked = s.blocked, last_activity_at = GREATEST(c.last_activity_at, s.last_at),
                            last_intent = s.last_intent, last_state = s.last_state
                        FROM (SELECT conversation_id, count(*) AS turns,
                                     count(*) FILTER (WHERE outcome = 'ANSWERED') AS answered,
                                     count(*) FILTER (WHERE outcome = 'FAILED') AS failed,
                                     count(*) FILTER (WHERE outcome = 'ABANDONED') AS abandoned,
                                     count(*) FILTER (WHERE outcome = 'BLOCKED') AS blocked,
                                     max(COALESCE(ended_at, started_at)) AS last_at,
                                     (array_agg(intent ORDER BY turn_index DESC) FILTER (WHERE intent IS NOT NULL))[1]
                                         AS last_intent,
                                     (array_agg(state ORDER BY turn_index DESC) FILTER (WHERE state IS NOT NULL))[1]
                                         AS last_state
                              FROM turns
                              GROUP BY conversation_id) s
                        WHERE c.conversation_id = ANY (CAST(:ids AS uuid[])) AND c.conversation_id = s.conversation_id""")
                .param("textTurnIds", SqlArrays.of("uuid", texts, TurnStart::turnId))
                .param("textConversationIds", SqlArrays.of("uuid", texts, TurnStart::conversationId))
                .param("texts", SqlArrays.of("text", texts, TurnStart::userText))
                .param("turnIds", SqlArrays.of("uuid", starts, TurnStart::turnId))
                .param("conversationIds", SqlArrays.of("uuid", starts, TurnStart::conversationId))
                .param("indexes", SqlArrays.of("integer", starts, TurnStart::turnIndex))
                .param("startedAts", SqlArrays.of("text", starts, turn -> turn.startedAt()))
                .param("startEndedAts", SqlArrays.of("text", starts, turn -> end.apply(turn).endedAt()))
                .param("startOutcomes", SqlArrays.of("text", starts, turn -> end.apply(turn).outcome()))
                .param("startIntents", SqlArrays.of("text", starts, turn -> end.apply(turn).intent()))
                .param("startStates", SqlArrays.of("text", starts, turn -> end.apply(turn).state()))
                .param("endTurnIds", SqlArrays.of("uuid", ends, TurnEnd::turnId))
                .param("endedAts", SqlArrays.of("text", ends, turn -> turn.endedAt()))
                .param("outcomes", SqlArrays.of("text", ends, TurnEnd::outcome))
                .param("intents", SqlArrays.of("text", ends, TurnEnd::intent))
                .param("states", SqlArrays.of("text", ends, TurnEnd::state))
                .param("ids", SqlArrays.of("uuid", List.copyOf(touched), id -> id))
                .update();
    }

    /** A turn start's end where the batch has none: the columns stay null. */
    private static final TurnEnd NOT_ENDED = new TurnEnd(null, null, null, null, null, null);

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
