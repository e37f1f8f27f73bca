package io.convtrail.app.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.engine.ConversationClient.TurnAudit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** ConvEngine's feedback endpoint: the same response body, recorded as stage MCP_USER_FEEDBACK. */
@ConvtrailIntegrationTest
class FeedbackTest {

    @LocalServerPort
    int port;

    @Test
    void feedbackIsAnsweredLikeConvEngineAndRecorded() {
        ConversationClient client = new ConversationClient(port);
        JsonNode answer = client.say("What are your interest rates?");

        JsonNode saved = feedback(client, Map.of("conversationId", client.conversationId.toString(),
                "feedbackType", "THUMBS_UP", "messageId", "m-1",
                "assistantResponse", answer.get("payload").get("value").asText(),
                "metadata", Map.of("source", "test"))).getBody();

        assertThat(saved.get("success").asBoolean()).isTrue();
        assertThat(saved.get("message").asText()).isEqualTo("Feedback saved.");
        assertThat(saved.get("capturedQueryKnowledgeCount").asInt()).isZero();
        assertThat(saved.get("capturedUserQueryKnowledgeCount").asInt()).isZero();
        assertThat(saved.get("embeddedUserQueryKnowledgeCount").asInt()).isZero();
        List<TurnAudit> audit = client.auditByTurn(2, s -> s.equals("PIPELINE_TIMING") || s.equals("MCP_USER_FEEDBACK"));
        TurnAudit outsideTurns = audit.get(1);
        assertThat(outsideTurns.stages()).containsExactly("MCP_USER_FEEDBACK");
        JsonNode recorded = outsideTurns.payload("MCP_USER_FEEDBACK");
        assertThat(recorded.get("feedbackType").asText()).isEqualTo("THUMBS_UP");
        assertThat(recorded.get("messageId").asText()).isEqualTo("m-1");
        assertThat(recorded.get("metadata").get("source").asText()).isEqualTo("test");
        assertThat(recorded.get("_meta").get("intent").asText()).isEqualTo("FAQ_RATES");
        assertThat(recorded.get("_meta").get("state").asText()).isEqualTo("ANSWERED");
        long stagesAndVerbose = audit.get(0).stages().size() + 1 /* verbose */;
        assertThat(saved.get("feedbackId").asLong()).as("the feedback's sequence in the conversation")
                .isEqualTo(stagesAndVerbose + 1);
    }

    @Test
    void feedbackOnAnUnknownConversationIs404AndABadTypeIs400() {
        ConversationClient client = new ConversationClient(port);

        assertThat(feedback(client, Map.of("conversationId", UUID.randomUUID().toString(),
                "feedbackType", "THUMBS_UP")).getStatusCode().value()).isEqualTo(404);
        assertThat(feedback(client, Map.of("conversationId", UUID.randomUUID().toString(),
                "feedbackType", "MEH")).getStatusCode().value()).isEqualTo(400);
    }

    private static ResponseEntity<JsonNode> feedback(ConversationClient client, Map<String, Object> body) {
        return client.http().post().uri("/api/v1/conversation/feedback").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(JsonNode.class);
    }
}
