package io.convtrail.query.trace;

import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.query.trace.TraceRows.StageRow;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of the trace read model ({@code trace_turn}, {@code trace_step}, {@code trace_stage}). Every
 * row is keyed by an event's global position or the turn's id, so writing an event again is a no-op.
 */
@Repository
class TraceRepository {

    private final JdbcClient jdbc;

    TraceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void startTurn(UUID conversationId, UUID turnId, int index, String userText, Instant startedAt) {
        jdbc.sql("""
                        INSERT INTO trace_turn (turn_id, conversation_id, turn_index, user_text, started_at, status)
                        VALUES (:turnId, :conversationId, :index, :userText, :startedAt, :status)
                        ON CONFLICT DO NOTHING""")
                .param("turnId", turnId)
                .param("conversationId", conversationId)
                .param("index", index)
                .param("userText", userText)
                .param("startedAt", Timestamp.from(startedAt))
                .param("status", TraceTurn.Status.RUNNING.name())
                .update();
    }

    void endTurn(UUID turnId, Instant endedAt, TraceTurn.Status status, String outcome, String intent, String state) {
        jdbc.sql("""
                        UPDATE trace_turn
                        SET ended_at = :endedAt, status = :status, outcome = :outcome,
                            final_intent = :intent, final_state = :state
                        WHERE turn_id = :turnId""")
                .param("turnId", turnId)
                .param("endedAt", Timestamp.from(endedAt))
                .param("status", status.name())
                .param("outcome", outcome)
                .param("intent", intent)
                .param("state", state)
                .update();
    }

    /** Stores a stage unless it is already there; answers whether it was new. */
    boolean insertStage(UUID conversationId, StageRow row) {
        return jdbc.sql("""
                        INSERT INTO trace_stage (audit_id, conversation_id, turn_id, step_id, stage, created_at, payload)
                        VALUES (:auditId, :conversationId, :turnId, :stepId, :stage, :createdAt, CAST(:payload AS json))
                        ON CONFLICT DO NOTHING""")
                .param("auditId", row.auditId())
                .param("conversationId", conversationId)
                .param("turnId", row.turnId())
                .param("stepId", row.stepId())
                .param("stage", row.stage())
                .param("createdAt", Timestamp.from(row.createdAt()))
                .param("payload", row.payloadJson())
                .update() == 1;
    }

    void openStep(UUID conversationId, long stepId, UUID turnId, StepBracket bracket, Instant startedAt) {
        jdbc.sql("""
                        INSERT INTO trace_step (step_id, conversation_id, turn_id, step, step_class, source_file,
                                                status, started_at)
                        VALUES (:stepId, :conversationId, :turnId, :step, :stepClass, :sourceFile, :status, :startedAt)
                        ON CONFLICT DO NOTHING""")
                .param("stepId", stepId)
                .param("conversationId", conversationId)
                .param("turnId", turnId)
                .param("step", bracket.step())
                .param("stepClass", bracket.stepClass())
                .param("sourceFile", bracket.sourceFile())
                .param("status", TraceStep.Status.RUNNING.name())
                .param("startedAt", Timestamp.from(startedAt))
                .update();
    }

    /**
     * Closes a step. Without a durationMs from the engine the time between its brackets is used;
     * a class or file the STEP_ENTER left out is taken from the exit.
     */
    void closeStep(long stepId, TraceStep.Status status, StepBracket exit, Instant endedAt) {
        jdbc.sql("""
                        UPDATE trace_step
                        SET status = :status, ended_at = :endedAt, error = :error,
                            duration_ms = COALESCE(CAST(:durationMs AS bigint),
                                CAST(round(EXTRACT(EPOCH FROM (CAST(:endedAt AS timestamptz) - started_at)) * 1000) AS bigint)),
                            step_class = COALESCE(step_class, :stepClass),
                            source_file = COALESCE(source_file, :sourceFile)
                        WHERE step_id = :stepId""")
                .param("stepId", stepId)
                .param("status", status.name())
                .param("endedAt", Timestamp.from(endedAt))
                .param("error", status == TraceStep.Status.ERROR ? exit.errorMessage() : null)
                .param("durationMs", exit.durationMs())
                .param("stepClass", exit.stepClass())
                .param("sourceFile", exit.sourceFile())
                .update();
    }

    /** The open steps of a turn, innermost (last entered) first. */
    List<OpenStep> openSteps(UUID conversationId, UUID turnId) {
        return jdbc.sql("""
                        SELECT step_id, step FROM trace_step
                        WHERE conversation_id = :conversationId AND turn_id IS NOT DISTINCT FROM :turnId
                          AND status = :running
                        ORDER BY step_id DESC""")
                .param("conversationId", conversationId)
                .param("turnId", turnId)
                .param("running", TraceStep.Status.RUNNING.name())
                .query((rs, i) -> new OpenStep(rs.getLong(1), rs.getString(2)))
                .list();
    }

    List<TurnRow> turns(UUID conversationId) {
        return jdbc.sql(TURN_COLUMNS + " FROM trace_turn WHERE conversation_id = :conversationId ORDER BY turn_index")
                .param("conversationId", conversationId)
                .query(TraceRepository::turnRow)
                .list();
    }

    List<StepRow> steps(UUID conversationId) {
        return jdbc.sql(STEP_COLUMNS + " FROM trace_step WHERE conversation_id = :conversationId ORDER BY step_id")
                .param("conversationId", conversationId)
                .query(TraceRepository::stepRow)
                .list();
    }

    List<StageRow> stages(UUID conversationId) {
        return jdbc.sql(STAGE_COLUMNS + " FROM trace_stage WHERE conversation_id = :conversationId ORDER BY audit_id")
                .param("conversationId", conversationId)
                .query(TraceRepository::stageRow)
                .list();
    }

    /**
     * At most {@code limit} turns from the turn with index {@code fromIndex} on: a range read of
     * {@code trace_turn_conversation_idx}, whatever the conversation's length.
     */
    List<TurnRow> turnsFrom(UUID conversationId, int fromIndex, int limit) {
        return jdbc.sql(TURN_COLUMNS + """
                         FROM trace_turn WHERE conversation_id = :conversationId AND turn_index >= :fromIndex
                        ORDER BY turn_index LIMIT :limit""")
                .param("conversationId", conversationId)
                .param("fromIndex", fromIndex)
                .param("limit", limit)
                .query(TraceRepository::turnRow)
                .list();
    }

    /** The conversation's highest turn index, empty without turns. */
    Optional<Integer> lastTurnIndex(UUID conversationId) {
        return jdbc.sql("SELECT max(turn_index) FROM trace_turn WHERE conversation_id = :conversationId")
                .param("conversationId", conversationId)
                .query((rs, i) -> rs.getObject(1, Integer.class))
                .optional();
    }

    /**
     * The steps of these turns (an index range per turn, {@code trace_step_turn_idx}), in step order.
     * No condition on the conversation: the planner would intersect it with the conversation's index,
     * reading an entry for every row of the conversation; the turn ids are already the conversation's.
     */
    List<StepRow> stepsOfTurns(List<UUID> turnIds) {
        if (turnIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(STEP_COLUMNS + " FROM trace_step WHERE turn_id IN (:turnIds) ORDER BY step_id")
                .param("turnIds", turnIds)
                .query(TraceRepository::stepRow)
                .list();
    }

    /** The stages of these turns (an index range per turn, {@code trace_stage_turn_idx}), in auditId order. */
    List<StageRow> stagesOfTurns(List<UUID> turnIds) {
        if (turnIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(STAGE_COLUMNS + " FROM trace_stage WHERE turn_id IN (:turnIds) ORDER BY audit_id")
                .param("turnIds", turnIds)
                .query(TraceRepository::stageRow)
                .list();
    }

    void clear() {
        jdbc.sql("TRUNCATE trace_turn, trace_step, trace_stage").update();
    }

    private static final String TURN_COLUMNS = """
            SELECT turn_id, turn_index, user_text, started_at, ended_at, final_intent, final_state, status, outcome""";
    private static final String STEP_COLUMNS = """
            SELECT step_id, turn_id, step, step_class, source_file, status, started_at, ended_at, duration_ms, error""";
    private static final String STAGE_COLUMNS = "SELECT audit_id, turn_id, step_id, stage, created_at, payload";

    private static TurnRow turnRow(ResultSet rs, int rowNum) throws SQLException {
        return new TurnRow(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
                rs.getString(6), rs.getString(7), TraceTurn.Status.valueOf(rs.getString(8)), rs.getString(9));
    }

    private static StepRow stepRow(ResultSet rs, int rowNum) throws SQLException {
        return new StepRow(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), TraceStep.Status.valueOf(rs.getString(6)), instant(rs, 7), instant(rs, 8),
                rs.getObject(9, Long.class), rs.getString(10));
    }

    private static StageRow stageRow(ResultSet rs, int rowNum) throws SQLException {
        return new StageRow(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, Long.class), rs.getString(4),
                instant(rs, 5), rs.getString(6));
    }

    /** Read as OffsetDateTime: the driver parses it directly, where a Timestamp goes through a Calendar. */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
