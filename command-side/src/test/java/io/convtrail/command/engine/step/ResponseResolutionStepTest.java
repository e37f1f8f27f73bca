package io.convtrail.command.engine.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.Stage;
import io.convtrail.api.command.ConversationView;
import io.convtrail.api.event.TurnOutcome;
import io.convtrail.command.engine.SchemaStatus;
import io.convtrail.command.engine.StepFixture;
import io.convtrail.command.engine.TurnSession.PreparedAnswer;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.flow.FlowDefinition;
import io.convtrail.command.flow.FlowParser;
import io.convtrail.command.turn.EngineFailure;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseResolutionStepTest {

    private final StepFixture turn = new StepFixture();
    private final ResponseResolutionStep step = new ResponseResolutionStep(new ObjectMapper(), null);

    @Test
    void theStateSpecificTemplateAnswersWithTheInvalidValueAndTheNextQuestion() {
        TurnSession session = turn.session("200", "LOAN_APPLICATION", "COLLECTING");
        session.schema(new SchemaStatus(true, false, List.of("amount"),
                List.of(new SchemaStatus.Problem("amount", "200", "The amount must be between 1,000 and 50,000.")),
                "How much would you like to borrow (between 1,000 and 50,000)?"));

        step.run(session);

        assertThat(session.answer().type()).isEqualTo("TEXT");
        assertThat(session.answer().value()).isEqualTo("The amount must be between 1,000 and 50,000. "
                + "How much would you like to borrow (between 1,000 and 50,000)?");
        assertThat(turn.stages()).containsExactly(Stage.RESOLVE_RESPONSE, Stage.ASSISTANT_OUTPUT);
        assertThat(turn.payload(Stage.RESOLVE_RESPONSE).get("responseId").asText()).isEqualTo("loan-collecting");
    }

    @Test
    void aJsonResponseIsRenderedAndChecked() {
        TurnSession session = turn.session(StepFixture.DEMO, "yes", false, new ConversationView(6,
                "LOAN_APPLICATION", "COMPLETED", Map.of("amount", 15000L, "termMonths", "36",
                "email", "jane@example.com", "reference", "LN-15000-36"),
                Map.of("tools", Map.of("credit_rating", Map.of("rating", "A")))));

        step.run(session);

        assertThat(session.answer().type()).isEqualTo("JSON");
        assertThat(session.answer().value()).contains("\"status\":\"SUBMITTED\"", "\"creditRating\":\"A\"");
        assertThat(turn.payload(Stage.ASSISTANT_OUTPUT).get("outputFormat").asText()).isEqualTo("JSON");
    }

    @Test
    void aPreparedAnswerIsUsedAsItIs() {
        TurnSession session = turn.session("x", "LOAN_APPLICATION", "COLLECTING");
        session.prepare(new PreparedAnswer("policy:p", "POLICY", "No."), TurnOutcome.BLOCKED);

        step.run(session);

        assertThat(session.answer().value()).isEqualTo("No.");
        assertThat(turn.payload(Stage.RESOLVE_RESPONSE).get("source").asText()).isEqualTo("POLICY");
    }

    @Test
    void aTurnTheFlowHasNoResponseForIsAKnownFailure() {
        TurnSession session = turn.session("x", "LOAN_APPLICATION", "IDLE");

        assertThatThrownBy(() -> step.run(session)).isInstanceOfSatisfying(EngineFailure.class,
                e -> assertThat(e.errorCode()).isEqualTo("RESPONSE_NOT_FOUND"));
        assertThat(turn.stages()).isEmpty();
    }

    @Test
    void anLlmResponseCommitsFirstThenAsksTheLlmWithTheRenderedPrompt() {
        FlowDefinition flow = FlowParser.parse("llm.yml", """
                id: llm
                version: "1"
                initialState: IDLE
                states: [{name: IDLE}]
                fallback: {intent: UNKNOWN, state: IDLE}
                reset: {keywords: [reset], response: ok}
                responses:
                  - {id: free, intent: UNKNOWN, type: LLM, template: "Answer briefly: {{input}}"}
                """.getBytes(StandardCharsets.UTF_8));
        int[] committedWhenAsked = new int[1];
        ResponseResolutionStep withLlm = new ResponseResolutionStep(new ObjectMapper(), prompt -> {
            committedWhenAsked[0] = turn.committed().size();
            return "echo: " + prompt;
        });
        TurnSession session = turn.session(flow, "why?", false, new ConversationView(1, "UNKNOWN", "IDLE",
                Map.of(), Map.of()));

        withLlm.run(session);

        assertThat(committedWhenAsked[0]).isEqualTo(1);
        assertThat(session.answer().value()).isEqualTo("echo: Answer briefly: why?");
    }
}
