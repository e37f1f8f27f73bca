package io.convtrail.command.engine.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.Stage;
import io.convtrail.command.engine.StepFixture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditUserInputStepTest {

    private final StepFixture turn = new StepFixture();

    @Test
    void recordsTheUsersTextWithTheConversationInMeta() {
        new AuditUserInputStep().run(turn.session("I want a loan", "FAQ_RATES", "ANSWERED"));

        JsonNode input = turn.payload(Stage.USER_INPUT);
        assertThat(input.get("text").asText()).isEqualTo("I want a loan");
        assertThat(input.get("_meta").get("intent").asText()).isEqualTo("FAQ_RATES");
        assertThat(input.get("_meta").get("state").asText()).isEqualTo("ANSWERED");
        assertThat(input.get("_meta").has("turnId")).isTrue();
    }
}
