package io.convtrail.query.trace;

import io.convtrail.api.Stage;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which stages each step holds, and which steps and stages outside steps each turn holds, as chains of
 * indexes into the three lists: the one grouping of the trace, for the query bus's records
 * ({@link TraceAssembler}) and the HTTP answer's bytes ({@link TraceJson}) alike. The projection already
 * decided which step every stage belongs to, so this is a single pass over each list: no rule of
 * ConvEngine's walk lives here. A stage in a step goes under that step, one outside steps (not a bracket)
 * under its turn; a step goes under its turn; a step or turn that is not in the lists holds nothing. Each
 * chain keeps its list's order. Arrays of indexes, not a map of lists, because a long conversation has
 * 10,000 stages and the HTTP answer groups them on every request.
 */
final class TraceGroups {

    /** The end of a chain. */
    static final int NONE = -1;
    /** A stage's step id when it was recorded outside steps. */
    static final long NO_STEP = -1;

    /** Where a stage was recorded, by its index in the stages' list. */
    interface StagePlaces {
        int count();

        /** The step the stage was recorded in, {@link #NO_STEP} outside steps and for the brackets. */
        long stepId(int stage);

        UUID turnId(int stage);

        /** Whether the stage is a step's bracket (STEP_ENTER, STEP_EXIT, STEP_ERROR). */
        boolean bracket(int stage);
    }

    private final int[] firstStageOfStep;
    private final int[] firstStepOfTurn;
    private final int[] firstOutsideOfTurn;
    private final int[] nextStage;
    private final int[] nextStep;

    private TraceGroups(int turns, int steps, int stages) {
        firstStageOfStep = filled(steps);
        firstStepOfTurn = filled(turns);
        firstOutsideOfTurn = filled(turns);
        nextStage = filled(stages);
        nextStep = filled(steps);
    }

    static TraceGroups of(List<TurnRow> turns, List<StepRow> steps, StagePlaces stages) {
        TraceGroups groups = new TraceGroups(turns.size(), steps.size(), stages.count());
        Map<UUID, Integer> turnIndexes = new HashMap<>(turns.size() * 2);
        for (int t = 0; t < turns.size(); t++) {
            turnIndexes.putIfAbsent(turns.get(t).turnId(), t);
        }
        StepIndexes stepIndexes = new StepIndexes(steps);

        int[] lastStageOfStep = filled(steps.size());
        int[] lastOutsideOfTurn = filled(turns.size());
        for (int s = 0; s < stages.count(); s++) {
            long stepId = stages.stepId(s);
            if (stepId != NO_STEP) {
                int step = stepIndexes.of(stepId);
                if (step != NONE) {
                    groups.append(groups.firstStageOfStep, lastStageOfStep, step, s, groups.nextStage);
                }
            } else if (stages.turnId(s) != null && !stages.bracket(s)) {
                Integer turn = turnIndexes.get(stages.turnId(s));
                if (turn != null) {
                    groups.append(groups.firstOutsideOfTurn, lastOutsideOfTurn, turn, s, groups.nextStage);
                }
            }
        }

        int[] lastStepOfTurn = filled(turns.size());
        for (int p = 0; p < steps.size(); p++) {
            UUID turnId = steps.get(p).turnId();
            Integer turn = turnId == null ? null : turnIndexes.get(turnId);
            if (turn != null) {
                groups.append(groups.firstStepOfTurn, lastStepOfTurn, turn, p, groups.nextStep);
            }
        }
        return groups;
    }

    int firstStageOf(int step) {
        return firstStageOfStep[step];
    }

    int firstStepOf(int turn) {
        return firstStepOfTurn[turn];
    }

    int firstOutsideStepsOf(int turn) {
        return firstOutsideOfTurn[turn];
    }

    /** The next stage of the same step, or of the same turn outside steps. */
    int nextStage(int stage) {
        return nextStage[stage];
    }

    /** The next step of the same turn. */
    int nextStep(int step) {
        return nextStep[step];
    }

    static boolean isBracket(String stage) {
        return Stage.STEP_ENTER.name().equals(stage) || Stage.STEP_EXIT.name().equals(stage)
                || Stage.STEP_ERROR.name().equals(stage);
    }

    private void append(int[] first, int[] last, int owner, int item, int[] next) {
        if (first[owner] == NONE) {
            first[owner] = item;
        } else {
            next[last[owner]] = item;
        }
        last[owner] = item;
    }

    private static int[] filled(int length) {
        int[] indexes = new int[length];
        Arrays.fill(indexes, NONE);
        return indexes;
    }

    /** A step's index by its id: a binary search, the steps being read in step id order (sorted here if not). */
    private static final class StepIndexes {

        private final long[] ids;
        private final int[] indexes;

        StepIndexes(List<StepRow> steps) {
            ids = new long[steps.size()];
            boolean ascending = true;
            for (int p = 0; p < ids.length; p++) {
                ids[p] = steps.get(p).stepId();
                ascending &= p == 0 || ids[p - 1] < ids[p];
            }
            if (ascending) {
                indexes = null;
            } else {
                Integer[] order = new Integer[ids.length];
                Arrays.setAll(order, p -> p);
                Arrays.sort(order, (a, b) -> Long.compare(steps.get(a).stepId(), steps.get(b).stepId()));
                indexes = new int[ids.length];
                for (int i = 0; i < order.length; i++) {
                    indexes[i] = order[i];
                    ids[i] = steps.get(order[i]).stepId();
                }
            }
        }

        /** The first step with this id, or {@link #NONE}. */
        int of(long stepId) {
            int at = Arrays.binarySearch(ids, stepId);
            if (at < 0) {
                return NONE;
            }
            while (at > 0 && ids[at - 1] == stepId) {
                at--;
            }
            return indexes == null ? at : indexes[at];
        }
    }
}
