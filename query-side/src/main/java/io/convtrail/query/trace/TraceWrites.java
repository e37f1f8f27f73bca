package io.convtrail.query.trace;

import io.convtrail.api.Stage;
import io.convtrail.api.rest.TraceStep;
import io.convtrail.query.projection.NewRows;
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
 * batch), and a live batch's rows are written in one statement (a replay's: one statement per table and kind of
 * change, its stages and opened steps copied in).
 * <p>
 * A live batch is walked as if none of its stages were stored, and its stages are inserted plainly ({@link NewRows}):
 * where the insert succeeds none was, and the walk is the one that skips stored stages. Only when one was stored (a
 * unique violation: events applied again) is the insert undone and the batch walked again, the stored stages looked
 * up and skipped; so a live batch does not look its stages up, one index search each.
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

    /** A batch's stages walked: the rows to store (the i-th conversation is the i-th row's) and the steps they open and close. */
    private record Walk(List<StageRow> rows, List<UUID> conversations, List<OpenedStep> opened,
                        List<ClosedStep> closed) {

        static Walk none() {
            return new Walk(List.of(), List.of(), List.of(), List.of());
        }
    }

    private final TraceRepository repository;
    private final NewRows newRows;

    TraceWrites(TraceRepository repository, NewRows newRows) {
        this.repository = repository;
        this.newRows = newRows;
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
        List<TurnEnded> ends = new ArrayList<>(ended.values());
        if (fresh) {
            // a fresh batch's stages are all new; were one stored after all, its copy fails the batch
            Walk walk = stages.isEmpty() ? Walk.none() : walk(stages, Set.of(), openSteps(stages));
            repository.startTurns(started);
            repository.copyStages(walk.conversations(), walk.rows());
            if (!repository.copySteps(walk.opened())) {
                repository.openSteps(walk.opened());
            }
            repository.closeSteps(walk.closed());
            repository.endTurns(ends);
        } else if (stages.isEmpty()) {
            write(started, ends, Walk.none(), false);
        } else {
            newRows.insert(() -> {
                // walked as if none were stored, the common case: the plain insert then fails if one was
                write(started, ends, walk(stages, Set.of(), openSteps(stages)), false);
                return null;
            }, () -> {
                write(started, ends, storedSkipped(stages), true);
                return null;
            });
        }
    }

    private void write(List<TurnStarted> started, List<TurnEnded> ends, Walk walk, boolean skippingStored) {
        repository.writeLive(started, ends, walk.conversations(), walk.rows(), walk.opened(), walk.closed(),
                skippingStored);
    }

    /**
     * The batch walked again, its stages stored already (an event applied twice) skipped: they are looked up with
     * the open steps, in one statement.
     */
    private Walk storedSkipped(List<StageRecorded> stages) {
        Map<TurnKey, List<OpenStep>> open = new HashMap<>();
        // the open steps of every conversation of the batch, also of one whose stages turn out to be stored already
        // (they are skipped, so its steps are not used)
        Set<Long> stored = repository.storedStagesAndOpenSteps(stages.stream().map(StageRecorded::auditId).toList(),
                stages.stream().map(StageRecorded::conversationId).toList(),
                stages.stream().map(StageRecorded::conversationId).distinct().toList(), into(open));
        return walk(stages, stored, open);
    }

    /** The stored open steps of the stages' conversations, by turn. */
    private Map<TurnKey, List<OpenStep>> openSteps(List<StageRecorded> stages) {
        Map<TurnKey, List<OpenStep>> open = new HashMap<>();
        repository.openSteps(stages.stream().map(StageRecorded::conversationId).distinct().toList(), into(open));
        return open;
    }

    private static TraceRepository.OpenSteps into(Map<TurnKey, List<OpenStep>> open) {
        return (conversationId, turnId, step) ->
                open.computeIfAbsent(new TurnKey(conversationId, turnId), key -> new ArrayList<>()).add(step);
    }

    /** ConvEngine's walk over the stages, from the stored open steps ({@code open}, changed as it goes). */
    private static Walk walk(List<StageRecorded> stages, Set<Long> stored, Map<TurnKey, List<OpenStep>> open) {
        List<StageRow> rows = new ArrayList<>();
        List<UUID> conversations = new ArrayList<>();
        List<OpenedStep> opened = new ArrayList<>();
        List<ClosedStep> closed = new ArrayList<>();
        Map<Long, Integer> openedAt = new HashMap<>();
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
        return new Walk(rows, conversations, opened, closed);
    }
}
