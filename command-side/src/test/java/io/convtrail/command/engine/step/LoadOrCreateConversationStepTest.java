package io.convtrail.command.engine.step;

import io.convtrail.api.command.ConversationView;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LoadOrCreateConversationStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void aNewConversationStartsInTheFlowsInitialState() {
        TurnSession session = turn.session(StepFixture.DEMO, "hi", false,
                new ConversationView(1, null, null, Map.of(), Map.of()));

        assertThat(new LoadOrCreateConversationStep().run(session)).isEqualTo(StepOutcome.Continue);

        assertThat(session.intent()).isNull();
        assertThat(session.state()).isEqualTo("IDLE");
    }

    @Test
    void anExistingConversationKeepsItsIntentStateAndSlots() {
        TurnSession session = turn.session(StepFixture.DEMO, "hi", false,
                new ConversationView(3, "LOAN_APPLICATION", "COLLECTING", Map.of("amount", 15000L), Map.of()));

        new LoadOrCreateConversationStep().run(session);

        assertThat(session.intent()).isEqualTo("LOAN_APPLICATION");
        assertThat(session.state()).isEqualTo("COLLECTING");
        assertThat(session.slots()).containsEntry("amount", 15000L);
        assertThat(turn.stages()).isEmpty();
    }
}
