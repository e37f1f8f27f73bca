package io.convtrail.query.trace;

import io.convtrail.api.Stage;
import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TraceStage;
import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;
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
 */
final class TraceAssembler {

    private TraceAssembler() {
    }

    static ConversationTrace assemble(UUID conversationId, List<TurnRow> turnRows, List<StepRow> stepRows,
                                      List<StageRow> stageRows) {
        Map<Long, List<TraceStage>> stagesByStep = new HashMap<>();
        Map<UUID, List<TraceStage>> outsideStepsByTurn = new HashMap<>();
        List<TraceStage> stages = new ArrayList<>(stageRows.size());
        for (StageRow row : stageRows) {
            TraceStage stage = new TraceStage(row.auditId(), row.stage(), iso(row.createdAt()), row.payloadJson());
            stages.add(stage);
            if (row.stepId() != null) {
                stagesByStep.computeIfAbsent(row.stepId(), id -> new ArrayList<>()).add(stage);
            } else if (row.turnId() != null && !isBracket(row.stage())) {
                outsideStepsByTurn.computeIfAbsent(row.turnId(), id -> new ArrayList<>()).add(stage);
            }
        }

        Map<UUID, List<TraceStep>> stepsByTurn = new LinkedHashMap<>();
        List<TraceStep> steps = new ArrayList<>(stepRows.size());
        for (StepRow row : stepRows) {
            TraceStep step = new TraceStep(row.step(), row.stepClass(), row.sourceFile(), row.status(),
                    iso(row.startedAt()), iso(row.endedAt()), row.durationMs(), row.error(),
                    stagesByStep.getOrDefault(row.stepId(), List.of()));
            steps.add(step);
            if (row.turnId() != null) {
                stepsByTurn.computeIfAbsent(row.turnId(), id -> new ArrayList<>()).add(step);
            }
        }

        List<TraceTurn> turns = new ArrayList<>(turnRows.size());
        for (TurnRow row : turnRows) {
            turns.add(new TraceTurn(row.turnId(), row.index(), row.userText(), iso(row.startedAt()),
                    iso(row.endedAt()), millisBetween(row.startedAt(), row.endedAt()), row.intent(), row.state(),
                    row.status(), row.outcome(), stepsByTurn.getOrDefault(row.turnId(), List.of()),
                    outsideStepsByTurn.getOrDefault(row.turnId(), List.of())));
        }
        return new ConversationTrace(conversationId, steps, stages, turns);
    }

    static boolean isBracket(String stage) {
        return Stage.STEP_ENTER.name().equals(stage) || Stage.STEP_EXIT.name().equals(stage)
                || Stage.STEP_ERROR.name().equals(stage);
    }

    private static Long millisBetween(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end).toMillis();
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
