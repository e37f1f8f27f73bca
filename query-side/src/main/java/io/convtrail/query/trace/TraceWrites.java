package io.convtrail.query.trace;

import io.convtrail.api.Stage;
import io.convtrail.api.rest.TraceStep;
import io.convtrail.query.projection.ProjectionBatches;
import io.convtrail.query.trace.TraceChange.StageRecorded;
import io.convtrail.query.trace.TraceChange.TurnEnded;
import io.convtrail.query.trace.TraceChange.TurnStarted;
import io.convtrail.query.trace.TraceRows.StageRow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies a batch of trace changes with ConvEngine's walk, as the events came: STEP_ENTER opens a
 * step, STEP_EXIT / STEP_ERROR closes the open step it names, any other stage belongs to the
 * innermost open step. A stage already stored was applied before and changes nothing. The walk runs
 * in memory over the batch, starting from the open steps stored by earlier batches (read once per
 * batch, in the same statement that finds the batch's stages stored already), and its rows are written with one statement per table and kind of change (a replay's stages
 * and opened steps copied in).
 */
final class TraceWrites {

    private record TurnKey(UUID conversationId, UUID turnId) {
    }

    /** A step closed by an exit or an error. */
    record ClosedStep(long stepId, TraceStep.Status status, StepBracket exit, java.time.Instant endedAt) {
    }

    /**
     * A step opened by a STEP_ENTER; {@code close} when the same batch also closes it, so that the step is
     * written once, closed, instead of inserted and then updated (a second heap tuple and index entries).
     */
    record OpenedStep(UUID conversationId, long stepId, UUID turnId, StepBracket enter, java.time.Instant startedAt,
                      ClosedStep close) {

        OpenedStep closedBy(ClosedStep closing) {
            return new OpenedStep(conversationId, stepId, turnId, enter, startedAt, closing);
        }
    }

    private final TraceRepository repository;

    TraceWrites(TraceRepository repository) {
        this.repository = repository;
    }

    /** @param fresh a replay's batch ({@link ProjectionBatches.Writer}): none of its stages is stored yet */
    void write(List<TraceChange> changes, boolean fresh) {
        List<StageRecorded> stages = new ArrayList<>();
        List<TurnStarted> started = new ArrayList<>();
        Map<UUID, TurnEnded> ended = new LinkedHashMap<>();
        for (TraceChange change : changes) {
            if (change instanceof StageRecorded stage) {
                stages.add(stage);
            } else if (change instanceof TurnStarted turn) {
                started.add(turn);
            } else if (change instanceof TurnEnded end) {
                // a turn ended twice in one batch: the later end holds, as when applied one by one
                ended.remove(end.turnId());
                ended.put(end.turnId(), end);
            }
        }
        List<StageRow> stageRows = new ArrayList<>();
        List<UUID> stageConversations = new ArrayList<>();
        List<OpenedStep> opened = new ArrayList<>();
        List<ClosedStep> closed = new ArrayList<>();
        walk(stages, fresh, stageRows, stageConversations, opened, closed);
        repository.startTurns(started);
        if (fresh) {
            repository.copyStages(stageConversations, stageRows);
        } else {
            repository.insertStages(stageConversations, stageRows);
        }
        if (!fresh || !repository.copySteps(opened)) {
            repository.openSteps(opened);
        }
        repository.closeSteps(closed);
        repository.endTurns(new ArrayList<>(ended.values()));
    }

    private void walk(List<StageRecorded> stages, boolean fresh, List<StageRow> rows,
                      List<UUID> conversations, List<OpenedStep> opened, List<ClosedStep> closed) {
        if (stages.isEmpty()) {
            return;
        }
        Map<TurnKey, List<OpenStep>> open = new HashMap<>();
        Map<Long, Integer> openedAt = new HashMap<>();
        TraceRepository.OpenSteps into = (conversationId, turnId, step) ->
                open.computeIfAbsent(new TurnKey(conversationId, turnId), key -> new ArrayList<>()).add(step);
        Set<Long> stored;
        if (fresh) {
            // a fresh batch's stages are all new; were one stored after all, its copy fails the batch
            stored = Set.of();
            repository.openSteps(stages.stream().map(StageRecorded::conversationId).distinct().toList(), into);
        } else {
            // one statement for both; the open steps of every conversation of the batch, also of one whose stages
            // turn out to be stored already (they are skipped, so its steps are not used)
            stored = repository.storedStagesAndOpenSteps(stages.stream().map(StageRecorded::auditId).toList(),
                    stages.stream().map(StageRecorded::conversationId).toList(),
                    stages.stream().map(StageRecorded::conversationId).distinct().toList(), into);
        }
        for (StageRecorded e : stages) {
            if (stored.contains(e.auditId())) {
                continue;
            }
            // the open steps are scoped to their turn: a step a crashed turn left open never swallows the next turn's stages
            List<OpenStep> steps = open.computeIfAbsent(new TurnKey(e.conversationId(), e.turnId()),
                    key -> new ArrayList<>());
            Long stepId = null;
            if (e.stage() == Stage.STEP_ENTER) {
                openedAt.put(e.auditId(), opened.size());
                opened.add(new OpenedStep(e.conversationId(), e.auditId(), e.turnId(), e.bracket(), e.createdAt(), null));
                steps.add(0, new OpenStep(e.auditId(), e.bracket().step()));
            } else if (e.stage() == Stage.STEP_EXIT || e.stage() == Stage.STEP_ERROR) {
                OpenStep.closedBy(steps, e.bracket().step()).ifPresent(step -> {
                    ClosedStep closing = new ClosedStep(step.stepId(),
                            e.stage() == Stage.STEP_ERROR ? TraceStep.Status.ERROR : TraceStep.Status.OK,
                            e.bracket(), e.createdAt());
                    Integer inBatch = openedAt.get(step.stepId());
                    if (inBatch != null) {
                        opened.set(inBatch, opened.get(inBatch).closedBy(closing));
                    } else {
                        closed.add(closing);
                    }
                    steps.remove(step);
                });
            } else if (!steps.isEmpty()) {
                stepId = steps.get(0).stepId();
            }
            rows.add(new StageRow(e.auditId(), e.turnId(), stepId, e.stage().name(), e.createdAt(), e.payloadJson()));
            conversations.add(e.conversationId());
        }
    }
}
