package io.convtrail.query.trace;

import io.convtrail.api.rest.ConversationTrace;
import io.convtrail.api.rest.TraceStep;
import io.convtrail.api.rest.TraceTurn;
import io.convtrail.query.trace.TraceRows.StageRow;
import io.convtrail.query.trace.TraceRows.StepRow;
import io.convtrail.query.trace.TraceRows.TurnRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows to answer: stages under their step, steps under their turn, brackets only in the flat list. */
class TraceAssemblerTest {

    private static final UUID CONVERSATION = UUID.randomUUID();
    private static final UUID TURN = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    @Test
    void groupsStagesUnderStepsAndStepsUnderTurns() {
        List<TurnRow> turns = List.of(new TurnRow(TURN, 1, "hi", T0, T0.plusMillis(9), "GREETING", "IDLE",
                TraceTurn.Status.COMPLETED, "ANSWERED"));
        List<StepRow> steps = List.of(new StepRow(11, TURN, "AuditUserInputStep", "x.AuditUserInputStep",
                "x/AuditUserInputStep.java", TraceStep.Status.OK, T0.plusMillis(1), T0.plusMillis(3), 2L, null));
        List<StageRow> stages = List.of(
                stage(11, null, "STEP_ENTER"),
                stage(12, 11L, "USER_INPUT"),
                stage(13, null, "STEP_EXIT"),
                stage(14, null, "ASSISTANT_OUTPUT"));

        ConversationTrace trace = TraceAssembler.assemble(CONVERSATION, turns, steps, stages);

        assertThat(trace.stages()).extracting("auditId").containsExactly(11L, 12L, 13L, 14L);
        assertThat(trace.steps()).hasSize(1);
        TraceStep step = trace.steps().get(0);
        assertThat(step.stages()).extracting("stage").containsExactly("USER_INPUT");
        assertThat(step.startedAt()).isEqualTo("2026-11-24T06:00:00.001Z");
        TraceTurn turn = trace.turns().get(0);
        assertThat(turn.durationMs()).isEqualTo(9L);
        assertThat(turn.steps()).containsExactly(step);
        assertThat(turn.stagesOutsideSteps()).extracting("stage").containsExactly("ASSISTANT_OUTPUT");
    }

    @Test
    void nestedStepsEachHoldTheirOwnStagesAndAStepOrStageWithoutItsOwnerIsOnlyInTheFlatLists() {
        UUID otherTurn = UUID.randomUUID();
        List<TurnRow> turns = List.of(new TurnRow(TURN, 1, "hi", T0, T0.plusMillis(9), null, null,
                TraceTurn.Status.COMPLETED, null));
        List<StepRow> steps = List.of(step(21, TURN, "Outer"), step(22, TURN, "Inner"), step(30, otherTurn, "Orphan"));
        List<StageRow> stages = List.of(
                stage(20, null, "USER_INPUT"),
                stage(21, null, "STEP_ENTER"),
                stage(22, null, "STEP_ENTER"),
                stage(23, 22L, "RULE_MATCH"),
                stage(24, 21L, "RULE_MATCH"),
                stage(25, 22L, "RULE_MATCH"),
                stage(26, null, "STEP_EXIT"),
                stage(27, 99L, "MCP_TOOL_CALL"),
                stage(28, null, "STEP_EXIT"),
                new StageRow(29, otherTurn, null, "ASSISTANT_OUTPUT", T0, "{}"),
                stage(31, null, "ASSISTANT_OUTPUT"));

        ConversationTrace trace = TraceAssembler.assemble(CONVERSATION, turns, steps, stages);

        assertThat(trace.stages()).extracting("auditId").containsExactly(20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L,
                29L, 31L);
        assertThat(trace.steps().get(0).stages()).extracting("auditId").containsExactly(24L);
        assertThat(trace.steps().get(1).stages()).extracting("auditId").containsExactly(23L, 25L);
        assertThat(trace.steps().get(2).stages()).isEmpty();
        TraceTurn turn = trace.turns().get(0);
        assertThat(turn.steps()).extracting("step").containsExactly("Outer", "Inner");
        assertThat(turn.stagesOutsideSteps()).extracting("auditId").containsExactly(20L, 31L);
    }

    @Test
    void aRunningTurnHasNoEndAndNoDuration() {
        ConversationTrace trace = TraceAssembler.assemble(CONVERSATION,
                List.of(new TurnRow(TURN, 1, "hi", T0, null, null, null, TraceTurn.Status.RUNNING, null)), List.of(), List.of());
        assertThat(trace.turns().get(0).endedAt()).isNull();
        assertThat(trace.turns().get(0).durationMs()).isNull();
        assertThat(trace.turns().get(0).steps()).isEmpty();
    }

    @Test
    void stagesOutsideAnyTurnAppearOnlyInTheFlatList() {
        ConversationTrace trace = TraceAssembler.assemble(CONVERSATION, List.of(), List.of(),
                List.of(new StageRow(5, null, null, "MCP_USER_FEEDBACK", T0, "{}")));
        assertThat(trace.stages()).hasSize(1);
        assertThat(trace.steps()).isEmpty();
        assertThat(trace.turns()).isEmpty();
    }

    private static StepRow step(long stepId, UUID turnId, String name) {
        return new StepRow(stepId, turnId, name, null, null, TraceStep.Status.OK, T0, T0.plusMillis(1), 1L, null);
    }

    private static StageRow stage(long auditId, Long stepId, String stage) {
        return new StageRow(auditId, TURN, stepId, stage, T0.plusMillis(auditId - 10), "{\"n\":" + auditId + "}");
    }
}
