package io.convtrail.query.trace;

import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.query.trace.TraceRows.StageRow;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.StoredStage;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * SQL of the trace read model ({@code trace_turn}, {@code trace_step}, {@code trace_stage}). Every
 * row is keyed by an event's global position or the turn's id, so writing an event again is a no-op.
 * The writes take a whole batch of rows, one statement each ({@link TraceWrites}).
 */
@Repository
class TraceRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final KeyOrderReads reads;

    TraceRepository(JdbcClient jdbc, JdbcTemplate template, KeyOrderReads reads) {
        this.jdbc = jdbc;
        this.template = template;
        this.reads = reads;
    }

    /** A whole conversation's rows, each list in its key's order. */
    record Whole(List<TurnRow> turns, List<StepRow> steps, List<StoredStage> stages) {
    }

    /**
     * The conversation's turns, steps and stages, each read along the index that holds it in that order
     * ({@code trace_turn_conversation_idx}, {@code trace_step_conversation_idx}, the stages' primary key),
     * never sorted ({@link KeyOrderReads}).
     */
    Whole whole(UUID conversationId) {
        return reads.inKeyOrder(
                () -> new Whole(turns(conversationId), steps(conversationId), storedStages(conversationId)));
    }

    /** Receives the stored open steps, innermost (last entered) first within each turn. */
    interface OpenSteps {
        void accept(UUID conversationId, UUID turnId, OpenStep step);
    }

    /** One statement's SQL and its parameters: run alone, or as a part of a live batch's one statement. */
    private record Part(String sql, Map<String, Object> params) {
    }

    private void run(Part part) {
        jdbc.sql(part.sql()).params(part.params()).update();
    }

    /**
     * A live batch's rows in one statement: the turns started (one the batch also ended inserted ended), the turns
     * ended that were stored before, the steps opened (one the batch also closed inserted closed), the steps closed
     * that were stored before, and the stages (the i-th of {@code stageConversationIds} is the i-th row's): plainly,
     * failing on a stage stored already ({@link NewRows}), or {@code skippingStored} with {@code ON CONFLICT DO
     * NOTHING}. Every part of a statement sees the rows as they were before it: so each {@code UPDATE} finds only
     * rows stored by earlier statements, and what the batch both starts and ends is written once, ended.
     */
    void writeLive(List<TraceChange.TurnStarted> started, List<TraceChange.TurnEnded> ended,
                   List<UUID> stageConversationIds, List<StageRow> stages, List<TraceWrites.OpenedStep> opened,
                   List<TraceWrites.ClosedStep> closed, boolean skippingStored) {
        Map<UUID, TraceChange.TurnEnded> endOf = new HashMap<>();
        ended.forEach(end -> endOf.put(end.turnId(), end));
        List<Part> parts = List.of(turnsStarted(started, endOf), turnsEnded(ended), stepsOpened(opened),
                stepsClosed(closed));
        Part main = stagesInserted(stageConversationIds, stages, skippingStored);
        StringBuilder sql = new StringBuilder("WITH ");
        Map<String, Object> params = new HashMap<>(main.params());
        for (int i = 0; i < parts.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("part").append(i).append(" AS (").append(parts.get(i).sql())
                    .append(")");
            params.putAll(parts.get(i).params());
        }
        run(new Part(sql.append(' ').append(main.sql()).toString(), params));
    }

    /** A replay's turn starts, alone (their ends follow with {@link #endTurns}). */
    void startTurns(List<TraceChange.TurnStarted> turns) {
        if (!turns.isEmpty()) {
            run(turnsStarted(turns, Map.of()));
        }
    }

    /** Ends turns, one per turn id. */
    void endTurns(List<TraceChange.TurnEnded> turns) {
        if (!turns.isEmpty()) {
            run(turnsEnded(turns));
        }
    }

    /**
     * Inserts opened steps; one the same batch closed is inserted closed, with the values {@link #closeSteps} would
     * give it (the same expressions over the same stored times).
     */
    void openSteps(List<TraceWrites.OpenedStep> steps) {
        if (!steps.isEmpty()) {
            run(stepsOpened(steps));
        }
    }

    /**
     * Closes steps. Without a durationMs from the engine the time between its brackets is used;
     * a class or file the STEP_ENTER left out is taken from the exit.
     */
    void closeSteps(List<TraceWrites.ClosedStep> steps) {
        if (!steps.isEmpty()) {
            run(stepsClosed(steps));
        }
    }

    /** Turns started; one whose end is in {@code endOf} is inserted ended. */
    private static Part turnsStarted(List<TraceChange.TurnStarted> turns, Map<UUID, TraceChange.TurnEnded> endOf) {
        Function<TraceChange.TurnStarted, TraceChange.TurnEnded> end = turn -> endOf.get(turn.turnId());
        Map<String, Object> params = new HashMap<>();
        params.put("startTurnIds", SqlArrays.of("uuid", turns, TraceChange.TurnStarted::turnId));
        params.put("startConversationIds", SqlArrays.of("uuid", turns, TraceChange.TurnStarted::conversationId));
        params.put("startIndexes", SqlArrays.of("integer", turns, TraceChange.TurnStarted::index));
        params.put("startUserTexts", SqlArrays.of("text", turns, TraceChange.TurnStarted::userText));
        params.put("startStartedAts", SqlArrays.of("text", turns, turn -> turn.startedAt()));
        params.put("startStatuses", SqlArrays.of("text", turns,
                turn -> end.apply(turn) == null ? TraceTurn.Status.RUNNING.name() : end.apply(turn).status().name()));
        params.put("startEndedAts", SqlArrays.of("text", turns, turn -> ended(end.apply(turn), TraceChange.TurnEnded::endedAt)));
        params.put("startOutcomes", SqlArrays.of("text", turns, turn -> ended(end.apply(turn), TraceChange.TurnEnded::outcome)));
        params.put("startIntents", SqlArrays.of("text", turns, turn -> ended(end.apply(turn), TraceChange.TurnEnded::intent)));
        params.put("startStates", SqlArrays.of("text", turns, turn -> ended(end.apply(turn), TraceChange.TurnEnded::state)));
        return new Part("""
                INSERT INTO trace_turn (turn_id, conversation_id, turn_index, user_text, started_at, status, ended_at,
                                        outcome, final_intent, final_state)
                SELECT * FROM unnest(CAST(:startTurnIds AS uuid[]), CAST(:startConversationIds AS uuid[]),
                                     CAST(:startIndexes AS integer[]), CAST(:startUserTexts AS text[]),
                                     CAST(:startStartedAts AS timestamptz[]), CAST(:startStatuses AS text[]),
                                     CAST(:startEndedAts AS timestamptz[]), CAST(:startOutcomes AS text[]),
                                     CAST(:startIntents AS text[]), CAST(:startStates AS text[]))
                ON CONFLICT DO NOTHING""", params);
    }

    private static Object ended(TraceChange.TurnEnded end, Function<TraceChange.TurnEnded, Object> column) {
        return end == null ? null : column.apply(end);
    }

    private static Part turnsEnded(List<TraceChange.TurnEnded> turns) {
        Map<String, Object> params = new HashMap<>();
        params.put("endTurnIds", SqlArrays.of("uuid", turns, TraceChange.TurnEnded::turnId));
        params.put("endEndedAts", SqlArrays.of("text", turns, turn -> turn.endedAt()));
        params.put("endStatuses", SqlArrays.of("text", turns, turn -> turn.status().name()));
        params.put("endOutcomes", SqlArrays.of("text", turns, TraceChange.TurnEnded::outcome));
        params.put("endIntents", SqlArrays.of("text", turns, TraceChange.TurnEnded::intent));
        params.put("endStates", SqlArrays.of("text", turns, TraceChange.TurnEnded::state));
        return new Part("""
                UPDATE trace_turn t
                SET ended_at = e.ended_at, status = e.status, outcome = e.outcome,
                    final_intent = e.intent, final_state = e.state
                FROM unnest(CAST(:endTurnIds AS uuid[]), CAST(:endEndedAts AS timestamptz[]),
                            CAST(:endStatuses AS text[]), CAST(:endOutcomes AS text[]), CAST(:endIntents AS text[]),
                            CAST(:endStates AS text[]))
                     AS e(turn_id, ended_at, status, outcome, intent, state)
                WHERE t.turn_id = e.turn_id""", params);
    }

    private static Part stagesInserted(List<UUID> conversationIds, List<StageRow> rows, boolean skippingStored) {
        Map<String, Object> params = new HashMap<>();
        params.put("stageAuditIds", SqlArrays.of("bigint", rows, StageRow::auditId));
        params.put("stageConversationIds", SqlArrays.of("uuid", conversationIds, id -> id));
        params.put("stageTurnIds", SqlArrays.of("uuid", rows, StageRow::turnId));
        params.put("stageStepIds", SqlArrays.of("bigint", rows, StageRow::stepId));
        params.put("stageNames", SqlArrays.of("text", rows, StageRow::stage));
        params.put("stageCreatedAts", SqlArrays.of("text", rows, row -> row.createdAt()));
        params.put("stagePayloads", SqlArrays.of("text", rows, StageRow::payloadJson));
        return new Part("""
                INSERT INTO trace_stage (audit_id, conversation_id, turn_id, step_id, stage, created_at, payload)
                SELECT * FROM unnest(CAST(:stageAuditIds AS bigint[]), CAST(:stageConversationIds AS uuid[]),
                                     CAST(:stageTurnIds AS uuid[]), CAST(:stageStepIds AS bigint[]),
                                     CAST(:stageNames AS text[]), CAST(:stageCreatedAts AS timestamptz[]),
                                     CAST(:stagePayloads AS text[]))
                """ + (skippingStored ? "ON CONFLICT DO NOTHING" : ""), params);
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

    private static Part stepsOpened(List<TraceWrites.OpenedStep> steps) {
        Map<String, Object> params = new HashMap<>();
        params.put("openStepIds", SqlArrays.of("bigint", steps, TraceWrites.OpenedStep::stepId));
        params.put("openConversationIds", SqlArrays.of("uuid", steps, TraceWrites.OpenedStep::conversationId));
        params.put("openTurnIds", SqlArrays.of("uuid", steps, TraceWrites.OpenedStep::turnId));
        params.put("openSteps", SqlArrays.of("text", steps, step -> step.enter().step()));
        params.put("openStepClasses", SqlArrays.of("text", steps, step -> step.enter().stepClass()));
        params.put("openSourceFiles", SqlArrays.of("text", steps, step -> step.enter().sourceFile()));
        params.put("openStartedAts", SqlArrays.of("text", steps, step -> step.startedAt()));
        params.put("openStatuses", SqlArrays.of("text", steps,
                step -> (step.close() == null ? TraceStep.Status.RUNNING : step.close().status()).name()));
        params.put("openEndedAts", SqlArrays.of("text", steps,
                step -> step.close() == null ? null : step.close().endedAt()));
        params.put("openErrors", SqlArrays.of("text", steps,
                step -> step.close() == null ? null : closeError(step.close())));
        params.put("openDurations", SqlArrays.of("bigint", steps,
                step -> step.close() == null ? null : step.close().exit().durationMs()));
        params.put("openExitClasses", SqlArrays.of("text", steps,
                step -> step.close() == null ? null : step.close().exit().stepClass()));
        params.put("openExitFiles", SqlArrays.of("text", steps,
                step -> step.close() == null ? null : step.close().exit().sourceFile()));
        return new Part("""
                INSERT INTO trace_step (step_id, conversation_id, turn_id, step, step_class, source_file,
                                        status, started_at, ended_at, duration_ms, error)
                SELECT s.step_id, s.conversation_id, s.turn_id, s.step, COALESCE(s.step_class, s.exit_class),
                       COALESCE(s.source_file, s.exit_file), s.status, s.started_at, s.ended_at,
                       CASE WHEN s.ended_at IS NOT NULL THEN COALESCE(s.duration_ms,
                           CAST(round(EXTRACT(EPOCH FROM (s.ended_at - s.started_at)) * 1000) AS bigint)) END,
                       s.error
                FROM unnest(CAST(:openStepIds AS bigint[]), CAST(:openConversationIds AS uuid[]),
                            CAST(:openTurnIds AS uuid[]), CAST(:openSteps AS text[]), CAST(:openStepClasses AS text[]),
                            CAST(:openSourceFiles AS text[]), CAST(:openStartedAts AS timestamptz[]),
                            CAST(:openStatuses AS text[]), CAST(:openEndedAts AS timestamptz[]),
                            CAST(:openErrors AS text[]), CAST(:openDurations AS bigint[]),
                            CAST(:openExitClasses AS text[]), CAST(:openExitFiles AS text[]))
                     AS s(step_id, conversation_id, turn_id, step, step_class, source_file, started_at, status,
                          ended_at, error, duration_ms, exit_class, exit_file)
                ON CONFLICT DO NOTHING""", params);
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

    private static Part stepsClosed(List<TraceWrites.ClosedStep> steps) {
        Map<String, Object> params = new HashMap<>();
        params.put("closeStepIds", SqlArrays.of("bigint", steps, TraceWrites.ClosedStep::stepId));
        params.put("closeStatuses", SqlArrays.of("text", steps, step -> step.status().name()));
        params.put("closeEndedAts", SqlArrays.of("text", steps, step -> step.endedAt()));
        params.put("closeErrors", SqlArrays.of("text", steps, TraceRepository::closeError));
        params.put("closeDurations", SqlArrays.of("bigint", steps, step -> step.exit().durationMs()));
        params.put("closeStepClasses", SqlArrays.of("text", steps, step -> step.exit().stepClass()));
        params.put("closeSourceFiles", SqlArrays.of("text", steps, step -> step.exit().sourceFile()));
        return new Part("""
                UPDATE trace_step s
                SET status = c.status, ended_at = c.ended_at, error = c.error,
                    duration_ms = COALESCE(c.duration_ms,
                        CAST(round(EXTRACT(EPOCH FROM (c.ended_at - s.started_at)) * 1000) AS bigint)),
                    step_class = COALESCE(s.step_class, c.step_class),
                    source_file = COALESCE(s.source_file, c.source_file)
                FROM unnest(CAST(:closeStepIds AS bigint[]), CAST(:closeStatuses AS text[]),
                            CAST(:closeEndedAts AS timestamptz[]), CAST(:closeErrors AS text[]),
                            CAST(:closeDurations AS bigint[]), CAST(:closeStepClasses AS text[]),
                            CAST(:closeSourceFiles AS text[]))
                     AS c(step_id, status, ended_at, error, duration_ms, step_class, source_file)
                WHERE s.step_id = c.step_id""", params);
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

    /** {@link #stages}, each payload as its stored UTF-8. */
    List<StoredStage> storedStages(UUID conversationId) {
        return reads.inBinary(STAGE_COLUMNS + " FROM trace_stage WHERE conversation_id = ? ORDER BY audit_id",
                TraceRepository::storedStage, conversationId);
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
     * each payload as its stored UTF-8.
     */
    List<StoredStage> storedStagesOfTurns(List<UUID> turnIds) {
        if (turnIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(STAGE_COLUMNS + " FROM trace_stage WHERE turn_id IN (:turnIds) ORDER BY audit_id")
                .param("turnIds", turnIds)
                .query(TraceRepository::storedStage)
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

    private static StoredStage storedStage(ResultSet rs, int rowNum) throws SQLException {
        return new StoredStage(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, Long.class), rs.getString(4),
                instant(rs, 5), rs.getBytes(6));
    }

    /** Read from the driver's bytes ({@link StoredInstants}), where a Timestamp goes through a Calendar. */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return StoredInstants.read(rs, column);
    }
}
