package io.convtrail.query.trace;

import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TraceStage;
import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.query.json.IsoInstants;
import io.convtrail.query.trace.TraceRows.StageRow;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Puts the stored rows together into the query bus's records, grouped by {@link TraceGroups} (the HTTP
 * answer's bytes, {@link TraceJson}, group the same way).
 */
final class TraceAssembler {

    private TraceAssembler() {
    }

    static ConversationTrace assemble(UUID conversationId, List<TurnRow> turnRows, List<StepRow> stepRows,
                                      List<StageRow> stageRows) {
        TraceGroups groups = TraceGroups.of(turnRows, stepRows, new TraceGroups.StagePlaces() {
            @Override
            public int count() {
                return stageRows.size();
            }

            @Override
            public long stepId(int stage) {
                Long stepId = stageRows.get(stage).stepId();
                return stepId == null ? TraceGroups.NO_STEP : stepId;
            }

            @Override
            public UUID turnId(int stage) {
                return stageRows.get(stage).turnId();
            }

            @Override
            public boolean bracket(int stage) {
                return TraceGroups.isBracket(stageRows.get(stage).stage());
            }
        });
        List<TraceStage> stages = new ArrayList<>(stageRows.size());
        for (StageRow row : stageRows) {
            stages.add(new TraceStage(row.auditId(), row.stage(), iso(row.createdAt()), row.payloadJson()));
        }
        List<TraceStep> steps = new ArrayList<>(stepRows.size());
        for (int p = 0; p < stepRows.size(); p++) {
            StepRow row = stepRows.get(p);
            steps.add(new TraceStep(row.step(), row.stepClass(), row.sourceFile(), row.status(), iso(row.startedAt()),
                    iso(row.endedAt()), row.durationMs(), row.error(), chain(stages, groups.firstStageOf(p), groups)));
        }
        List<TraceTurn> turns = new ArrayList<>(turnRows.size());
        for (int t = 0; t < turnRows.size(); t++) {
            TurnRow row = turnRows.get(t);
            List<TraceStep> stepsOfTurn = new ArrayList<>();
            for (int p = groups.firstStepOf(t); p != TraceGroups.NONE; p = groups.nextStep(p)) {
                stepsOfTurn.add(steps.get(p));
            }
            turns.add(new TraceTurn(row.turnId(), row.index(), row.userText(), iso(row.startedAt()),
                    iso(row.endedAt()), durationMs(row), row.intent(), row.state(), row.status(), row.outcome(),
                    stepsOfTurn, chain(stages, groups.firstOutsideStepsOf(t), groups)));
        }
        return new ConversationTrace(conversationId, steps, stages, turns);
    }

    private static List<TraceStage> chain(List<TraceStage> stages, int first, TraceGroups groups) {
        List<TraceStage> chained = new ArrayList<>();
        for (int s = first; s != TraceGroups.NONE; s = groups.nextStage(s)) {
            chained.add(stages.get(s));
        }
        return chained;
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
