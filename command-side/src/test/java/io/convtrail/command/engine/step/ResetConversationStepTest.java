package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.api.command.ConversationView;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResetConversationStepTest {

    private final StepFixture turn = new StepFixture();
    private final ConversationView midApplication = new ConversationView(3, "LOAN_APPLICATION", "COLLECTING",
            Map.of("amount", 15000L), Map.of("tools", Map.of()));

    @Test
    void theResetKeywordClearsTheConversationAndAnswersAtOnce() {
        TurnSession session = turn.session(StepFixture.DEMO, "  Reset ", false, midApplication);

        assertThat(new ResetConversationStep().run(session)).isEqualTo(StepOutcome.Stop);

        assertThat(session.intent()).isNull();
        assertThat(session.state()).isEqualTo("IDLE");
        assertThat(session.slots()).isEmpty();
        assertThat(session.context()).isEmpty();
        assertThat(session.prepared().text()).startsWith("Let's start over.");
        assertThat(turn.stages()).containsExactly(Stage.CONVERSATION_RESET);
        assertThat(turn.payload(Stage.CONVERSATION_RESET).get("previousIntent").asText()).isEqualTo("LOAN_APPLICATION");
        assertThat(turn.verbose()).extracting(v -> v.text()).containsExactly("Starting the conversation over.");
    }

    @Test
    void theResetFlagWithAMessageResetsAndGoesOnToAnswerIt() {
        TurnSession session = turn.session(StepFixture.DEMO, "what is the APR?", true, midApplication);

        assertThat(new ResetConversationStep().run(session)).isEqualTo(StepOutcome.Continue);

        assertThat(session.slots()).isEmpty();
        assertThat(session.prepared()).isNull();
        assertThat(turn.payload(Stage.CONVERSATION_RESET).get("reason").asText()).isEqualTo("RESET_FLAG");
    }

    @Test
    void anOrdinaryMessageIsNotAReset() {
        TurnSession session = turn.session(StepFixture.DEMO, "please reset my password", false, midApplication);

        assertThat(new ResetConversationStep().run(session)).isEqualTo(StepOutcome.Continue);

        assertThat(session.slots()).containsKey("amount");
        assertThat(turn.stages()).isEmpty();
    }
}
