package io.convtrail.query.trace;

import io.convtrail.api.Stage;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TraceStage;
import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.query.json.IsoInstants;
import io.convtrail.query.trace.TraceRows.StagePlace;
import io.convtrail.query.trace.TraceRows.StageRow;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Puts the stored rows together into the answer. The projection already decided which step every
 * stage belongs to, so this is a single pass over each list: no rule of ConvEngine's walk lives here.
 * The grouping is one; what a stage, a step and a turn become is the caller's {@link Parts}: records
 * for the query bus, rendered JSON for the HTTP answer ({@link TraceJson}).
 */
final class TraceAssembler {

    /** What the grouped rows ({@code S} a stage's) are made into: {@code G} a stage, {@code P} a step, {@code T} a turn. */
    interface Parts<S extends StagePlace, G, P, T> {
        G stage(S row);

        P step(StepRow row, List<G> stages);

        T turn(TurnRow row, List<P> steps, List<G> stagesOutsideSteps);
    }

    /** The trace's three lists, each in auditId (turns: index) order. */
    record Grouped<G, P, T>(List<P> steps, List<G> stages, List<T> turns) {
    }

    private static final Parts<StageRow, TraceStage, TraceStep, TraceTurn> RECORDS = new Parts<>() {
        @Override
        public TraceStage stage(StageRow row) {
            return new TraceStage(row.auditId(), row.stage(), iso(row.createdAt()), row.payloadJson());
        }

        @Override
        public TraceStep step(StepRow row, List<TraceStage> stages) {
            return new TraceStep(row.step(), row.stepClass(), row.sourceFile(), row.status(), iso(row.startedAt()),
                    iso(row.endedAt()), row.durationMs(), row.error(), stages);
        }

        @Override
        public TraceTurn turn(TurnRow row, List<TraceStep> steps, List<TraceStage> stagesOutsideSteps) {
            return new TraceTurn(row.turnId(), row.index(), row.userText(), iso(row.startedAt()), iso(row.endedAt()),
                    durationMs(row), row.intent(), row.state(), row.status(), row.outcome(), steps,
                    stagesOutsideSteps);
        }
    };

    private TraceAssembler() {
    }

    static ConversationTrace assemble(UUID conversationId, List<TurnRow> turnRows, List<StepRow> stepRows,
                                      List<StageRow> stageRows) {
        Grouped<TraceStage, TraceStep, TraceTurn> trace = group(turnRows, stepRows, stageRows, RECORDS);
        return new ConversationTrace(conversationId, trace.steps(), trace.stages(), trace.turns());
    }

    static <S extends StagePlace, G, P, T> Grouped<G, P, T> group(List<TurnRow> turnRows, List<StepRow> stepRows,
                                                                  List<S> stageRows, Parts<S, G, P, T> parts) {
        Map<Long, List<G>> stagesByStep = new HashMap<>();
        Map<UUID, List<G>> outsideStepsByTurn = new HashMap<>();
        List<G> stages = new ArrayList<>(stageRows.size());
        for (S row : stageRows) {
            G stage = parts.stage(row);
            stages.add(stage);
            if (row.stepId() != null) {
                stagesByStep.computeIfAbsent(row.stepId(), id -> new ArrayList<>()).add(stage);
            } else if (row.turnId() != null && !isBracket(row.stage())) {
                outsideStepsByTurn.computeIfAbsent(row.turnId(), id -> new ArrayList<>()).add(stage);
            }
        }

        Map<UUID, List<P>> stepsByTurn = new LinkedHashMap<>();
        List<P> steps = new ArrayList<>(stepRows.size());
        for (StepRow row : stepRows) {
            P step = parts.step(row, stagesByStep.getOrDefault(row.stepId(), List.of()));
            steps.add(step);
            if (row.turnId() != null) {
                stepsByTurn.computeIfAbsent(row.turnId(), id -> new ArrayList<>()).add(step);
            }
        }

        List<T> turns = new ArrayList<>(turnRows.size());
        for (TurnRow row : turnRows) {
            turns.add(parts.turn(row, stepsByTurn.getOrDefault(row.turnId(), List.of()),
                    outsideStepsByTurn.getOrDefault(row.turnId(), List.of())));
        }
        return new Grouped<>(steps, stages, turns);
    }

    static boolean isBracket(String stage) {
        return Stage.STEP_ENTER.name().equals(stage) || Stage.STEP_EXIT.name().equals(stage)
                || Stage.STEP_ERROR.name().equals(stage);
    }

    static Long durationMs(TurnRow row) {
        Instant start = row.startedAt();
        Instant end = row.endedAt();
        return start == null || end == null ? null : Duration.between(start, end).toMillis();
    }

    static String iso(Instant instant) {
        return IsoInstants.format(instant);
    }
}
