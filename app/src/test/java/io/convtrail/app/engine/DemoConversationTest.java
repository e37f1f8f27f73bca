package io.convtrail.app.engine;

import io.convtrail.testsupport.store.EventStoreProbe;
import com.fasterxml.jackson.databind.JsonNode;
import io.convtrail.api.privacy.ContentOpener;
import io.convtrail.api.privacy.ConversationKeys;
import io.convtrail.app.ConvtrailIntegrationTest;
import io.convtrail.app.engine.ConversationClient.TurnAudit;
import io.convtrail.command.flow.FlowDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's demo conversation, played over HTTP against PostgreSQL: every answer, the exact
 * stages and steps of every turn, the verbose messages each turn stored, and where it ends.
 */
@ConvtrailIntegrationTest
class DemoConversationTest {

    private static final List<String> ALL_STEPS = List.of("LoadOrCreateConversationStep", "AuditUserInputStep",
            "ResetConversationStep", "PolicyEnforcementStep", "IntentResolutionStep", "FallbackIntentStateStep",
            "SchemaExtractionStep", "ToolOrchestrationStep", "RulesStep", "StateGraphStep", "ResponseResolutionStep",
            "PersistConversationStep", "PipelineEndGuardStep");
    private static final List<String> STOPPED_AT_POLICY = List.of("LoadOrCreateConversationStep",
            "AuditUserInputStep", "ResetConversationStep", "PolicyEnforcementStep", "ResponseResolutionStep",
            "PersistConversationStep", "PipelineEndGuardStep");
    private static final List<String> STOPPED_AT_RESET = List.of("LoadOrCreateConversationStep",
            "AuditUserInputStep", "ResetConversationStep", "ResponseResolutionStep", "PersistConversationStep",
            "PipelineEndGuardStep");
    private static final List<String> ANSWER = List.of("RESOLVE_RESPONSE", "ASSISTANT_OUTPUT", "ENGINE_RETURN",
            "PIPELINE_TIMING");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FlowDefinition flow;

    @Autowired
    ConversationKeys keys;

    @Test
    void theDemoConversationAnswersAndRecordsEveryTurn(@Autowired EventStoreProbe storeProbe) {
        ConversationClient client = new ConversationClient(port);

        answer(client.say("What are your interest rates?"), "FAQ_RATES", "ANSWERED", "TEXT",
                "Our personal loans run from 1,000 to 50,000");
        answer(client.say("I want to apply for a loan"), "LOAN_APPLICATION", "COLLECTING", "TEXT",
                "How much would you like to borrow (between 1,000 and 50,000)?");
        answer(client.say("200 please"), "LOAN_APPLICATION", "COLLECTING", "TEXT",
                "The amount must be between 1,000 and 50,000. How much would you like to borrow");
        answer(client.say("15000 over 36 months"), "LOAN_APPLICATION", "COLLECTING", "TEXT",
                "Which e-mail address should we send the offer to?");
        answer(client.say("jane.doe@example.com"), "LOAN_APPLICATION", "CONFIRMING", "TEXT",
                "Your credit rating from Demo Credit Union is A. Shall I submit your application for 15000 over 36 months?");
        JsonNode submitted = answer(client.say("yes"), "LOAN_APPLICATION", "COMPLETED", "JSON", "{");
        assertThat(client.read(submitted.get("payload").get("value").asText())).isEqualTo(client.read(
                "{\"status\":\"SUBMITTED\",\"reference\":\"LN-15000-36\",\"amount\":15000,\"termMonths\":36,"
                        + "\"email\":\"jane.doe@example.com\",\"creditRating\":\"A\"}"));
        answer(client.say("My card is 4111 1111 1111 1111"), "LOAN_APPLICATION", "COMPLETED", "TEXT",
                "For your safety, never share a card number here.");
        answer(client.say("Tell me a joke"), "UNKNOWN", "IDLE", "TEXT", "Sorry, I did not understand that.");
        JsonNode reset = answer(client.say("reset"), null, "IDLE", "TEXT", "Let's start over.");
        assertThat(reset.get("context").asText()).isEqualTo("{}");
        answer(client.post(Map.of("conversationId", client.conversationId.toString(), "reset", true,
                "message", "what is the APR?")), "FAQ_RATES", "ANSWERED", "TEXT", "Our personal loans");

        List<TurnAudit> turns = client.auditByTurn(10, "PIPELINE_TIMING"::equals);

        assertThat(turns.get(0).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "INTENT_RESOLVE_START", "INTENT_CLASSIFICATION_MATCHED", "INTENT_RESOLVED_BY_CLASSIFIER",
                "RULE_NO_MATCH"), ANSWER));
        assertThat(turns.get(1).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "INTENT_RESOLVE_START", "INTENT_CLASSIFICATION_MATCHED", "INTENT_RESOLVED_BY_CLASSIFIER",
                "SCHEMA_EXTRACTION_START", "SCHEMA_STATUS", "RULE_NO_MATCH"), ANSWER));
        assertThat(turns.get(2).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "INTENT_RESOLVE_START", "INTENT_CLASSIFIER_NO_MATCH", "SCHEMA_EXTRACTION_START",
                "SCHEMA_SLOT_INVALID", "SCHEMA_STATUS", "RULE_NO_MATCH"), ANSWER));
        assertThat(turns.get(3).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "INTENT_RESOLVE_START", "INTENT_CLASSIFIER_NO_MATCH", "SCHEMA_EXTRACTION_START",
                "SCHEMA_SLOT_EXTRACTED", "SCHEMA_SLOT_EXTRACTED", "SCHEMA_STATUS", "RULE_NO_MATCH"), ANSWER));
        assertThat(turns.get(4).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "INTENT_RESOLVE_START", "INTENT_CLASSIFIER_NO_MATCH", "SCHEMA_EXTRACTION_START",
                "SCHEMA_SLOT_EXTRACTED", "SCHEMA_STATUS", "MCP_TOOL_CALL", "MCP_TOOL_RESULT", "RULE_MATCH",
                "SET_STATE", "RULE_APPLIED", "STATE_GRAPH_VALID"), ANSWER));
        assertThat(turns.get(5).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "INTENT_RESOLVE_START", "INTENT_CLASSIFIER_NO_MATCH", "RULE_MATCH", "SET_STATE", "SET_SLOT",
                "RULE_APPLIED", "STATE_GRAPH_VALID"), ANSWER));
        assertThat(turns.get(6).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "POLICY_BLOCK"), ANSWER));
        assertThat(turns.get(7).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "INTENT_RESOLVE_START", "INTENT_CLASSIFIER_NO_MATCH", "INTENT_MISSING", "RULE_NO_MATCH"), ANSWER));
        assertThat(turns.get(8).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "CONVERSATION_RESET"), ANSWER));
        assertThat(turns.get(9).decisionStages()).containsExactlyElementsOf(concat(List.of("USER_INPUT",
                "CONVERSATION_RESET", "INTENT_RESOLVE_START", "INTENT_CLASSIFICATION_MATCHED",
                "INTENT_RESOLVED_BY_CLASSIFIER", "RULE_NO_MATCH"), ANSWER));

        for (int i = 0; i < turns.size(); i++) {
            TurnAudit turn = turns.get(i);
            List<String> expectedSteps = i == 6 ? STOPPED_AT_POLICY : i == 8 ? STOPPED_AT_RESET : ALL_STEPS;
            assertThat(turn.steps()).as("steps of turn %d", i + 1).containsExactlyElementsOf(expectedSteps);
            assertBracketed(turn);
            assertThat(turn.payloads()).as("every payload of turn %d carries _meta", i + 1).allSatisfy(p -> {
                assertThat(p.get("_meta").get("conversationId").asText()).isEqualTo(client.conversationId.toString());
                assertThat(p.get("_meta").get("turnId").asText()).isEqualTo(turn.turnId());
                assertThat(p.get("_meta").has("intent")).isTrue();
                assertThat(p.get("_meta").has("state")).isTrue();
                assertThat(p.get("_meta").has("emittedAt")).isTrue();
            });
            JsonNode engineReturn = turn.payload("ENGINE_RETURN");
            assertThat(engineReturn.get("flowId").asText()).isEqualTo("loan-demo");
            assertThat(engineReturn.get("flowHash").asText()).isEqualTo(flow.contentHash());
        }
        assertThat(turns.get(4).payload("MCP_TOOL_RESULT").get("result").get("rating").asText()).isEqualTo("A");
        assertThat(turns.get(6).payload("POLICY_BLOCK").toString()).doesNotContain("4111");

        assertThat(verboseTextsByTurn(client, turns)).containsExactly(
                List.of("Looking up our current loan rates."),
                List.of("Starting a loan application.", "Collected 0 of 3 application details."),
                List.of("The amount you gave is not valid: The amount must be between 1,000 and 50,000.",
                        "Collected 0 of 3 application details."),
                List.of("Collected 2 of 3 application details."),
                List.of("Collected 3 of 3 application details.", "Checking credit rating from credit union.",
                        "Credit rating received: A.", "All details collected; preparing your summary."),
                List.of("Submitting your application to the loan desk."),
                List.of("Your message was blocked by policy no-card-numbers."),
                List.of("I could not match that to anything I can help with."),
                List.of("Starting the conversation over."),
                List.of("Starting the conversation over.", "Looking up our current loan rates."));

        List<JsonNode> started = storeProbe.payloads(client.conversationId, EventStoreProbe.TURN_STARTED);
        assertThat(started).hasSize(10).allSatisfy(payload -> {
            assertThat(payload.path("flowId").asText(null)).isEqualTo("loan-demo");
            assertThat(payload.path("flowHash").asText(null)).isEqualTo(flow.contentHash());
        });
    }

    private List<List<String>> verboseTextsByTurn(ConversationClient client, List<TurnAudit> turns) {
        List<Map<String, Object>> rows = jdbc.sql("""
                        SELECT turn_id::text AS turn_id, payload_json FROM audit_event
                        WHERE conversation_id = ? AND kind = 'VERBOSE' ORDER BY seq""")
                .param(client.conversationId).query().listOfRows();
        List<List<String>> texts = new ArrayList<>();
        // the table holds the texts sealed with the conversation's key
        ContentOpener opener = ContentOpener.of(client.conversationId, keys.forReading(client.conversationId));
        for (TurnAudit turn : turns) {
            texts.add(rows.stream().filter(r -> turn.turnId().equals(r.get("turn_id")))
                    .map(r -> client.read(opener.verbose((String) r.get("payload_json"))).get("text").asText())
                    .toList());
        }
        return texts;
    }

    /** Every STEP_ENTER is closed by the same step's STEP_EXIT before the next step starts. */
    private static void assertBracketed(TurnAudit turn) {
        String open = null;
        for (int i = 0; i < turn.stages().size(); i++) {
            String stage = turn.stages().get(i);
            String step = turn.payloads().get(i).path("step").asText(null);
            if (stage.equals("STEP_ENTER")) {
                assertThat(open).as("step opened inside %s", open).isNull();
                open = step;
            } else if (stage.equals("STEP_EXIT")) {
                assertThat(step).isEqualTo(open);
                assertThat(turn.payloads().get(i).get("sourceFile").asText()).isEqualTo(step + ".java");
                open = null;
            } else {
                assertThat(open).as("%s recorded outside a step", stage).isNotNull();
            }
        }
        assertThat(open).isNull();
    }

    private static JsonNode answer(JsonNode response, String intent, String state, String type, String text) {
        assertThat(response.get("success").asBoolean()).as(response.toString()).isTrue();
        if (intent == null) {
            assertThat(response.get("intent").isNull()).as(response.toString()).isTrue();
        } else {
            assertThat(response.get("intent").asText()).as(response.toString()).isEqualTo(intent);
        }
        assertThat(response.get("state").asText()).as(response.toString()).isEqualTo(state);
        assertThat(response.get("payload").get("type").asText()).isEqualTo(type);
        assertThat(response.get("payload").get("value").asText()).startsWith(text);
        return response;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
