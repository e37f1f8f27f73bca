package io.convtrail.query.trace;

import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.query.trace.TraceRows.StageRow;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;
import io.convtrail.query.projection.CopyRows;
import io.convtrail.query.projection.KeyOrderReads;
import io.convtrail.query.projection.NewRows;
import io.convtrail.query.json.StoredInstants;
import io.convtrail.query.projection.SqlArrays;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * SQL of the trace read model ({@code trace_turn}, {@code trace_step}, {@code trace_stage}). Every
 * row is keyed by an event's global position or the turn's id, so writing an event again is a no-op.
 * The writes take a whole batch of rows, one statement each ({@link TraceWrites}).
 */
@Repository
class TraceRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final NewRows newRows;
    private final KeyOrderReads reads;

    TraceRepository(JdbcClient jdbc, JdbcTemplate template, NewRows newRows, KeyOrderReads reads) {
        this.jdbc = jdbc;
        this.template = template;
        this.newRows = newRows;
        this.reads = reads;
    }

    /** A whole conversation's turns and steps, each list in its key's order. */
    record Whole(List<TurnRow> turns, List<StepRow> steps) {
    }

    /**
     * The conversation's turns, steps and stages (these rendered into {@code stages} as they are read), each
     * read along the index that holds it in that order ({@code trace_turn_conversation_idx},
     * {@code trace_step_conversation_idx}, the stages' primary key), never sorted ({@link KeyOrderReads}).
     */
    Whole whole(UUID conversationId, RenderedStages stages) {
        return reads.inKeyOrder(() -> {
            Whole whole = new Whole(turns(conversationId), steps(conversationId));
            reads.inBinary(STAGE_COLUMNS + " FROM trace_stage WHERE conversation_id = ? ORDER BY audit_id",
                    rs -> renderStage(rs, stages), conversationId);
            return whole;
        });
    }

    /** Receives the stored open steps, innermost (last entered) first within each turn. */
    interface OpenSteps {
        void accept(UUID conversationId, UUID turnId, OpenStep step);
    }

    void startTurns(List<TraceChange.TurnStarted> turns) {
        if (turns.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO trace_turn (turn_id, conversation_id, turn_index, user_text, started_at, status)
                        SELECT t.*, :status FROM unnest(CAST(:turnIds AS uuid[]), CAST(:conversationIds AS uuid[]),
                                                        CAST(:indexes AS integer[]), CAST(:userTexts AS text[]),
                                                        CAST(:startedAts AS timestamptz[])) AS t
                        ON CONFLICT DO NOTHING""")
                .param("turnIds", SqlArrays.of("uuid", turns, TraceChange.TurnStarted::turnId))
                .param("conversationIds", SqlArrays.of("uuid", turns, TraceChange.TurnStarted::conversationId))
                .param("indexes", SqlArrays.of("integer", turns, TraceChange.TurnStarted::index))
                .param("userTexts", SqlArrays.of("text", turns, TraceChange.TurnStarted::userText))
                .param("startedAts", SqlArrays.of("text", turns, turn -> turn.startedAt()))
                .param("status", TraceTurn.Status.RUNNING.name())
                .update();
    }

    /** Ends turns, one per turn id. */
    void endTurns(List<TraceChange.TurnEnded> turns) {
        if (turns.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE trace_turn t
                        SET ended_at = e.ended_at, status = e.status, outcome = e.outcome,
                            final_intent = e.intent, final_state = e.state
                        FROM unnest(CAST(:turnIds AS uuid[]), CAST(:endedAts AS timestamptz[]), CAST(:statuses AS text[]),
                                    CAST(:outcomes AS text[]), CAST(:intents AS text[]), CAST(:states AS text[]))
                             AS e(turn_id, ended_at, status, outcome, intent, state)
                        WHERE t.turn_id = e.turn_id""")
                .param("turnIds", SqlArrays.of("uuid", turns, TraceChange.TurnEnded::turnId))
                .param("endedAts", SqlArrays.of("text", turns, turn -> turn.endedAt()))
                .param("statuses", SqlArrays.of("text", turns, turn -> turn.status().name()))
                .param("outcomes", SqlArrays.of("text", turns, TraceChange.TurnEnded::outcome))
                .param("intents", SqlArrays.of("text", turns, TraceChange.TurnEnded::intent))
                .param("states", SqlArrays.of("text", turns, TraceChange.TurnEnded::state))
                .update();
    }

    /**
     * Stores stages (the i-th of {@code conversationIds} is the i-th row's) unless they are already there, in one
     * statement (two where one is there already: {@link NewRows}).
     */
    void insertStages(List<UUID> conversationIds, List<StageRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        newRows.insert(() -> insertStages(conversationIds, rows, ""),
                () -> insertStages(conversationIds, rows, "ON CONFLICT DO NOTHING"));
    }

    private int insertStages(List<UUID> conversationIds, List<StageRow> rows, String onConflict) {
        return jdbc.sql("""
                        INSERT INTO trace_stage (audit_id, conversation_id, turn_id, step_id, stage, created_at, payload)
                        SELECT * FROM unnest(CAST(:auditIds AS bigint[]), CAST(:conversationIds AS uuid[]),
                                             CAST(:turnIds AS uuid[]), CAST(:stepIds AS bigint[]), CAST(:stages AS text[]),
                                             CAST(:createdAts AS timestamptz[]), CAST(:payloads AS text[]))
                        """ + onConflict)
                .param("auditIds", SqlArrays.of("bigint", rows, StageRow::auditId))
                .param("conversationIds", SqlArrays.of("uuid", conversationIds, id -> id))
                .param("turnIds", SqlArrays.of("uuid", rows, StageRow::turnId))
                .param("stepIds", SqlArrays.of("bigint", rows, StageRow::stepId))
                .param("stages", SqlArrays.of("text", rows, StageRow::stage))
                .param("createdAts", SqlArrays.of("text", rows, row -> row.createdAt()))
                .param("payloads", SqlArrays.of("text", rows, StageRow::payloadJson))
                .update();
    }

    /** Copies in stages new to the table ({@link CopyRows}: a replay's), failing if one is there already. */
    void copyStages(List<UUID> conversationIds, List<StageRow> rows) {
        CopyRows copy = new CopyRows(
                "trace_stage (audit_id, conversation_id, turn_id, step_id, stage, created_at, payload)", 7);
        for (int i = 0; i < rows.size(); i++) {
            StageRow row = rows.get(i);
            copy.row().bigint(row.auditId()).uuid(conversationIds.get(i)).uuid(row.turnId()).bigint(row.stepId())
                    .text(row.stage()).timestamptz(row.createdAt()).text(row.payloadJson());
        }
        copy.copyInto(template);
    }

    /**
     * Inserts opened steps; one the same batch closed is inserted closed, with the values {@link #closeSteps} would
     * give it (the same expressions over the same stored times).
     */
    void openSteps(List<TraceWrites.OpenedStep> steps) {
        if (steps.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO trace_step (step_id, conversation_id, turn_id, step, step_class, source_file,
                                                status, started_at, ended_at, duration_ms, error)
                        SELECT s.step_id, s.conversation_id, s.turn_id, s.step, COALESCE(s.step_class, s.exit_class),
                               COALESCE(s.source_file, s.exit_file), s.status, s.started_at, s.ended_at,
                               CASE WHEN s.ended_at IS NOT NULL THEN COALESCE(s.duration_ms,
                                   CAST(round(EXTRACT(EPOCH FROM (s.ended_at - s.started_at)) * 1000) AS bigint)) END,
                               s.error
                        FROM unnest(CAST(:stepIds AS bigint[]), CAST(:conversationIds AS uuid[]), CAST(:turnIds AS uuid[]),
                                    CAST(:steps AS text[]), CAST(:stepClasses AS text[]), CAST(:sourceFiles AS text[]),
                                    CAST(:startedAts AS timestamptz[]), CAST(:statuses AS text[]),
                                    CAST(:endedAts AS timestamptz[]), CAST(:errors AS text[]), CAST(:durations AS bigint[]),
                                    CAST(:exitClasses AS text[]), CAST(:exitFiles AS text[]))
                             AS s(step_id, conversation_id, turn_id, step, step_class, source_file, started_at, status,
                                  ended_at, error, duration_ms, exit_class, exit_file)
                        ON CONFLICT DO NOTHING""")
                .param("stepIds", SqlArrays.of("bigint", steps, TraceWrites.OpenedStep::stepId))
                .param("conversationIds", SqlArrays.of("uuid", steps, TraceWrites.OpenedStep::conversationId))
                .param("turnIds", SqlArrays.of("uuid", steps, TraceWrites.OpenedStep::turnId))
                .param("steps", SqlArrays.of("text", steps, step -> step.enter().step()))
                .param("stepClasses", SqlArrays.of("text", steps, step -> step.enter().stepClass()))
                .param("sourceFiles", SqlArrays.of("text", steps, step -> step.enter().sourceFile()))
                .param("startedAts", SqlArrays.of("text", steps, step -> step.startedAt()))
                .param("statuses", SqlArrays.of("text", steps,
                        step -> (step.close() == null ? TraceStep.Status.RUNNING : step.close().status()).name()))
                .param("endedAts", SqlArrays.of("text", steps, step -> step.close() == null ? null : step.close().endedAt()))
                .param("errors", SqlArrays.of("text", steps, step -> step.close() == null ? null : closeError(step.close())))
                .param("durations", SqlArrays.of("bigint", steps,
                        step -> step.close() == null ? null : step.close().exit().durationMs()))
                .param("exitClasses", SqlArrays.of("text", steps,
                        step -> step.close() == null ? null : step.close().exit().stepClass()))
                .param("exitFiles", SqlArrays.of("text", steps,
                        step -> step.close() == null ? null : step.close().exit().sourceFile()))
                .update();
    }

    /**
     * Copies in a fresh batch's opened steps ({@link CopyRows}: new rows, as their STEP_ENTER stages are), with the
     * values {@link #openSteps(List)} would insert. Answers false, copying nothing, where a step closed in the batch
     * lacks the engine's durationMs or its end time: that insert computes those in the statement, so it writes them.
     */
    boolean copySteps(List<TraceWrites.OpenedStep> steps) {
        for (TraceWrites.OpenedStep step : steps) {
            if (step.close() != null && (step.close().exit().durationMs() == null || step.close().endedAt() == null)) {
                return false;
            }
        }
        CopyRows copy = new CopyRows("trace_step (step_id, conversation_id, turn_id, step, step_class, source_file, "
                + "status, started_at, ended_at, duration_ms, error)", 11);
        for (TraceWrites.OpenedStep step : steps) {
            TraceWrites.ClosedStep close = step.close();
            StepBracket enter = step.enter();
            StepBracket exit = close == null ? null : close.exit();
            copy.row().bigint(step.stepId()).uuid(step.conversationId()).uuid(step.turnId()).text(enter.step())
                    .text(enter.stepClass() != null || exit == null ? enter.stepClass() : exit.stepClass())
                    .text(enter.sourceFile() != null || exit == null ? enter.sourceFile() : exit.sourceFile())
                    .text((close == null ? TraceStep.Status.RUNNING : close.status()).name())
                    .timestamptz(step.startedAt())
                    .timestamptz(close == null ? null : close.endedAt())
                    .bigint(exit == null ? null : exit.durationMs())
                    .text(close == null ? null : closeError(close));
        }
        copy.copyInto(template);
        return true;
    }

    private static String closeError(TraceWrites.ClosedStep step) {
        return step.status() == TraceStep.Status.ERROR ? step.exit().errorMessage() : null;
    }

    /**
     * Closes steps. Without a durationMs from the engine the time between its brackets is used;
     * a class or file the STEP_ENTER left out is taken from the exit.
     */
    void closeSteps(List<TraceWrites.ClosedStep> steps) {
        if (steps.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE trace_step s
                        SET status = c.status, ended_at = c.ended_at, error = c.error,
                            duration_ms = COALESCE(c.duration_ms,
                                CAST(round(EXTRACT(EPOCH FROM (c.ended_at - s.started_at)) * 1000) AS bigint)),
                            step_class = COALESCE(s.step_class, c.step_class),
                            source_file = COALESCE(s.source_file, c.source_file)
                        FROM unnest(CAST(:stepIds AS bigint[]), CAST(:statuses AS text[]), CAST(:endedAts AS timestamptz[]),
                                    CAST(:errors AS text[]), CAST(:durations AS bigint[]), CAST(:stepClasses AS text[]),
                                    CAST(:sourceFiles AS text[]))
                             AS c(step_id, status, ended_at, error, duration_ms, step_class, source_file)
                        WHERE s.step_id = c.step_id""")
                .param("stepIds", SqlArrays.of("bigint", steps, TraceWrites.ClosedStep::stepId))
                .param("statuses", SqlArrays.of("text", steps, step -> step.status().name()))
                .param("endedAts", SqlArrays.of("text", steps, step -> step.endedAt()))
                .param("errors", SqlArrays.of("text", steps, TraceRepository::closeError))
                .param("durations", SqlArrays.of("bigint", steps, step -> step.exit().durationMs()))
                .param("stepClasses", SqlArrays.of("text", steps, step -> step.exit().stepClass()))
                .param("sourceFiles", SqlArrays.of("text", steps, step -> step.exit().sourceFile()))
                .update();
    }

    /**
     * In one statement: the auditIds among {@code auditIds} whose stage is stored already (answered), and the open
     * steps of the conversations, innermost (last entered) first within each turn (given to {@code into}). A
     * live batch asked both, one round trip each.
     */
    Set<Long> storedStagesAndOpenSteps(List<Long> auditIds, List<UUID> stageConversationIds,
                                       List<UUID> conversationIds, OpenSteps into) {
        if (conversationIds.isEmpty()) {
            return Set.of();
        }
        Set<Long> stored = new HashSet<>();
        // by the key (conversation_id, audit_id): the i-th auditId is a stage of the i-th conversation
        jdbc.sql("""
                        SELECT 0 AS part, NULL::uuid, NULL::uuid, s.audit_id, NULL::text
                        FROM unnest(CAST(:stageConversationIds AS uuid[]), CAST(:ids AS bigint[])) AS k(c, a)
                        JOIN trace_stage s ON s.conversation_id = k.c AND s.audit_id = k.a
                        UNION ALL
                        SELECT 1, conversation_id, turn_id, step_id, step FROM trace_step
                        WHERE conversation_id = ANY (CAST(:conversationIds AS uuid[])) AND status = :running
                        ORDER BY 1, 4 DESC""")
                .param("ids", SqlArrays.of("bigint", auditIds, id -> id))
                .param("stageConversationIds", SqlArrays.of("uuid", stageConversationIds, id -> id))
                .param("conversationIds", SqlArrays.of("uuid", conversationIds, id -> id))
                .param("running", TraceStep.Status.RUNNING.name())
                .query(rs -> {
                    if (rs.getInt(1) == 0) {
                        stored.add(rs.getLong(4));
                    } else {
                        into.accept(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                                new OpenStep(rs.getLong(4), rs.getString(5)));
                    }
                });
        return stored;
    }

    /** The open steps of the conversations, innermost (last entered) first within each turn. */
    void openSteps(List<UUID> conversationIds, OpenSteps into) {
        if (conversationIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        SELECT conversation_id, turn_id, step_id, step FROM trace_step
                        WHERE conversation_id = ANY (CAST(:conversationIds AS uuid[])) AND status = :running
                        ORDER BY step_id DESC""")
                .param("conversationIds", SqlArrays.of("uuid", conversationIds, id -> id))
                .param("running", TraceStep.Status.RUNNING.name())
                .query(rs -> {
                    into.accept(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            new OpenStep(rs.getLong(3), rs.getString(4)));
                });
    }

    List<TurnRow> turns(UUID conversationId) {
        return jdbc.sql(TURN_COLUMNS + " FROM trace_turn WHERE conversation_id = :conversationId ORDER BY turn_index")
                .param("conversationId", conversationId)
                .query(TraceRepository::turnRow)
                .list();
    }

    List<StepRow> steps(UUID conversationId) {
        return reads.inBinary(STEP_COLUMNS + " FROM trace_step WHERE conversation_id = ? ORDER BY step_id",
                TraceRepository::stepRow, conversationId);
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

    /**
     * The stages of these turns (an index range per turn, {@code trace_stage_turn_idx}), in auditId order,
     * rendered into {@code stages} as they are read.
     */
    void stagesOfTurns(List<UUID> turnIds, RenderedStages stages) {
        if (turnIds.isEmpty()) {
            return;
        }
        jdbc.sql(STAGE_COLUMNS + " FROM trace_stage WHERE turn_id IN (:turnIds) ORDER BY audit_id")
                .param("turnIds", turnIds)
                .query(rs -> {
                    renderStage(rs, stages);
                });
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

    /** A stage row rendered as it is read: its stage name and payload as their stored UTF-8, no object but the turn's id. */
    private static void renderStage(ResultSet rs, RenderedStages into) throws SQLException {
        long stepId = rs.getLong(3);
        if (rs.wasNull()) {
            stepId = TraceGroups.NO_STEP;
        }
        into.add(rs.getLong(1), rs.getObject(2, UUID.class), stepId, rs.getBytes(4), instant(rs, 5), rs.getBytes(6));
    }

    /** Read from the driver's bytes ({@link StoredInstants}), where a Timestamp goes through a Calendar. */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return StoredInstants.read(rs, column);
    }
}
