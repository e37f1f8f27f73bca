package io.convtrail.command.engine.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.command.engine.StepFixture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PersistConversationStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void recordsTheConversationAsTheTurnLeavesItWithTheFlowVersion() {
        new PersistConversationStep().run(turn.session("x", "LOAN_APPLICATION", "CONFIRMING"));

        JsonNode ret = turn.payload(Stage.ENGINE_RETURN);
        assertThat(ret.get("intent").asText()).isEqualTo("LOAN_APPLICATION");
        assertThat(ret.get("state").asText()).isEqualTo("CONFIRMING");
        assertThat(ret.get("outcome").asText()).isEqualTo("ANSWERED");
        assertThat(ret.get("flowId").asText()).isEqualTo("loan-demo");
        assertThat(ret.get("flowHash").asText()).hasSize(64).isEqualTo(StepFixture.DEMO.contentHash());
    }
}
