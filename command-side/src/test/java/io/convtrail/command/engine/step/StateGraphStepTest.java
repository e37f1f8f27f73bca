package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.engine.TurnSession.Transition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StateGraphStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void anAllowedTransitionIsRecordedAsValid() {
        TurnSession session = turn.session("x", "LOAN_APPLICATION", "CONFIRMING");
        session.transitions().add(new Transition("ready-for-confirmation", "COLLECTING", "CONFIRMING"));

        new StateGraphStep().run(session);

        assertThat(session.state()).isEqualTo("CONFIRMING");
        assertThat(turn.stages()).containsExactly(Stage.STATE_GRAPH_VALID);
    }

    @Test
    void aTransitionTheGraphDoesNotAllowIsRecordedAndUndone() {
        TurnSession session = turn.session("x", "LOAN_APPLICATION", "COMPLETED");
        session.transitions().add(new Transition("some-rule", "COLLECTING", "COMPLETED"));

        new StateGraphStep().run(session);

        assertThat(session.state()).isEqualTo("COLLECTING");
        assertThat(turn.stages()).containsExactly(Stage.STATE_GRAPH_VIOLATION);
        assertThat(turn.payload(Stage.STATE_GRAPH_VIOLATION).get("toState").asText()).isEqualTo("COMPLETED");
    }
}
