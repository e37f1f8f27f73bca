package io.convtrail.app.engine;

import io.convtrail.command.turn.EngineFailure;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.engine.ConversationClient.TurnAudit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine failure ends the turn with STEP_ERROR and ENGINE_KNOWN_FAILURE / ENGINE_UNKNOWN_FAILURE
 * recorded, answers ConvEngine's success:false body with HTTP 200, and leaves the conversation usable.
 */
@ConvtrailIntegrationTest
@FailingDeskFlow
class EngineFailureTest {

    @LocalServerPort
    int port;

    @Test
    void aFailingToolIsAKnownFailureAndTheNextTurnWorks() {
        ConversationClient client = new ConversationClient(port);
        assertThat(client.say("hello").get("intent").asText()).isEqualTo("GREETING");

        JsonNode failed = client.say("what is my balance?");

        assertFailureBody(client, failed, "TOOL_CALL_FAILED", "Tool ledger failed: ledger offline", true);
        JsonNode next = client.say("hello again");
        assertThat(next.get("success").asBoolean()).isTrue();
        assertThat(next.get("payload").get("value").asText()).isEqualTo("Hello there.");

        List<TurnAudit> turns = client.auditByTurn(3, s -> s.equals("PIPELINE_TIMING") || s.endsWith("_FAILURE"));
        TurnAudit failedTurn = turns.get(1);
        assertThat(failedTurn.decisionStages()).containsExactly("USER_INPUT", "INTENT_RESOLVE_START",
                "INTENT_CLASSIFICATION_MATCHED", "INTENT_RESOLVED_BY_CLASSIFIER", "MCP_TOOL_CALL", "MCP_TOOL_ERROR",
                "ENGINE_KNOWN_FAILURE");
        assertThat(failedTurn.stages()).containsSubsequence("MCP_TOOL_ERROR", "STEP_ERROR", "ENGINE_KNOWN_FAILURE");
        JsonNode stepError = failedTurn.payload("STEP_ERROR");
        assertThat(stepError.get("step").asText()).isEqualTo("ToolOrchestrationStep");
        assertThat(stepError.get("errorType").asText()).isEqualTo("io.convtrail.command.turn.EngineFailure");
        assertThat(failedTurn.payload("ENGINE_KNOWN_FAILURE").get("errorCode").asText()).isEqualTo("TOOL_CALL_FAILED");
        assertThat(turns.get(2).decisionStages()).endsWith("ASSISTANT_OUTPUT", "ENGINE_RETURN", "PIPELINE_TIMING");
    }

    @Test
    void aMissingResponseIsAKnownFailureAndTheConversationKeepsItsState() {
        ConversationClient client = new ConversationClient(port);
        client.say("hello");

        assertFailureBody(client, client.say("send me a statement"), "RESPONSE_NOT_FOUND",
                "The flow has no response for intent STATEMENT in state DONE", false);

        List<TurnAudit> turns = client.auditByTurn(2, s -> s.equals("PIPELINE_TIMING") || s.endsWith("_FAILURE"));
        assertThat(turns.get(1).stages()).endsWith("STEP_ENTER", "STEP_ERROR", "ENGINE_KNOWN_FAILURE");
        assertThat(turns.get(1).payload("STEP_ERROR").get("step").asText()).isEqualTo("ResponseResolutionStep");
        JsonNode next = client.say("hmm");
        assertThat(next.get("intent").asText()).isEqualTo("UNKNOWN");
    }

    @Test
    void aTemplateNamingAnUnknownValueIsAnUnknownFailure() {
        ConversationClient client = new ConversationClient(port);

        JsonNode failed = client.say("this is broken");

        assertThat(failed.get("success").asBoolean()).isFalse();
        JsonNode error = client.read(failed.get("payload").get("value").asText());
        assertThat(error.get("errorCode").isNull()).isTrue();
        assertThat(error.get("recoverable").asBoolean()).isFalse();
        List<TurnAudit> turns = client.auditByTurn(1, s -> s.endsWith("_FAILURE"));
        assertThat(turns.get(0).stages()).endsWith("STEP_ERROR", "ENGINE_UNKNOWN_FAILURE");
        assertThat(turns.get(0).payload("ENGINE_UNKNOWN_FAILURE").get("exception").asText())
                .isEqualTo("com.samskivert.mustache.MustacheException$Context");
        assertThat(client.say("hello").get("success").asBoolean()).isTrue();
    }

    private static void assertFailureBody(ConversationClient client, JsonNode body, String errorCode, String message,
                                          boolean recoverable) {
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("conversationId").asText()).isEqualTo(client.conversationId.toString());
        assertThat(body.get("intent").asText()).isEqualTo("ERROR");
        assertThat(body.get("state").asText()).isEqualTo("ERROR");
        assertThat(body.get("payload").get("type").asText()).isEqualTo("ERROR");
        JsonNode error = client.read(body.get("payload").get("value").asText());
        assertThat(error.get("errorCode").asText()).isEqualTo(errorCode);
        assertThat(error.get("message").asText()).isEqualTo(message);
        assertThat(error.get("recoverable").asBoolean()).isEqualTo(recoverable);
    }
}
