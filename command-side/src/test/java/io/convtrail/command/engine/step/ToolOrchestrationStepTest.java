package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.api.command.ConversationView;
import io.convtrail.command.turn.EngineFailure;
import io.convtrail.command.engine.SchemaStatus;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.engine.tool.CreditRatingTool;
import io.convtrail.command.engine.tool.DemoToolProperties;
import io.convtrail.command.engine.tool.FlowTool;
import io.convtrail.command.engine.tool.ToolCall;
import io.convtrail.command.engine.tool.ToolInvoker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolOrchestrationStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void callsTheDueToolAfterCommittingItsProgressAndKeepsTheResult() {
        CreditRatingTool rating = new CreditRatingTool(new DemoToolProperties(Duration.ZERO));
        int[] committedWhenCalled = new int[1];
        FlowTool observed = new FlowTool() {
            @Override
            public String code() {
                return "credit_rating";
            }

            @Override
            public Map<String, Object> call(ToolCall call) {
                committedWhenCalled[0] = turn.committed().size();
                return rating.call(call);
            }
        };
        TurnSession session = completeApplication();

        new ToolOrchestrationStep(new ToolInvoker(List.of(observed))).run(session);

        assertThat(committedWhenCalled[0]).as("records committed before the tool ran").isEqualTo(2);
        assertThat(turn.stages()).containsExactly(Stage.MCP_TOOL_CALL, Stage.MCP_TOOL_RESULT);
        assertThat(turn.verbose()).extracting(v -> v.text()).containsExactly(
                "Checking credit rating from credit union.", "Credit rating received: A.");
        assertThat(turn.verbose()).allSatisfy(v -> assertThat(v.toolCode()).isEqualTo("credit_rating"));
        assertThat(session.context()).containsEntry("tools",
                Map.of("credit_rating", Map.of("rating", "A", "score", 780, "bureau", "Demo Credit Union")));
    }

    @Test
    void aToolThatThrowsIsRecordedAndEndsTheTurnAsAKnownFailure() {
        FlowTool down = new FlowTool() {
            @Override
            public String code() {
                return "credit_rating";
            }

            @Override
            public Map<String, Object> call(ToolCall call) {
                throw new IllegalStateException("credit union offline");
            }
        };

        assertThatThrownBy(() -> new ToolOrchestrationStep(new ToolInvoker(List.of(down))).run(completeApplication()))
                .isInstanceOfSatisfying(EngineFailure.class,
                        e -> assertThat(e.errorCode()).isEqualTo("TOOL_CALL_FAILED"));

        assertThat(turn.stages()).containsExactly(Stage.MCP_TOOL_CALL, Stage.MCP_TOOL_ERROR);
        assertThat(turn.verbose()).extracting(v -> v.level() + ":" + v.text()).containsExactly(
                "INFO:Checking credit rating from credit union.",
                "ERROR:The credit union did not answer: credit union offline");
    }

    @Test
    void noToolIsCalledWhileDetailsAreMissing() {
        TurnSession session = turn.session("hi", "LOAN_APPLICATION", "COLLECTING");

        new ToolOrchestrationStep(new ToolInvoker(List.of())).run(session);

        assertThat(turn.stages()).isEmpty();
    }

    private TurnSession completeApplication() {
        TurnSession session = turn.session(StepFixture.DEMO, "jane@example.com", false, new ConversationView(4,
                "LOAN_APPLICATION", "COLLECTING", Map.of("amount", 15000L, "termMonths", "36",
                "email", "jane@example.com"), Map.of()));
        session.schema(new SchemaStatus(true, true, List.of(), List.of(), null));
        return session;
    }
}
